"""The integrity rules of hour logs and placements, through the services, each refusal in plain words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from community_service import services
from community_service.choices import Verification, VerificationMethod
from community_service.models import HourLog
from core.conflicts import PersonDetails, normalize_email
from core.registry import ConflictChecker, registry
from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement

pytestmark = pytest.mark.django_db


def record(cs, w, **values):
    kwargs = {
        "user": w.officer,
        "order": cs.order,
        "placement": cs.place,
        "date": dt.date(2026, 6, 1),
        "task": "Sorting",
    }
    kwargs.update(values)
    return services.hour_log_record(**kwargs)


def refusal(exc) -> dict:
    return exc.value.message_dict


def test_hours_are_worked_out_from_start_and_end_times(world, cs):
    entry = record(cs, world, start_time=dt.time(8, 0), end_time=dt.time(12, 45))
    assert entry.hours == Decimal("4.75")
    assert entry.credited_hours == Decimal("0.00")
    assert entry.verification == Verification.PENDING


def test_no_hours_before_the_placement_starts(world, cs):
    with pytest.raises(ValidationError) as exc:
        record(cs, world, date=dt.date(2026, 1, 20), hours=Decimal("2"))
    assert refusal(exc) == {"date": ["This is before the placement starts (Feb 1, 2026)."]}


def test_no_hours_before_the_order(world, cs):
    early = placement(world.supervised, AgencyFactory(), start_on=dt.date(2025, 12, 1), user=world.admin)
    with pytest.raises(ValidationError) as exc:
        record(cs, world, placement=early, date=dt.date(2025, 12, 20), hours=Decimal("2"))
    assert refusal(exc) == {"date": ["This is before the order date (Jan 1, 2026)."]}


def test_no_hours_in_the_future(world, cs):
    with pytest.raises(ValidationError) as exc:
        record(cs, world, date=dt.date(2026, 6, 16), hours=Decimal("2"))
    assert refusal(exc) == {"date": ["The date is in the future."]}


def test_no_overlapping_times_for_one_person(world, cs):
    record(cs, world, start_time=dt.time(8, 0), end_time=dt.time(12, 0))
    other = placement(world.supervised, AgencyFactory(), start_on=dt.date(2026, 3, 1), user=world.admin)
    with pytest.raises(ValidationError) as exc:
        record(cs, world, placement=other, start_time=dt.time(11, 30), end_time=dt.time(13, 0))
    assert refusal(exc) == {"start_time": ["These times overlap hours already logged on Jun 1, 2026 (08:00 to 12:00)."]}
    # Back to back is not an overlap.
    assert record(cs, world, placement=other, start_time=dt.time(12, 0), end_time=dt.time(13, 0)).hours == 1


def test_at_most_sixteen_hours_a_day(world, cs):
    record(cs, world, hours=Decimal("10"))
    with pytest.raises(ValidationError) as exc:
        record(cs, world, hours=Decimal("6.50"))
    assert refusal(exc) == {
        "hours": [
            "This person already has 10.00 hours logged on Jun 1, 2026; with these it would be 16.50, "
            "more than 16 hours in one day."
        ]
    }
    assert HourLog.objects.count() == 1


def test_a_void_log_counts_nowhere_in_the_day(world, cs):
    first = record(cs, world, hours=Decimal("10"))
    services.hour_log_void(log=first, user=world.officer, reason="Entered twice")
    assert record(cs, world, hours=Decimal("10")).hours == Decimal("10.00")


def test_times_and_hours_must_agree(world, cs):
    with pytest.raises(ValidationError) as exc:
        record(cs, world, start_time=dt.time(8, 0), end_time=dt.time(10, 0), hours=Decimal("3"))
    assert refusal(exc) == {"hours": ["From the start to the end time is 2.00 hours, not 3."]}
    with pytest.raises(ValidationError) as exc:
        record(cs, world, start_time=dt.time(10, 0), end_time=dt.time(9, 0))
    assert refusal(exc) == {"end_time": ["The end time must be after the start time."]}
    with pytest.raises(ValidationError) as exc:
        record(cs, world)
    assert refusal(exc) == {"hours": ["Enter the hours worked, or the start and end times."]}


def test_a_decided_log_is_locked_and_corrected_by_void_and_new_entry(world, cs):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "4.00", user=world.officer)
    assert entry.credited_hours == Decimal("4.00")
    assert entry.decided_by == world.officer and entry.method == VerificationMethod.SIGNED_SHEET
    with pytest.raises(ValidationError) as exc:
        services.hour_log_correct(log=entry, user=world.officer, hours=Decimal("5"))
    assert "locked: void it with a reason and enter the hours again" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.hour_log_decide(
            log=entry, approve=False, method=VerificationMethod.SIGNED_SHEET, note="x", user=world.officer
        )
    with pytest.raises(ValidationError) as exc:
        services.hour_log_void(log=entry, user=world.officer, reason=" ")
    assert refusal(exc) == {"reason": ["Say why this hour log is void."]}
    voided = services.hour_log_void(log=entry, user=world.officer, reason="Wrong day")
    assert voided.is_voided and voided.void_reason == "Wrong day"
    assert log(cs.order, cs.place, dt.date(2026, 6, 2), "4.00", user=world.officer).credited_hours == 4


def test_a_rejection_needs_a_note_and_credits_nothing(world, cs):
    entry = record(cs, world, hours=Decimal("3"))
    with pytest.raises(ValidationError) as exc:
        services.hour_log_decide(log=entry, approve=False, method=VerificationMethod.AGENCY_LINK, decided_by_name="Pat")
    assert refusal(exc) == {"note": ["Say why these hours are rejected."]}
    entry = services.hour_log_decide(
        log=entry, approve=False, method=VerificationMethod.AGENCY_LINK, decided_by_name="Pat", note="Not here that day"
    )
    assert (entry.verification, entry.credited_hours, entry.decided_by_name) == ("rejected", 0, "Pat")


def test_a_closed_order_takes_no_hours(world, cs):
    services.order_close(order=cs.order, user=world.admin, status="revoked", closed_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        record(cs, world, hours=Decimal("2"))
    assert refusal(exc) == {"order": ["This order is revoked: it takes no more hours."]}


def test_an_order_is_completed_only_with_every_hour_credited(world, cs):
    small = OrderFactory(
        case=world.case, hours_ordered="6.00", ordered_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 9, 1)
    )
    log(small, cs.place, dt.date(2026, 6, 1), "4.00", user=world.officer)
    with pytest.raises(ValidationError) as exc:
        services.order_close(order=small, user=world.officer, status="completed", closed_on=dt.date(2026, 6, 15))
    assert exc.value.messages == ["Only 4.00 of 6.00 hours are credited: the order cannot be completed yet."]
    log(small, cs.place, dt.date(2026, 6, 2), "2.00", user=world.officer)
    closed = services.order_close(order=small, user=world.officer, status="completed", closed_on=dt.date(2026, 6, 15))
    assert (closed.status, closed.closed_on) == ("completed", dt.date(2026, 6, 15))


# Placements ------------------------------------------------------------------------------------------
def test_no_placement_without_a_current_agreement(world, cs):
    lapsed = AgencyFactory(agreement_start=dt.date(2024, 1, 1), agreement_end=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError) as exc:
        placement(world.supervised, lapsed, start_on=dt.date(2026, 6, 1), user=world.officer)
    assert refusal(exc)["agency"] == [
        f"{lapsed} has no agreement on file for Jun 1, 2026: it cannot take a new placement until its agreement "
        "is renewed."
    ]
    none = AgencyFactory(agreement_start=None)
    with pytest.raises(ValidationError):
        placement(world.supervised, none, start_on=dt.date(2026, 6, 1), user=world.officer)


def test_no_placement_where_minors_are_present_for_a_person_barred_from_them(world, cs):
    school = AgencyFactory(minors_present=True)
    assert placement(world.supervised, school, start_on=dt.date(2026, 6, 1), user=world.officer)  # not barred yet
    OrderFactory(case=world.case, minors_barred=True)
    with pytest.raises(ValidationError) as exc:
        placement(world.supervised, school, start_on=dt.date(2026, 6, 2), user=world.officer)
    assert refusal(exc)["agency"] == [
        f"Minors are present at {school}, and this person's offense bars work near minors. "
        "Choose an agency where no minors are present."
    ]


def test_the_conflict_check_runs_on_the_agencys_contact(world, cs):
    agency = AgencyFactory(verifier_email="victim@example.org")

    def check(offender, person: PersonDetails):
        return (
            "ref-1" if offender == world.supervised and person.email == normalize_email("victim@example.org") else None
        )

    registry.conflict_checker(ConflictChecker("test-cs", check))
    try:
        with pytest.raises(ValidationError) as exc:
            placement(world.supervised, agency, start_on=dt.date(2026, 6, 1), user=world.officer)
        assert refusal(exc) == {"agency": ["Possible conflict: refer to victim services before going ahead."]}
        assert placement(world.supervised_d10, agency, start_on=dt.date(2026, 6, 1), user=world.admin)
    finally:
        registry.conflict_checkers.pop("test-cs")


# Consecutive orders ----------------------------------------------------------------------------------------
def test_an_order_cannot_follow_its_own_follower_or_another_persons(world, cs):
    from community_service.models import Order

    second = OrderFactory(case=world.case, schedule="consecutive", follows=cs.order, due_on=dt.date(2027, 12, 31))
    first = Order.objects.get(pk=cs.order.pk)
    first.schedule, first.follows = "consecutive", second
    with pytest.raises(ValidationError) as exc:
        first.full_clean()
    assert refusal(exc)["follows"] == [
        "That order already comes after this one: an order cannot follow its own follower."
    ]
    third = Order(
        offender=world.supervised_d10, case=world.case_d10, hours_ordered=10, ordered_on=dt.date(2026, 1, 1),
        due_on=dt.date(2026, 12, 31), schedule="consecutive", follows=cs.order,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        third.full_clean()
    assert refusal(exc)["follows"] == ["The order it follows is another person's."]


def test_the_live_pace_of_a_consecutive_order_starts_when_the_one_before_ends(world, cs):
    from community_service import selectors

    # cs.order runs Jan 1 to Dec 31, 2026 and is open: the next one starts on Dec 31, 2026.
    nxt = OrderFactory(
        case=world.case, hours_ordered="50.00", schedule="consecutive", follows=cs.order,
        ordered_on=dt.date(2026, 2, 1), due_on=dt.date(2027, 6, 29),
    )  # fmt: skip
    today = dt.date(2026, 6, 15)
    pace = selectors.pace_for_orders(world.officer, [nxt.pk], today)[nxt.pk]
    assert (pace.expected, pace.status) == (Decimal("0.00"), "on_pace")  # from its own date it would be behind
    # Closed early (revoked on Mar 31), it runs from then: 76 of 455 days by Jun 15.
    services.order_close(order=cs.order, user=world.admin, status="revoked", closed_on=dt.date(2026, 3, 31))
    pace = selectors.pace_for_orders(world.officer, [nxt.pk], today)[nxt.pk]
    assert pace.expected == Decimal("8.35")  # 50 x 76 / 455 = 8.3516...
