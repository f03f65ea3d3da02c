"""The boards' rules, through the services on a real database: terms, training, removal, the chair's
one-year limit, referrals, the member conflict check, quorum after recusals, agreements and conditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from boards import services
from boards.choices import AgreementStatus, ConditionKind, ConditionStatus, ReferralStatus
from boards.models import Agreement, Board, BoardReferral, ChairTerm, Condition, Meeting, Member
from core.conflicts import REFER
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2026, 2, 20)


@pytest.fixture
def board(world):
    return bf.board(world.d9, world.boards, quorum=3)


@pytest.fixture
def members(world, board):
    return [bf.member(board, user=world.boards) for _ in range(4)]


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# Boards and members -------------------------------------------------------------------------------------
def test_a_board_coordinator_must_be_of_the_boards_district(world):
    with pytest.raises(ValidationError) as exc:
        bf.board(world.d10, world.boards)
    assert "coordinator" in exc.value.message_dict
    with pytest.raises(ValidationError):
        bf.board(world.d9, world.officer, user=world.admin)
    assert not Board.objects.exists()


@pytest.mark.parametrize(
    ("end", "ok"),
    [
        (dt.date(2026, 12, 31), False),  # under a year
        (dt.date(2027, 1, 1), True),
        (dt.date(2029, 1, 1), True),  # three years
        (dt.date(2029, 1, 2), False),
    ],
)
def test_a_term_is_one_to_three_years(world, board, end, ok):
    m = Member(board=board, name="Pat Doe", term_start=dt.date(2026, 1, 1), term_end=end)
    if ok:
        assert services.member_add(user=world.boards, member=m).pk
    else:
        with pytest.raises(ValidationError) as exc:
            services.member_add(user=world.boards, member=m)
        assert "term_end" in exc.value.message_dict
        assert not Member.objects.exists()


def test_the_database_refuses_a_term_ending_before_it_starts_and_a_removal_without_reason(world, board):
    m = bf.member(board, user=world.boards)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=m.pk).update(term_end=m.term_start)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=m.pk).update(removed_on=dt.date(2026, 5, 1))


def test_removal_for_cause_needs_a_reason_and_keeps_the_record(world, board):
    m = bf.member(board, user=world.boards)
    with pytest.raises(ValidationError):
        services.member_remove(user=world.boards, member=m, on=dt.date(2026, 5, 1), reason="  ")
    services.member_remove(user=world.boards, member=m, on=dt.date(2026, 5, 1), reason="Missed six meetings")
    m.refresh_from_db()
    assert m.removed_on == dt.date(2026, 5, 1) and m.removal_reason == "Missed six meetings"
    assert not m.serves_on(dt.date(2026, 5, 1)) and m.serves_on(dt.date(2026, 4, 30))
    assert m.history.first().history_change_reason == "Removed: Missed six meetings"
    with pytest.raises(ValidationError, match="already removed"):
        services.member_remove(user=world.boards, member=m, on=dt.date(2026, 6, 1), reason="Again")


# The chair ----------------------------------------------------------------------------------------------
def test_a_chair_serves_at_most_one_year_without_a_break(world, board):
    m, other = bf.member(board, user=world.boards, years=3), bf.member(board, user=world.boards, years=3)
    services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    # continuing without a break beyond a year is refused
    with pytest.raises(ValidationError, match="one year without a break"):
        services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2027, 1, 1))
    # up to a year in all is fine
    services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31))
    # a second year straight on is refused; after another member's turn (a break) it is allowed
    with pytest.raises(ValidationError, match="one year without a break"):
        services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 1, 1))
    services.chair_appoint(user=world.boards, member=other, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 30))
    services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2027, 7, 1), ends_on=dt.date(2028, 6, 30))
    assert ChairTerm.objects.filter(member=m).count() == 3


def test_two_chairs_never_overlap_and_a_chair_serves_on_the_board(world, board):
    m, other = bf.member(board, user=world.boards), bf.member(board, user=world.boards)
    services.chair_appoint(user=world.boards, member=m, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError, match="has a chair"):
        services.chair_appoint(
            user=world.boards, member=other, starts_on=dt.date(2026, 6, 30), ends_on=dt.date(2026, 9, 30)
        )
    with pytest.raises(ValidationError, match="serving member"):
        services.chair_appoint(
            user=world.boards, member=other, starts_on=dt.date(2027, 6, 1), ends_on=dt.date(2028, 5, 31)
        )


# Referrals and the conflict check ----------------------------------------------------------------------
def test_referral_accepted_or_declined_with_a_reason(world, board):
    r = bf.referral(board, world.case, user=world.boards)
    assert r.status == ReferralStatus.PENDING and r.referred_by == world.boards
    with pytest.raises(ValidationError):
        services.referral_decline(user=world.boards, referral=r, on=dt.date(2026, 2, 3), reason="")
    services.referral_decline(user=world.boards, referral=r, on=dt.date(2026, 2, 3), reason="Not eligible")
    r.refresh_from_db()
    assert r.status == ReferralStatus.DECLINED and r.decline_reason == "Not eligible"
    with pytest.raises(ValidationError, match="pending"):
        services.referral_accept(user=world.boards, referral=r, on=dt.date(2026, 2, 4))
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardReferral.objects.filter(pk=r.pk).update(decline_reason="")


def test_a_referral_needs_the_persons_own_case(world, board):
    with pytest.raises(ValidationError) as exc:
        bf.referral(board, world.case, user=world.boards, offender=world.supervised_d10)
    assert "case" in exc.value.message_dict


def test_a_member_with_a_possible_conflict_is_not_added_and_only_the_opaque_message_says_so(world, board):
    from tests.factories.victims import NAME, PHONE, make_victim

    make_victim(cases=[world.case])
    bf.referral(board, world.case, user=world.boards)
    with pytest.raises(ValidationError) as exc:
        bf.member(board, user=world.boards, name=NAME.upper(), phone="573 555 0000")
    assert exc.value.messages == [REFER]
    assert NAME not in str(exc.value) and PHONE not in str(exc.value)
    assert not Member.objects.filter(board=board).exists()
    # somebody else is added
    assert bf.member(board, user=world.boards, name="Unrelated Volunteer").pk


def test_a_referral_is_not_accepted_while_a_serving_member_may_have_a_conflict(world, board):
    from tests.factories.victims import NAME, make_victim

    bf.member(board, user=world.boards, name=NAME)  # no victim recorded yet: no conflict
    make_victim(cases=[world.case])
    r = bf.referral(board, world.case, user=world.boards)
    with pytest.raises(ValidationError) as exc:
        services.referral_accept(user=world.boards, referral=r, on=dt.date(2026, 2, 5))
    assert exc.value.messages == [REFER]
    r.refresh_from_db()
    assert r.status == ReferralStatus.PENDING
    # the other district's person has no conflict with this member
    other = bf.board(world.d10, _coordinator_d10(world), quorum=1)
    bf.member(other, user=world.admin, name=NAME)
    r2 = bf.referral(other, world.case_d10, user=world.admin)
    assert services.referral_accept(user=world.admin, referral=r2, on=dt.date(2026, 2, 5)).status == "accepted"


def _coordinator_d10(world):
    from core.choices import Role
    from tests.factories import UserFactory

    return UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)


# Meetings and quorum -----------------------------------------------------------------------------------
def test_quorum_is_counted_after_recusals_and_without_it_no_agreement(world, board, members):
    r = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=r, date=MEETING_DAY, place="Library", present=members[:3], recused=[members[0]]
    )
    assert meeting.voting_count == 2 and not meeting.quorate
    with pytest.raises(ValidationError, match="No quorum: 2 member"):
        services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    assert not Agreement.objects.exists() and not Condition.objects.exists()
    quorate = services.meeting_record(
        user=world.boards, referral=r, date=MEETING_DAY, place="Library", present=members, recused=[members[0]]
    )
    assert quorate.voting_count == 3 and quorate.quorate
    agreement = services.agreement_approve(user=world.boards, meeting=quorate, conditions=bf.conditions())
    assert agreement.due_on == MEETING_DAY + dt.timedelta(days=90) and agreement.status == AgreementStatus.ACTIVE
    assert agreement.conditions.count() == 3 and set(agreement.conditions.values_list("due_on", flat=True)) == {
        agreement.due_on
    }
    with pytest.raises(ValidationError, match="already"):
        services.agreement_approve(user=world.boards, meeting=quorate, conditions=bf.conditions())


def test_only_trained_serving_members_sit_and_only_those_present_recuse(world, board, members):
    r = bf.accepted(board, world.case, user=world.boards)
    untrained = bf.member(board, user=world.boards, trained=None)
    late = bf.member(board, user=world.boards, trained=MEETING_DAY + dt.timedelta(days=1))
    for who in (untrained, late):
        with pytest.raises(ValidationError, match="training"):
            services.meeting_record(user=world.boards, referral=r, date=MEETING_DAY, place="Hall", present=[who])
    with pytest.raises(ValidationError, match="does not serve"):
        services.meeting_record(
            user=world.boards, referral=r, date=dt.date(2025, 12, 1), place="Hall", present=[members[0]]
        )
    with pytest.raises(ValidationError, match="Only a member present"):
        services.meeting_record(
            user=world.boards, referral=r, date=MEETING_DAY, place="Hall", present=members[:2], recused=[members[3]]
        )
    assert not Meeting.objects.exists()


def test_no_meeting_about_a_referral_not_accepted(world, board, members):
    r = bf.referral(board, world.case, user=world.boards)
    with pytest.raises(ValidationError, match="accepted"):
        services.meeting_record(user=world.boards, referral=r, date=MEETING_DAY, place="Hall", present=members)


# Conditions ---------------------------------------------------------------------------------------------
@pytest.fixture
def agreement(world, board, members):
    r = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(user=world.boards, referral=r, date=MEETING_DAY, place="Hall", present=members)
    return services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions(), days=60)


def test_conditions_need_their_hours_or_amount_and_fall_within_the_period(world, board, members):
    r = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(user=world.boards, referral=r, date=MEETING_DAY, place="Hall", present=members)
    for bad, field in (
        (services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Hours"), "hours"),
        (services.NewCondition(kind=ConditionKind.RESTITUTION, description="Pay"), "amount"),
        (
            services.NewCondition(kind=ConditionKind.OTHER, description="x", due_on=MEETING_DAY + dt.timedelta(91)),
            "due_on",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            services.agreement_approve(user=world.boards, meeting=meeting, conditions=[bad])
        assert field in exc.value.message_dict
    assert not Agreement.objects.exists()


def test_an_apology_is_recorded_with_evidence_and_tracked_kinds_never_by_hand(world, agreement):
    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    with pytest.raises(ValidationError) as exc:
        services.condition_record(user=world.boards, condition=apology, met=True, on=dt.date(2026, 3, 1))
    assert "evidence" in exc.value.message_dict
    services.condition_record(
        user=world.boards, condition=apology, met=True, on=dt.date(2026, 3, 1), evidence="Letter received"
    )
    apology.refresh_from_db()
    assert apology.status == ConditionStatus.MET and apology.met_on == dt.date(2026, 3, 1)
    for kind in (ConditionKind.SERVICE_HOURS, ConditionKind.RESTITUTION):
        with pytest.raises(ValidationError, match="never by hand"):
            services.condition_record(
                user=world.boards,
                condition=agreement.conditions.get(kind=kind),
                met=True,
                on=dt.date(2026, 3, 1),
                evidence="x",
            )
    with pytest.raises(PermissionDenied):
        services.condition_record(user=world.officer, condition=apology, met=False, on=dt.date(2026, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.objects.filter(pk=apology.pk).update(met_on=None)


def test_history_names_the_author(world, agreement):
    assert agreement.history.first().history_user == world.boards
    assert agreement.conditions.first().history.first().history_user == world.boards
    assert Decimal(agreement.conditions.get(kind=ConditionKind.RESTITUTION).amount) == Decimal("250.00")
