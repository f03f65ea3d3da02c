"""Conditions that track themselves: a class condition met when the classes record the completion."""

import datetime as dt
from decimal import Decimal

import pytest

from boards import services
from boards.choices import ConditionKind, ConditionStatus
from tests.factories import boards as bf
from tests.factories.classes import attend_all, enroll, offering

pytestmark = pytest.mark.django_db


def test_a_class_condition_is_met_when_the_class_is_completed(world):
    from classes import services as classes

    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    agreement = services.agreement_approve(
        user=world.boards,
        meeting=meeting,
        conditions=[services.NewCondition(kind=ConditionKind.CLASS, description="Victim impact class")],
    )
    condition = agreement.conditions.get()
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 1)) == 0
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.OPEN
    o = offering(world.acc)
    e = enroll(o, world.supervised)
    attend_all(o, world.supervised)
    classes.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 4, 1))
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 4, 2)) == 1
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.MET and condition.met_on == dt.date(2026, 4, 2)
    # idempotent
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 4, 3)) == 0


def test_a_service_hours_condition_is_met_by_hours_verified_in_community_service(world):
    from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement

    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    agreement = services.agreement_approve(
        user=world.boards,
        meeting=meeting,
        conditions=[
            services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Food bank", hours=Decimal("8"))
        ],
    )
    condition = agreement.conditions.get()
    order = OrderFactory(case=world.case, hours_ordered=Decimal("8.00"))
    place = placement(world.supervised, AgencyFactory())
    log(order, place, dt.date(2026, 3, 2), "4.00")
    log(order, place, dt.date(2026, 3, 3), "4.00", verified=False)  # reported, not credited
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 4)) == 0
    log(order, place, dt.date(2026, 3, 4), "4.00")
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 5)) == 1
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.MET and condition.met_on == dt.date(2026, 3, 5)


def _agreement_with(world, condition):
    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    return services.agreement_approve(user=world.boards, meeting=meeting, conditions=[condition])


def test_a_restitution_condition_is_met_by_a_payment_posted_and_unmet_again_when_it_is_reversed(world):
    from restitution import services as restitution
    from tests.factories import CourtCaseFactory
    from tests.factories.restitution import obligation, pay

    obligation(world.case, amount="1000.00")
    other = CourtCaseFactory(offender=world.supervised)
    obligation(other, amount="1000.00")
    agreement = _agreement_with(
        world,
        services.NewCondition(kind=ConditionKind.RESTITUTION, description="The window", amount=Decimal("250.00")),
    )
    condition = agreement.conditions.get()
    pay(world.supervised, "300.00", dt.date(2026, 2, 1), user=world.officer)  # before the agreement: not counted
    pay(world.supervised, "100.00", dt.date(2026, 3, 1), user=world.officer)
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 2)) == 0
    payment = pay(world.supervised, "150.00", dt.date(2026, 3, 10), user=world.officer)
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 9)) == 0  # not yet
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 10)) == 1
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.MET and condition.met_on == dt.date(2026, 3, 10)
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 11)) == 0

    restitution.payment_reverse(payment=payment, reversed_on=dt.date(2026, 3, 20), reason="Bounced")
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 21)) == 1
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.OPEN and condition.met_on is None
    reasons = list(condition.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Met by its records", "No longer met by its records"]


def test_money_paid_toward_another_case_does_not_meet_the_condition(world):
    from tests.factories import CourtCaseFactory
    from tests.factories.restitution import obligation, pay

    other = CourtCaseFactory(offender=world.supervised)
    target = obligation(other, amount="1000.00")
    agreement = _agreement_with(
        world,
        services.NewCondition(kind=ConditionKind.RESTITUTION, description="The window", amount=Decimal("50.00")),
    )
    pay(world.supervised, "500.00", dt.date(2026, 3, 1), user=world.officer, obligation=target)
    assert services.agreement_conditions_refresh(agreement=agreement, as_of=dt.date(2026, 3, 2)) == 0
    assert agreement.conditions.get().status == ConditionStatus.OPEN
