"""Property-based: for any sequence of payments, reversals, plan changes, new obligations, waivers and
disbursements, money in equals money allocated plus credit, no balance goes below zero, credit is
held only when nothing open is left to pay, and nothing is disbursed twice."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restitution import services
from restitution.choices import ObligationKind, ObligationStatus
from restitution.models import Allocation, Disbursement, DisbursementLine, Obligation, Payment
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories.restitution import PayeeFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)
money = st.integers(min_value=1, max_value=60_000).map(lambda c: Decimal(c) / 100)
days_ago = st.integers(min_value=0, max_value=400)

operation = st.one_of(
    st.tuples(st.just("pay"), money, st.one_of(st.none(), st.integers(0, 5)), days_ago),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("plan"), st.integers(0, 5), money, st.integers(-300, 300)),
    st.tuples(st.just("obligation"), st.sampled_from(list(ObligationKind)), money, days_ago),
    st.tuples(st.just("waive"), st.integers(0, 5)),
    st.tuples(st.just("disburse"), st.integers(0, 2)),
)


def total(qs) -> Decimal:
    """An exact sum: row by row in Python (the oracle does not trust the database's SUM)."""
    return sum(qs.values_list("amount", flat=True), Decimal(0))


def check_invariants(offender, payees):
    lines = Allocation.objects.filter(payment__offender=offender)
    received = total(Payment.objects.filter(offender=offender))
    returned = total(Payment.objects.filter(offender=offender, reversal__isnull=False))
    allocated = total(lines.filter(obligation__isnull=False))
    credit = total(lines.filter(obligation__isnull=True))
    # Money in (net of reversals) equals money allocated plus credit held.
    assert received - returned == allocated + credit
    assert credit >= 0
    for payment in Payment.objects.filter(offender=offender):
        assert total(payment.allocations.all()) == (0 if hasattr(payment, "reversal") else payment.amount)
        assert total(payment.allocations.filter(obligation__isnull=True)) >= 0
    open_balance = False
    for o in Obligation.objects.filter(offender=offender):
        paid = total(o.allocations.all())
        assert 0 <= paid <= o.ordered_amount, "a balance went below zero"
        # The running figures the nightly job reads agree with the ledger.
        last = o.allocations.aggregate(last=Max("allocated_on"))["last"]
        assert (o.paid_total, o.last_allocated_on) == (paid, last)
        # Each active plan ends where the next one takes over; the last never ends.
        active = o.plans.filter(replaced_at__isnull=True).order_by("first_due_on")
        starts = list(active.values_list("first_due_on", "ends_on"))
        assert [e for _, e in starts] == [f for f, _ in starts[1:]] + ([None] if starts else [])
        if o.status != ObligationStatus.WAIVED:
            assert (o.status == ObligationStatus.PAID) == (paid == o.ordered_amount)
            open_balance |= paid < o.ordered_amount
    # Credit is held only when every open balance is paid.
    assert not (credit > 0 and open_balance)
    # Nothing is disbursed twice, and a disbursement is the sum of its lines.
    disbursed = list(DisbursementLine.objects.values_list("allocation_id", flat=True))
    assert not [a for a, n in Counter(disbursed).items() if n > 1]
    for d in Disbursement.objects.all():
        assert total(d.lines.all()) == d.amount
        assert not d.lines.exclude(allocation__obligation__payee=d.payee).exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_money_is_never_lost_or_counted_twice(world, operations):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False), transaction.atomic():
        offender = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        payees = [PayeeFactory(name="Victim A"), PayeeFactory(name="Victim B"), services.payee_cvcf()]
        obligations = []
        payments = []

        def new_obligation(kind, amount, ordered_on):
            payee = None if kind == ObligationKind.CVCF else payees[len(obligations) % 2]
            obligations.append(
                services.obligation_create(
                    case=CourtCaseFactory(offender=offender),
                    kind=kind,
                    payee=payee,
                    ordered_amount=amount,
                    ordered_on=ordered_on,
                )
            )

        new_obligation(ObligationKind.RESTITUTION, Decimal("300.00"), TODAY - dt.timedelta(days=500))
        for op in operations:
            try:
                if op[0] == "pay":
                    _, amount, named, ago = op
                    target = obligations[named % len(obligations)] if named is not None else None
                    if target is not None:
                        target.refresh_from_db()
                        if target.status != ObligationStatus.OPEN:
                            target = None
                    payments.append(
                        services.payment_post(
                            offender=offender,
                            amount=amount,
                            received_on=TODAY - dt.timedelta(days=ago),
                            method="money_order",
                            idempotency_key=f"prop:{len(payments)}:{offender.pk}",
                            obligation=target,
                            over_balance_confirmed=True,
                        )
                    )
                elif op[0] == "reverse" and payments:
                    payment = payments[op[1] % len(payments)]
                    last = payment.allocations.order_by("-allocated_on").first().allocated_on
                    services.payment_reverse(
                        payment=payment, reversed_on=min(TODAY, last + dt.timedelta(days=op[2])), reason="Test"
                    )
                elif op[0] == "plan":
                    _, index, monthly, offset = op
                    services.plan_create(
                        obligation=obligations[index % len(obligations)],
                        monthly_amount=monthly,
                        first_due_on=TODAY + dt.timedelta(days=offset),
                    )
                elif op[0] == "obligation":
                    _, kind, amount, ago = op
                    if not Obligation.objects.filter(offender=offender, kind=kind).count() > 3:
                        new_obligation(kind, amount, TODAY - dt.timedelta(days=ago))
                elif op[0] == "waive":
                    services.obligation_waive(
                        obligation=obligations[op[1] % len(obligations)], waived_on=TODAY, reference="Order 9"
                    )
                elif op[0] == "disburse":
                    services.disbursement_create(
                        payee=payees[op[1]], disbursed_on=TODAY, reference=f"CHK-{Disbursement.objects.count()}"
                    )
            except ValidationError:
                pass  # a refused step (already reversed, nothing owed, not open) changes nothing
            check_invariants(offender, payees)
        transaction.set_rollback(True)
