"""The ledger's rules: allocation order, named obligations, credit, reversals, idempotency, disbursements."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from restitution import services
from restitution.choices import ObligationKind, ObligationStatus
from restitution.models import Allocation, DisbursementLine, Obligation, Payment, PaymentPlan
from restitution.selectors import credit_by_offender
from tests.factories import CourtCaseFactory
from tests.factories.restitution import obligation, pay

pytestmark = pytest.mark.django_db
D = Decimal


def total(qs) -> Decimal:
    """An exact sum, row by row in Python: the oracle does not trust the database's SUM."""
    return sum(qs.values_list("amount", flat=True), D(0))


def paid(o):
    return total(Allocation.objects.filter(obligation=o))


@pytest.fixture
def person(world, frozen):
    """Four obligations on four cases, deliberately created out of priority order."""
    w = world
    p = type("P", (), {})()
    p.offender = w.supervised
    p.other = obligation(
        CourtCaseFactory(offender=w.supervised),
        kind=ObligationKind.OTHER,
        amount="50.00",
        ordered_on=dt.date(2024, 1, 1),
    )
    p.cvcf = obligation(
        CourtCaseFactory(offender=w.supervised),
        kind=ObligationKind.CVCF,
        amount="68.00",
        ordered_on=dt.date(2024, 6, 1),
    )
    p.new_restitution = obligation(
        CourtCaseFactory(offender=w.supervised), amount="300.00", ordered_on=dt.date(2025, 6, 1)
    )
    p.old_restitution = obligation(
        CourtCaseFactory(offender=w.supervised), amount="200.00", ordered_on=dt.date(2025, 1, 1)
    )
    return p


def test_allocation_goes_restitution_then_cvcf_then_other_oldest_order_first(person):
    p = person
    pay(p.offender, "250.00", dt.date(2026, 6, 1))
    assert (paid(p.old_restitution), paid(p.new_restitution), paid(p.cvcf), paid(p.other)) == (200, 50, 0, 0)
    pay(p.offender, "400.00", dt.date(2026, 6, 2))
    assert (paid(p.new_restitution), paid(p.cvcf), paid(p.other)) == (300, 68, 50)
    assert credit_by_offender([p.offender.pk]) == {p.offender.pk: D("32.00")}
    p.old_restitution.refresh_from_db()
    assert p.old_restitution.status == ObligationStatus.PAID
    assert p.old_restitution.closed_on == dt.date(2026, 6, 1)


def test_a_named_obligation_is_paid_first_and_the_rest_by_priority(person):
    p = person
    payment = pay(p.offender, "100.00", dt.date(2026, 6, 1), obligation=p.other)
    assert paid(p.other) == 50
    assert paid(p.old_restitution) == 50
    assert payment.obligation == p.other


def test_money_beyond_every_balance_is_held_as_credit_then_used_for_a_new_obligation(world, person):
    p = person
    payment = pay(p.offender, "700.00", dt.date(2026, 6, 1))
    assert credit_by_offender([p.offender.pk]) == {p.offender.pk: D("82.00")}
    assert Obligation.objects.filter(offender=p.offender, status=ObligationStatus.OPEN).count() == 0
    new = obligation(CourtCaseFactory(offender=world.supervised), amount="60.00", ordered_on=dt.date(2026, 6, 10))
    assert paid(new) == 60
    assert credit_by_offender([p.offender.pk]) == {p.offender.pk: D("22.00")}
    # The credit used stays part of the same payment: its lines still sum to its amount.
    assert total(payment.allocations.all()) == D("700.00")


def test_a_reversal_points_at_the_original_and_reopens_what_it_paid(world, person):
    p = person
    first = pay(p.offender, "250.00", dt.date(2026, 5, 1))
    second = pay(p.offender, "700.00", dt.date(2026, 6, 1))  # pays all $618 owed; $332 is held as credit
    assert credit_by_offender([p.offender.pk])[p.offender.pk] == D("332.00")
    reversal = services.payment_reverse(payment=first, reversed_on=dt.date(2026, 6, 10), reason="Returned unpaid")
    assert reversal.payment == first
    assert total(first.allocations.all()) == 0
    assert all(a.amount < 0 and a.allocated_on == dt.date(2026, 6, 10) for a in reversal.allocations.all())
    # The credit the second payment held went to the balance the reversal reopened.
    assert credit_by_offender([p.offender.pk]) == {p.offender.pk: D("82.00")}
    assert total(second.allocations.all()) == D("700.00")
    assert Obligation.objects.filter(offender=p.offender, status=ObligationStatus.PAID).count() == 4
    with pytest.raises(ValidationError, match="already reversed"):
        services.payment_reverse(payment=first, reversed_on=dt.date(2026, 6, 11), reason="Again")


def test_a_reversal_cannot_predate_the_payment_or_be_in_the_future(person, frozen):
    payment = pay(person.offender, "10.00", dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="before"):
        services.payment_reverse(payment=payment, reversed_on=dt.date(2026, 5, 31), reason="Typo")
    with pytest.raises(ValidationError, match="future"):
        services.payment_reverse(payment=payment, reversed_on=frozen + dt.timedelta(days=1), reason="Typo")


def test_the_same_idempotency_key_posts_once(person):
    first = pay(person.offender, "40.00", dt.date(2026, 6, 1), key="form:abc")
    again = pay(person.offender, "40.00", dt.date(2026, 6, 1), key="form:abc")
    assert again.pk == first.pk and again.replayed
    assert Payment.objects.count() == 1
    with pytest.raises(ValidationError, match="different payment"):
        pay(person.offender, "41.00", dt.date(2026, 6, 1), key="form:abc")


def test_receipt_numbers_are_unique_and_sequential_per_person(world, person):
    a = pay(person.offender, "1.00", dt.date(2026, 6, 1))
    b = pay(person.offender, "1.00", dt.date(2026, 6, 1))
    assert (a.receipt_number, b.receipt_number) == ("RJ-1000001-0001", "RJ-1000001-0002")
    with pytest.raises(ValidationError):
        services.payment_post(
            offender=person.offender,
            amount=D("5"),
            received_on=dt.date(2026, 6, 1),
            method="money_order",
            idempotency_key="other",
            receipt_number=a.receipt_number,
        )


def test_payments_cannot_be_dated_in_the_future(person, frozen):
    with pytest.raises(ValidationError, match="future"):
        pay(person.offender, "1.00", frozen + dt.timedelta(days=1))


def test_the_database_refuses_what_the_rules_forbid(person):
    payment = pay(person.offender, "10.00", dt.date(2026, 6, 1))
    for bad in (
        lambda: Allocation.objects.create(payment=payment, obligation=None, amount=0, allocated_on=dt.date(2026, 6, 1)),
        lambda: Payment.objects.filter(pk=payment.pk).update(amount=D("-1")),
        lambda: Obligation.objects.filter(pk=person.cvcf.pk).update(status=ObligationStatus.WAIVED),
        lambda: PaymentPlan.objects.create(obligation=person.cvcf, monthly_amount=0, first_due_on=dt.date(2026, 7, 1)),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            bad()
    with pytest.raises(ProtectedError):
        payment.delete()
    with pytest.raises(ProtectedError):
        person.old_restitution.delete()


def test_a_waived_obligation_takes_no_more_money(person):
    p = person
    services.obligation_waive(obligation=p.old_restitution, waived_on=dt.date(2026, 6, 1), reference="Order 17")
    pay(p.offender, "100.00", dt.date(2026, 6, 2))
    assert paid(p.old_restitution) == 0
    assert paid(p.new_restitution) == 100
    with pytest.raises(ValidationError):
        services.plan_create(obligation=p.old_restitution, monthly_amount=D("5"), first_due_on=dt.date(2026, 7, 1))


def test_disbursement_pays_out_each_allocation_once(world, person, frozen):
    p = person
    pay(p.offender, "250.00", dt.date(2026, 6, 1))
    victim = p.old_restitution.payee
    d = services.disbursement_create(payee=victim, disbursed_on=frozen, reference="CHK 1001")
    assert d.amount == D("200.00")
    assert services.undisbursed(victim).count() == 0
    with pytest.raises(ValidationError, match="Nothing is owed"):
        services.disbursement_create(payee=victim, disbursed_on=frozen, reference="CHK 1002")
    line = d.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DisbursementLine.objects.create(disbursement=d, allocation=line.allocation, amount=line.amount)


def test_a_reversal_after_disbursement_is_netted_against_the_next_payout(world, person, frozen):
    p = person
    payment = pay(p.offender, "150.00", dt.date(2026, 6, 1))
    victim = p.old_restitution.payee
    services.disbursement_create(payee=victim, disbursed_on=frozen, reference="CHK 1")
    services.payment_reverse(payment=payment, reversed_on=frozen, reason="Bounced")
    assert sum(a.amount for a in services.undisbursed(victim)) == D("-150.00")
    pay(p.offender, "200.00", frozen)
    d = services.disbursement_create(payee=victim, disbursed_on=frozen, reference="CHK 2")
    assert d.amount == D("50.00")  # $200 received, less the $150 paid out before the reversal


def test_an_amended_order_changes_the_amount_and_is_kept_in_the_history(world, person):
    p = person
    pay(p.offender, "250.00", dt.date(2026, 6, 1))  # the older restitution is paid in full (200), the newer 50
    amended = services.obligation_amend(
        obligation=p.old_restitution,
        ordered_amount=D("450.00"),
        amended_on=dt.date(2026, 6, 2),
        reference="Amended judgment 26-114",
        user=world.officer,
    )
    amended.refresh_from_db()
    assert amended.ordered_amount == D("450.00")
    latest = amended.history.first()
    assert latest.history_user == world.officer
    assert latest.history_change_reason == "Amended Jun 2, 2026 (Amended judgment 26-114): $200.00 to $450.00"
    # The amendment, then the reopening it caused, both with the order's reference.
    rows = [(h.ordered_amount, h.status, h.history_change_reason) for h in amended.history.all()[:3]]
    assert rows == [
        (D("450.00"), ObligationStatus.OPEN, latest.history_change_reason),
        (D("450.00"), ObligationStatus.PAID, latest.history_change_reason),
        (D("200.00"), ObligationStatus.PAID, None),
    ]


def test_an_amended_order_cannot_take_back_what_was_paid(person):
    p = person
    pay(p.offender, "250.00", dt.date(2026, 6, 1), obligation=p.old_restitution)
    with pytest.raises(ValidationError) as caught:
        services.obligation_amend(
            obligation=p.old_restitution, ordered_amount=D("150.00"), amended_on=dt.date(2026, 6, 2), reference="A-1"
        )
    assert "$200.00 has already been paid to it" in caught.value.message_dict["ordered_amount"][0]
    for amount, day, reference, field in (
        ("200.00", dt.date(2026, 6, 2), "A-1", "ordered_amount"),  # the same amount
        ("0.00", dt.date(2026, 6, 2), "A-1", "ordered_amount"),
        ("300.00", dt.date(2024, 12, 1), "A-1", "amended_on"),  # before the order
        ("300.00", dt.date(2026, 6, 2), " ", "reference"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.obligation_amend(
                obligation=p.old_restitution, ordered_amount=D(amount), amended_on=day, reference=reference
            )
        assert field in caught.value.message_dict


def test_raising_a_paid_in_full_amount_opens_it_again_and_uses_the_credit_held(person):
    p = person
    pay(p.offender, "700.00", dt.date(2026, 6, 1))  # pays all four (618) and leaves 82 as credit
    p.old_restitution.refresh_from_db()
    assert p.old_restitution.status == ObligationStatus.PAID
    assert credit_by_offender([p.offender.pk])[p.offender.pk] == D("82.00")
    services.obligation_amend(
        obligation=p.old_restitution, ordered_amount=D("300.00"), amended_on=dt.date(2026, 6, 3), reference="A-2"
    )
    p.old_restitution.refresh_from_db()
    assert paid(p.old_restitution) == D("282.00")
    assert (p.old_restitution.status, p.old_restitution.paid_total) == (ObligationStatus.OPEN, D("282.00"))
    assert p.offender.pk not in credit_by_offender([p.offender.pk])
    services.obligation_waive(obligation=p.old_restitution, waived_on=dt.date(2026, 6, 4), reference="W-1")
    with pytest.raises(ValidationError, match="waived"):
        services.obligation_amend(
            obligation=p.old_restitution, ordered_amount=D("500.00"), amended_on=dt.date(2026, 6, 4), reference="A-3"
        )
