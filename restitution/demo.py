"""Demo data: obligations, plans and payments for the demo officers' caseloads (idempotent).

Every person is fictional. A fixed random seed per DOC ID gives each person the same story on
every load: some pay on time, some are late, some stopped paying months ago (delinquent), some
paid in full, one overpaid (credit held), one payment bounced (a reversal).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.choices import OffenderStatus
from core.models import Offender, User

from . import services
from .choices import ObligationKind, PayeeKind, PaymentMethod
from .compliance import add_months
from .models import Obligation, Payee

DEMO_OFFICERS = ("officer.d9", "officer2.d9", "officer.d10")
PER_OFFICER = 20
VICTIMS = [
    "Casey's General Store #2231",
    "Lincoln University Bookstore",
    "Hy-Vee Jefferson City",
    "Ameren Missouri",
    "Capital Region Auto Sales",
    "First Baptist Church of Holts Summit",
    "Springfield Public Schools",
    "Walmart Supercenter #65",
]
STORIES = ["on_time"] * 5 + ["late"] * 2 + ["stopped"] * 3 + ["paid"] + ["credit"] + ["none"]


@transaction.atomic
def demo_seed(today: dt.date | None = None) -> int:
    """Give each demo officer's caseload restitution to follow. Returns how many people were added."""
    today = today or timezone.localdate()
    added = 0
    for username in DEMO_OFFICERS:
        officer = User.objects.filter(username=username).first()
        if officer is None:
            continue
        people = (
            Offender.objects.filter(supervising_officer=officer, status=OffenderStatus.SUPERVISED, cases__isnull=False)
            .distinct()
            .order_by("doc_id")[:PER_OFFICER]
        )
        for person in people:
            if Obligation.objects.filter(offender=person).exists():
                continue
            _person(person, officer, today)
            added += 1
    if added:
        for months in (2, 1):
            services.compliance_snapshot_run(as_of=add_months(today, -months), notify=False)
        services.compliance_snapshot_run(as_of=today, notify=False)
        _disburse(today)
    return added


def _person(person, officer, today):
    rng = random.Random(int(person.doc_id))
    case = person.cases.order_by("sentencing_date").first()
    story = rng.choice(STORIES)
    ordered_on = add_months(today, -rng.randint(8, 24))
    amount = Decimal(rng.randrange(600, 6000, 25))
    monthly = max(Decimal(25), (amount / rng.choice([18, 24, 36])).quantize(Decimal("1")))
    base = add_months(ordered_on.replace(day=1), 1)
    # Some plans fall due on the 31st: shorter months move them to their last day.
    first_due = base.replace(day=min(rng.choice([1, 5, 15, 28, 31]), calendar.monthrange(base.year, base.month)[1]))
    victim_name = rng.choice(VICTIMS)
    victim = Payee.objects.filter(name=victim_name, kind=PayeeKind.VICTIM).first() or services.payee_create(
        name=victim_name, kind=PayeeKind.VICTIM
    )
    scheduled = story != "none"
    services.obligation_create(
        case=case,
        kind=ObligationKind.RESTITUTION,
        payee=victim,
        ordered_amount=amount,
        ordered_on=ordered_on,
        monthly_amount=monthly if scheduled else None,
        first_due_on=first_due if scheduled else None,
        user=officer,
    )
    cvcf = None
    if rng.random() < 0.6:
        cvcf = services.obligation_create(
            case=case,
            kind=ObligationKind.CVCF,
            ordered_amount=Decimal(rng.choice([46, 68, 100, 150])),
            ordered_on=ordered_on,
            monthly_amount=Decimal(10) if scheduled else None,
            first_due_on=first_due if scheduled else None,
            user=officer,
        )
    if not scheduled:
        return
    due_months = 0
    while add_months(first_due, due_months) <= today:
        due_months += 1
    paid_months = {
        "on_time": due_months,
        "late": max(0, due_months - 1),
        "stopped": max(0, due_months - rng.randint(4, 7)),
        "paid": due_months,
        "credit": due_months,
    }[story]
    payments = []  # (day, amount, named obligation)
    for k in range(paid_months):
        day = max(ordered_on, add_months(first_due, k) - dt.timedelta(days=rng.randint(0, 6)))
        payments.append((day, monthly, None))
        if cvcf is not None and Decimal(10) * k < cvcf.ordered_amount:
            # The officer names the CVCF judgment, or priority would send everything to restitution first.
            payments.append((day, Decimal(10), cvcf))
    if story == "paid":
        payments.append((today - dt.timedelta(days=3), amount, None))
    if story == "credit":
        payments.append((today - dt.timedelta(days=2), amount + Decimal(400), None))
    method = rng.choice([PaymentMethod.MONEY_ORDER, PaymentMethod.PAYROLL_DEDUCTION, PaymentMethod.ELECTRONIC])
    posted = []
    for i, (day, value, named) in enumerate(payments):
        if day > today:
            continue
        if named is not None:
            named.refresh_from_db(fields=["status"])
            if named.status != "open":
                continue
        posted.append(
            services.payment_post(
                offender=person,
                amount=value,
                received_on=day,
                method=method,
                obligation=named,
                idempotency_key=f"demo:{person.doc_id}:{i}",
                entered_by=officer,
                # Some demo people pay ahead and hold credit, as the officer would have confirmed.
                over_balance_confirmed=True,
            )
        )
    if story == "late" and len(posted) > 2 and rng.random() < 0.5:
        bounced = posted[-2]
        last = max(a.allocated_on for a in bounced.allocations.all())
        services.payment_reverse(
            payment=bounced,
            reversed_on=min(today, last + dt.timedelta(days=9)),
            reason="Money order returned unpaid",
            entered_by=officer,
        )


def _disburse(today):
    fund = services.payee_cvcf()
    for payee in [fund, *Payee.objects.filter(kind=PayeeKind.VICTIM).order_by("name")[:3]]:
        if payee.disbursements.exists():
            continue
        try:
            services.disbursement_create(
                payee=payee, disbursed_on=add_months(today, -1), reference=f"DEMO-{payee.pk:04d}"
            )
        except ValidationError:  # nothing owed yet for this payee
            continue
