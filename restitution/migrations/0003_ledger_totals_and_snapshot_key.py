"""The ledger's running totals on each obligation, each plan's end, and the snapshot keyed by (as_of, obligation).

- ``Obligation.paid_total`` and ``last_allocated_on`` are filled from the allocations;
- ``PaymentPlan.ends_on`` is the next active plan's first due date, and the obligation's schedule in
  brief (``plan_monthly``, ``plan_first_due_on``, ``plan_prior_due``) is read from its active plans;
- the snapshot table is rebuilt with the composite primary key ``(as_of, obligation)`` as its one
  index (Django cannot change a primary key in place); its rows are copied across.
"""

import calendar
import datetime as dt
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models



# Frozen here from restitution.compliance as it stood when this migration landed: a migration must
# not change meaning when the app's code does.
def add_months(first, months):
    year, month0 = divmod(first.month - 1 + months, 12)
    year += first.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(first.day, last))


def installments(plans, until):
    """The due dates (on or before ``until``) of active plans ``(first_due_on, monthly_amount)``."""
    ordered = sorted(plans)
    for index, (first, monthly) in enumerate(ordered):
        takeover = ordered[index + 1][0] if index + 1 < len(ordered) else None
        k = 0
        while True:
            due = add_months(first, k)
            if due > until or (takeover is not None and due >= takeover):
                break
            yield due, monthly
            k += 1


def fill_totals(apps, schema_editor):
    Obligation = apps.get_model("restitution", "Obligation")
    Allocation = apps.get_model("restitution", "Allocation")
    PaymentPlan = apps.get_model("restitution", "PaymentPlan")
    totals = (
        Allocation.objects.filter(obligation__isnull=False)
        .values("obligation_id")
        .annotate(total=models.Sum("amount"), last=models.Max("allocated_on"))
        .order_by()
    )
    for row in totals.iterator(chunk_size=5000):
        Obligation.objects.filter(pk=row["obligation_id"]).update(paid_total=row["total"], last_allocated_on=row["last"])
    previous = None
    for plan in PaymentPlan.objects.filter(replaced_at__isnull=True).order_by("obligation_id", "-first_due_on").iterator():
        ends_on = previous.first_due_on if previous is not None and previous.obligation_id == plan.obligation_id else None
        if ends_on is not None:
            PaymentPlan.objects.filter(pk=plan.pk).update(ends_on=ends_on)
        previous = plan
    # The schedule in brief: the last active plan, and what the plans before it fall due in all.
    by_obligation = {}
    for plan in PaymentPlan.objects.filter(replaced_at__isnull=True).order_by("obligation_id", "first_due_on"):
        by_obligation.setdefault(plan.obligation_id, []).append((plan.first_due_on, plan.monthly_amount))
    for obligation_id, plans in by_obligation.items():
        first, monthly = plans[-1]
        prior = sum((m for _, m in installments(plans, first - dt.timedelta(days=1))), Decimal("0.00"))
        Obligation.objects.filter(pk=obligation_id).update(
            plan_monthly=monthly, plan_first_due_on=first, plan_prior_due=prior
        )


def rename_legacy_key(apps, schema_editor):
    # PostgreSQL keeps the old table's primary key index name across a table rename; free it for the new table.
    schema_editor.execute(
        "ALTER INDEX IF EXISTS restitution_compliancesnapshot_pkey RENAME TO restitution_legacysnapshot_pkey"
    )


COPY = """INSERT INTO restitution_compliancesnapshot
    (as_of, obligation_id, ordered_amount, paid, balance, expected, arrears, days_past_due, past_due_since, status,
     previous_status)
SELECT as_of, obligation_id, ordered_amount, paid, balance, expected, arrears, days_past_due, past_due_since, status, ''
FROM restitution_legacysnapshot"""

STATUS = [
    ("delinquent", "Delinquent"),
    ("late", "Late"),
    ("unscheduled", "Unscheduled"),
    ("current", "Current"),
    ("paid_in_full", "Paid in full"),
    ("waived", "Waived"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("restitution", "0002_snapshot_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="paid_total",
            field=models.DecimalField(decimal_places=2, default=0, editable=False, max_digits=12),
        ),
        migrations.AddField(
            model_name="obligation",
            name="last_allocated_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="obligation",
            name="plan_monthly",
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=12, null=True),
        ),
        migrations.AddField(
            model_name="obligation",
            name="plan_first_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="obligation",
            name="plan_prior_due",
            field=models.DecimalField(decimal_places=2, default=0, editable=False, max_digits=12),
        ),
        migrations.AddField(
            model_name="paymentplan",
            name="ends_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_totals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="paymentplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ends_on__isnull", True), ("replaced_at__isnull", True)),
                fields=("obligation",),
                name="restitution_paymentplan_one_last_active",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__isnull", True), ("ends_on__gt", models.F("first_due_on")), _connector="OR"),
                name="restitution_paymentplan_ends_after_first_due",
            ),
        ),
        migrations.RemoveIndex(model_name="compliancesnapshot", name="restitution_snapshot_as_of"),
        migrations.RemoveConstraint(
            model_name="compliancesnapshot", name="restitution_compliancesnapshot_one_per_date"
        ),
        migrations.RenameModel(old_name="ComplianceSnapshot", new_name="LegacySnapshot"),
        migrations.RunPython(rename_legacy_key, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ComplianceSnapshot",
            fields=[
                ("pk", models.CompositePrimaryKey("as_of", "obligation", blank=True, editable=False, primary_key=True, serialize=False)),
                ("as_of", models.DateField()),
                ("ordered_amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("paid", models.DecimalField(decimal_places=2, max_digits=12)),
                ("balance", models.DecimalField(decimal_places=2, max_digits=12)),
                ("expected", models.DecimalField(decimal_places=2, max_digits=12)),
                ("arrears", models.DecimalField(decimal_places=2, max_digits=12)),
                ("days_past_due", models.PositiveIntegerField()),
                ("past_due_since", models.DateField(blank=True, null=True)),
                ("status", models.CharField(choices=STATUS, max_length=14)),
                ("previous_status", models.CharField(blank=True, choices=STATUS, default="", max_length=14)),
                (
                    "obligation",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="snapshots",
                        to="restitution.obligation",
                    ),
                ),
            ],
            options={
                "ordering": ["-as_of", "obligation_id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "delinquent"), models.Q(("previous_status", "delinquent"), _negated=True)),
                        fields=["as_of"],
                        name="restitution_snap_new_delinq",
                    )
                ],
            },
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.DeleteModel(name="LegacySnapshot"),
    ]
