"""Restitution and CVCF: obligations, payment plans, the payment ledger, disbursements, compliance snapshots.

Money is ``DecimalField(12, 2)``. Payments, allocations, reversals and disbursements are an
append-only ledger: nothing here is edited or deleted through the UI or API, every foreign key
to a financial record is ``PROTECT``, and the database's constraints back the rules.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.models import CourtCase, Offender
from core.money import MoneyField
from core.querysets import ADD, ALL, VIEW, RestrictedQuerySet

from .choices import (
    KIND_PRIORITY,
    ComplianceStatus,
    ObligationKind,
    ObligationStatus,
    PayeeKind,
    PaymentMethod,
    PaymentSource,
)

OFFICE_ROLES = {Role.ADMINISTRATOR, Role.VICTIM_SERVICES}


# Roles that never see a person's ledger, receipts or payees. A board coordinator sees restitution only
# through a board agreement's condition (what was paid toward it, due, met: boards reads the sums through
# ``selectors.paid_on_cases_since``), issue 15 item 9.
NO_LEDGER_ROLES = frozenset({Role.FACILITY_STAFF, Role.BOARD_COORDINATOR})


def offender_scope(user, action, prefix):
    """Restitution records follow their offender's scope; facility staff do not handle money, and a board
    coordinator sees restitution only through the board's conditions."""
    if user.role in NO_LEDGER_ROLES:
        return None
    return Offender.scope_q(user, action, prefix=prefix)


class Payee(models.Model):
    """Who receives the money of an obligation: a victim, the CVCF fund or another payee.

    Victims' contact details live in the victims app; a payee holds only a name and a reference.
    """

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=PayeeKind.choices)
    reference = models.CharField(
        max_length=60, blank=True, help_text="A victim number or vendor number that tells two payees apart."
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "reference"], name="%(app_label)s_%(class)s_unique_name"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind=PayeeKind.CVCF), name="%(app_label)s_%(class)s_one_cvcf_fund"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """What pages, exports, PDFs and history show. A victim payee's name names the victim, which only
        victim services and administrators may read (``name_for``): everywhere else it is "Victim payee"
        and its reference."""
        if self.kind == PayeeKind.VICTIM:
            return f"Victim payee {self.reference}" if self.reference else f"Victim payee #{self.pk}"
        return self._named

    @property
    def _named(self) -> str:
        return f"{self.name} ({self.reference})" if self.reference else self.name

    def name_visible_to(self, user) -> bool:
        """A victim payee's name only for those who may see victims' identities
        (``User.can_see_victim_contacts``); every other payee's for anyone who sees the payee."""
        return self.kind != PayeeKind.VICTIM or getattr(user, "can_see_victim_contacts", False)

    def name_for(self, user) -> str:
        """The payee's name for ``user``, or its label where the name is not theirs to read."""
        return self._named if self.name_visible_to(user) else self.label

    def get_absolute_url(self):
        return reverse("restitution:payee_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        role = user.role
        if role in OFFICE_ROLES:
            return ALL
        if action == VIEW and role in (Role.AUDITOR, Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR):
            return ALL
        if action == ADD and role in (Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR):
            return ALL
        return None


def obligation_priority(kind: str, ordered_on, pk: int) -> tuple:
    """The order a payment pays obligations in: restitution before CVCF before other, oldest order first."""
    return (KIND_PRIORITY[kind], ordered_on, pk)


class Obligation(models.Model):
    """Money a court ordered one offender to pay on one case: restitution, a CVCF judgment or other.

    ``status`` is open until the ledger pays it in full or the court waives it; ``closed_on`` is the
    date of the last allocation that paid it, or the date of the waiver, so the compliance engine can
    skip obligations closed before the day it computes.
    """

    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="obligations")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="obligations")
    kind = models.CharField(max_length=12, choices=ObligationKind.choices)
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="obligations")
    ordered_amount = MoneyField()
    ordered_on = models.DateField()
    status = models.CharField(max_length=8, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    waiver_reference = models.CharField(
        "waiver order", max_length=100, blank=True, help_text="The reference of the court's order that waived it."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The ledger's running figures, kept by the services in the transaction that writes allocations
    # (under the offender's lock) and recomputed there from the allocations themselves, so they cannot
    # drift; the nightly job reads them instead of summing six million allocations. The ledger
    # (allocations) is their history, so simple-history leaves them out.
    paid_total = MoneyField(default=0, editable=False)
    last_allocated_on = models.DateField(null=True, blank=True, editable=False)
    # The schedule in brief, kept by ``plan_create`` from the active plans: the current (last) plan's
    # installment and first due date, and what the plans before it fall due in all. From its first due
    # date on, what is due is ``plan_prior_due`` plus whole months of the current installment. The plans
    # are their history.
    plan_monthly = MoneyField(null=True, blank=True, editable=False)
    plan_first_due_on = models.DateField(null=True, blank=True, editable=False)
    plan_prior_due = MoneyField(default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=["paid_total", "last_allocated_on", "plan_monthly", "plan_first_due_on", "plan_prior_due"]
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["offender_id", "ordered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ordered_amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
            models.UniqueConstraint(fields=["case", "kind"], name="%(app_label)s_%(class)s_one_per_case_and_kind"),
            models.CheckConstraint(
                condition=Q(status=ObligationStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=ObligationStatus.OPEN) & Q(closed_on__isnull=False)),
                name="%(app_label)s_%(class)s_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status=ObligationStatus.WAIVED) | ~Q(waiver_reference=""),
                name="%(app_label)s_%(class)s_waiver_has_reference",
            ),
        ]
        indexes = [models.Index(fields=["status", "closed_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} ${self.ordered_amount:,} on {self.case.case_number}"

    def get_absolute_url(self):
        return reverse("restitution:obligation_detail", args=[self.pk])

    @property
    def priority(self) -> tuple:
        return obligation_priority(self.kind, self.ordered_on, self.pk)

    def clean(self):
        errors = {}
        if self.case_id and self.offender_id and self.case.offender_id != self.offender_id:
            errors["case"] = "This case belongs to another person."
        if self.payee_id and self.kind:
            is_fund = self.payee.kind == PayeeKind.CVCF
            if self.kind == ObligationKind.CVCF and not is_fund:
                errors["payee"] = "A CVCF judgment is paid to the Crime Victims' Compensation Fund."
            if self.kind != ObligationKind.CVCF and is_fund:
                errors["payee"] = "Only a CVCF judgment is paid to the fund."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return offender_scope(user, action, "offender__")


class PaymentPlan(models.Model):
    """A monthly installment from a first due date. A new plan takes over from its own first due date;
    plans that would start on or after it are marked replaced, never deleted, so the history stays."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="plans")
    monthly_amount = MoneyField()
    first_due_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The first due date of the next active plan, which takes over from then on; empty for the last
    # plan. Kept by ``plan_create`` for every active plan of the obligation, under the offender's lock.
    ends_on = models.DateField(null=True, blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced", editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["ends_on"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["obligation_id", "first_due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
            models.UniqueConstraint(
                fields=["obligation", "first_due_on"],
                condition=Q(replaced_at__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_first_due",
            ),
            # One active plan with no end: the last, which the compliance engine reads for each obligation.
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(replaced_at__isnull=True, ends_on__isnull=True),
                name="%(app_label)s_%(class)s_one_last_active",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("first_due_on")),
                name="%(app_label)s_%(class)s_ends_after_first_due",
            ),
        ]

    def __str__(self):
        return f"${self.monthly_amount:,} a month from {self.first_due_on:%b %-d, %Y}"

    @property
    def active(self) -> bool:
        return self.replaced_at is None

    @classmethod
    def scope_q(cls, user, action):
        return offender_scope(user, action, "obligation__offender__")


class Payment(models.Model):
    """Money received from an offender. Never edited or deleted: a mistake is corrected by a reversal."""

    offender = models.ForeignKey(
        Offender, on_delete=models.PROTECT, related_name="restitution_payments", db_index=False
    )
    amount = MoneyField()
    received_on = models.DateField()
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    receipt_number = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=120, unique=True, editable=False)
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="named_payments",
        help_text="The one obligation the officer named; empty to allocate by priority.",
    )
    source = models.CharField(max_length=10, choices=PaymentSource.choices, default=PaymentSource.ENTERED)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
        ]
        indexes = [models.Index(fields=["offender", "received_on"])]

    def __str__(self):
        return f"Receipt {self.receipt_number}"

    def get_absolute_url(self):
        return reverse("restitution:payment_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return offender_scope(user, action, "offender__")


class PaymentReversal(models.Model):
    """The correction of a payment: its allocations are reversed by negative allocations on this date."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="reversal")
    reversed_on = models.DateField()
    reason = models.CharField(max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-reversed_on", "-pk"]

    def __str__(self):
        return f"Reversal of receipt {self.payment.receipt_number}"

    @classmethod
    def scope_q(cls, user, action):
        return offender_scope(user, action, "payment__offender__")


class Allocation(models.Model):
    """One line of the ledger: part of a payment applied to an obligation, or held as credit
    (``obligation`` empty). A reversal is a negative allocation dated the day of the reversal.
    Every payment's lines sum to its amount; a reversed payment's lines sum to zero."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations", db_index=False
    )
    amount = MoneyField()
    allocated_on = models.DateField()
    reversal = models.ForeignKey(
        PaymentReversal, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="%(app_label)s_%(class)s_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(reversal__isnull=True) | Q(amount__lt=0),
                name="%(app_label)s_%(class)s_reversal_is_negative",
            ),
        ]
        indexes = [models.Index(fields=["obligation", "allocated_on"])]

    def __str__(self):
        target = f"obligation {self.obligation_id}" if self.obligation_id else "credit"
        return f"${self.amount:,} to {target} on {self.allocated_on}"

    @property
    def is_credit(self) -> bool:
        return self.obligation_id is None

    @classmethod
    def scope_q(cls, user, action):
        if action != VIEW:
            return None
        return offender_scope(user, action, "payment__offender__")


class Disbursement(models.Model):
    """Money paid out to a payee: the sum of the allocation lines it carries."""

    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="disbursements")
    disbursed_on = models.DateField()
    reference = models.CharField(max_length=60, help_text="Check number or transfer reference.")
    amount = MoneyField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-disbursed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
            models.UniqueConstraint(fields=["payee", "reference"], name="%(app_label)s_%(class)s_unique_reference"),
        ]

    def __str__(self):
        return f"${self.amount:,} to {self.payee} ({self.reference})"

    def get_absolute_url(self):
        return reverse("restitution:disbursement_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        if user.role in OFFICE_ROLES:
            return ALL
        if action == VIEW and user.role == Role.AUDITOR:
            return ALL
        return None


class DisbursementLine(models.Model):
    """One allocation paid out. One line per allocation at most: the same money is never disbursed twice."""

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="lines")
    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT, related_name="disbursement_line")
    amount = MoneyField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"${self.amount:,} of allocation {self.allocation_id}"

    @classmethod
    def scope_q(cls, user, action):
        return Disbursement.scope_q(user, action)


class ComplianceSnapshot(models.Model):
    """The compliance figures of one obligation as of one date, stored by the nightly job.

    Written 600,000 rows a night, so the table is partitioned by ``as_of``, one partition a night
    (migration ``0005_snapshot_partition_per_night``; Django does not know it, and needs not): the
    job writes the night into a fresh table and attaches it (``services.compliance_snapshot_run``),
    and a rerun replaces the night's partition. Only the job writes rows: a row for a night without
    a partition is refused. The primary key ``(as_of, obligation)`` is the one full index, built
    once per night after the load; it serves reads by date and, with the dates named, an
    obligation's history (``selectors.snapshot_history``). The reference to the obligation is kept
    by Django (PROTECT) without a database constraint: a constraint would check every row at commit
    and take a key-share lock on every obligation for the length of the job, holding up the posting
    of payments (which locks obligations). Obligations are never deleted, and the job writes only
    ids it has just read from the obligation table.

    ``previous_status`` is the obligation's status in the snapshot before this one (blank when it
    had none), so "became delinquent" is a property of the row; a partial index holds exactly those
    rows, the few the alerts need each night.
    """

    pk = models.CompositePrimaryKey("as_of", "obligation")
    as_of = models.DateField()
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="snapshots", db_constraint=False, db_index=False
    )
    ordered_amount = MoneyField()
    paid = MoneyField()
    balance = MoneyField()
    expected = MoneyField()
    arrears = MoneyField()
    days_past_due = models.PositiveIntegerField()
    past_due_since = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=14, choices=ComplianceStatus.choices)
    previous_status = models.CharField(max_length=14, choices=ComplianceStatus.choices, blank=True, default="")

    objects = RestrictedQuerySet.as_manager()

    BECAME_DELINQUENT = Q(status=ComplianceStatus.DELINQUENT) & ~Q(previous_status=ComplianceStatus.DELINQUENT)

    class Meta:
        ordering = ["-as_of", "obligation_id"]
        indexes = [
            models.Index(
                fields=["as_of"],
                condition=Q(status="delinquent") & ~Q(previous_status="delinquent"),
                name="restitution_snap_new_delinq",
            )
        ]

    def __str__(self):
        return f"Obligation {self.obligation_id} on {self.as_of}: {self.get_status_display()}"

    @classmethod
    def scope_q(cls, user, action):
        if action != VIEW:
            return None
        return offender_scope(user, action, "obligation__offender__")


__all__ = [
    "Allocation",
    "ComplianceSnapshot",
    "Disbursement",
    "DisbursementLine",
    "Obligation",
    "Payee",
    "Payment",
    "PaymentPlan",
    "PaymentReversal",
]
