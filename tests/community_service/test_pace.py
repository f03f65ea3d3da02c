"""The pace SQL (live and the nightly snapshot) gives, for any orders and logs, the same figures as
the plain-Python reading of the rule (community_service.pace.evaluate), leap days and month ends included,
and consecutive orders (running from the end of the order they follow, closed or not) among them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from community_service.choices import PaceStatus, Verification, VerificationMethod
from community_service.models import HourLog, Order, PaceSnapshot
from community_service.pace import evaluate
from community_service.selectors import pace_for_people
from community_service.services import credited_totals_refresh, pace_snapshot_run
from tests.factories import CourtCaseFactory, OffenderFactory, UserFactory
from tests.factories.community_service import AgencyFactory

pytestmark = pytest.mark.django_db

D = dt.date
# Month ends and leap days (Feb 29, 2024 and 2028) come up often: due dates are drawn from them half the time.
MONTH_ENDS = [D(y, m + 1, 1) - dt.timedelta(days=1) for y in (2024, 2025, 2026, 2027) for m in range(1, 12)] + [
    D(y, 12, 31) for y in (2024, 2025, 2026, 2027)
]
LEAP = [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1), D(2028, 2, 29)]
days = st.one_of(st.dates(min_value=D(2023, 6, 1), max_value=D(2028, 6, 30)), st.sampled_from(MONTH_ENDS + LEAP))
hundredths = st.integers(min_value=1, max_value=1600).map(lambda c: Decimal(c) / 100)
order_st = st.fixed_dictionaries(
    {
        "hours": st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c) / 100),
        "ordered_on": st.one_of(st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31)), st.sampled_from(LEAP)),
        "length": st.one_of(st.integers(min_value=1, max_value=900), st.just(1)),
        "due_on_month_end": st.booleans(),
        # (date, hours, decision: verified / pending / rejected / voided)
        "logs": st.lists(
            st.tuples(days, hundredths, st.sampled_from(["verified", "verified", "pending", "rejected", "void"])),
            max_size=8,
        ),
        "supervision_end": st.one_of(st.none(), days),
        # Consecutive: follows the order drawn just before it (the same person's); closed: on that day.
        "follows_previous": st.booleans(),
        "closed_on": st.one_of(st.none(), st.none(), days),
    }
)


def due_date(spec) -> dt.date:
    due = spec["ordered_on"] + dt.timedelta(days=spec["length"])
    if spec["due_on_month_end"]:
        later = [d for d in MONTH_ENDS + LEAP if d > spec["ordered_on"]]
        if later:
            due = min(later, key=lambda d: abs((d - due).days))
    return due


def build(specs):
    """Orders and logs written straight into the tables (the services' date rules would refuse most
    random dates; the rule under test reads what is stored). An order drawn ``follows_previous`` is the
    previous order's person's and follows it (consecutive); one drawn ``closed_on`` is closed that day."""
    from community_service.models import Placement

    user = UserFactory()
    agency = AgencyFactory()
    now = timezone.now()
    made = []
    previous = None
    for spec in specs:
        consecutive = spec.get("follows_previous") and previous is not None
        person = previous.offender if consecutive else OffenderFactory(supervision_end_date=spec["supervision_end"])
        closed_on = spec.get("closed_on")
        order = Order.objects.create(
            offender=person,
            case=CourtCaseFactory(offender=person),
            hours_ordered=spec["hours"],
            ordered_on=spec["ordered_on"],
            due_on=due_date(spec),
            schedule="consecutive" if consecutive else "concurrent",
            follows=previous if consecutive else None,
            status="revoked" if closed_on else "open",
            closed_on=closed_on,
        )
        previous = order
        place = Placement.objects.create(offender=person, agency=agency, start_on=D(2020, 1, 1))
        logs = []
        for day, hours, decision in spec["logs"]:
            verified = decision == "verified"
            decided = decision in ("verified", "rejected")
            logs.append(
                HourLog(
                    offender=person,
                    order=order,
                    placement=place,
                    date=day,
                    hours=hours,
                    task="Work",
                    entered_by=user,
                    verification=Verification.VERIFIED
                    if verified
                    else (Verification.REJECTED if decided else Verification.PENDING),
                    credited_hours=hours if verified else Decimal("0.00"),
                    decided_at=now if decided else None,
                    method=VerificationMethod.SIGNED_SHEET if decided else "",
                    voided_at=now if decision == "void" else None,
                    voided_by=user if decision == "void" else None,
                    void_reason="Test" if decision == "void" else "",
                )
            )
        HourLog.objects.bulk_create(logs)
        # Written straight to the table for speed: keep the order's running total as the services do.
        credited_totals_refresh([order.pk])
        made.append((order, spec))
    return made


def counted(order, spec, as_of) -> bool:
    """Whether the pace lists the order on ``as_of``: open, and dated on or before the day."""
    return order.status == "open" and spec["ordered_on"] <= as_of


def reference(order, spec, as_of):
    prior = order.follows
    return evaluate(
        hours_ordered=spec["hours"],
        ordered_on=spec["ordered_on"],
        due_on=order.due_on,
        as_of=as_of,
        credited_logs=[(day, hours) for day, hours, decision in spec["logs"] if decision == "verified"],
        supervision_end=order.offender.supervision_end_date,
        follows=(prior.due_on, prior.closed_on) if prior else None,
    )


LEAP_ORDER = {
    "hours": Decimal("100.00"),
    "ordered_on": D(2024, 1, 31),
    "length": 29,
    "due_on_month_end": True,  # Feb 29, 2024
    "logs": [(D(2024, 2, 28), Decimal("8.00"), "verified"), (D(2024, 2, 29), Decimal("16.00"), "verified")],
    "supervision_end": D(2024, 6, 30),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(order_st, min_size=1, max_size=3), as_of=days)
@example(specs=[LEAP_ORDER], as_of=D(2024, 2, 29))
@example(specs=[LEAP_ORDER], as_of=D(2024, 3, 1))
@example(  # the 8 weeks ending Apr 25, 2024 start on Mar 1: the log of Feb 29 (56 days before) is not recent
    specs=[{**LEAP_ORDER, "length": 400, "due_on_month_end": False}],
    as_of=D(2024, 4, 25),
)
@example(  # a third of an hour a day: expected rounds half up in hundredths
    specs=[{**LEAP_ORDER, "hours": Decimal("0.03"), "ordered_on": D(2025, 1, 31), "length": 28, "logs": []}],
    as_of=D(2025, 2, 14),
)
@example(  # a consecutive order after one closed early, and one after an open order running past its due date
    specs=[
        {**LEAP_ORDER, "ordered_on": D(2024, 1, 1), "length": 200, "closed_on": D(2024, 3, 1)},
        {**LEAP_ORDER, "ordered_on": D(2024, 1, 15), "length": 300, "follows_previous": True},
        {**LEAP_ORDER, "ordered_on": D(2024, 1, 20), "length": 30, "follows_previous": True},
    ],
    as_of=D(2024, 6, 1),
)
def test_sql_matches_reference_for_any_orders(specs, as_of):
    with transaction.atomic():
        made = build(specs)
        live = {
            order_id: pace
            for rows in pace_for_people([o.offender_id for o, _ in made], as_of).values()
            for order_id, pace in rows
        }
        for order, spec in made:
            if not counted(order, spec, as_of):
                assert order.pk not in live
                continue
            assert live[order.pk].as_tuple() == reference(order, spec, as_of).as_tuple(), (spec, as_of)
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(order_st, min_size=1, max_size=3), as_of=days)
def test_nightly_snapshot_matches_reference(specs, as_of):
    with transaction.atomic():
        made = build(specs)
        pace_snapshot_run(as_of=as_of, notify=False)
        stored = {s.order_id: s for s in PaceSnapshot.objects.filter(as_of=as_of)}
        for order, spec in made:
            if not counted(order, spec, as_of):
                assert order.pk not in stored
                continue
            s = stored[order.pk]
            got = (
                s.hours_ordered,
                s.expected,
                s.credited,
                s.behind,
                s.recent,
                s.projected_on,
                s.projected_late,
                s.after_supervision,
                s.status,
            )
            assert got == reference(order, spec, as_of).as_tuple(), (spec, as_of)
        transaction.set_rollback(True)


# The rule read by hand, on a few orders -----------------------------------------------------------------
ORDERED, DUE = D(2026, 1, 1), D(2026, 12, 31)


def pace(as_of, logs=(), hours="100.00", ordered_on=ORDERED, due_on=DUE, supervision_end=None, follows=None):
    return evaluate(
        hours_ordered=Decimal(hours),
        ordered_on=ordered_on,
        due_on=due_on,
        as_of=as_of,
        credited_logs=[(d, Decimal(h)) for d, h in logs],
        supervision_end=supervision_end,
        follows=follows,
    )


def test_expected_is_spread_evenly_over_the_days():
    # 364 days from Jan 1 to Dec 31, 2026; by Jul 2, 182 days: exactly half.
    assert pace(D(2026, 7, 2)).expected == Decimal("50.00")
    assert pace(D(2025, 12, 1)).expected == 0  # before the order
    assert pace(D(2027, 3, 1)).expected == Decimal("100.00")  # after the due date: all of it


def test_behind_means_more_than_ten_percent_of_the_order():
    # By Jul 2, 50 expected: 40 credited is 10 behind (10%, on pace), 39.99 is behind.
    assert pace(D(2026, 7, 2), [(D(2026, 6, 1), "40.00")]).status == PaceStatus.ON_PACE
    assert pace(D(2026, 7, 2), [(D(2026, 6, 1), "39.99")]).status == PaceStatus.BEHIND


def test_past_due_and_completed():
    assert pace(D(2027, 1, 1), [(D(2026, 6, 1), "99.99")]).status == PaceStatus.PAST_DUE
    done = pace(D(2027, 1, 1), [(D(2026, 6, 1), "60.00"), (D(2026, 7, 1), "40.00")])
    assert (done.status, done.projected_on, done.projected_late) == (PaceStatus.COMPLETED, None, False)


def test_projection_at_the_pace_of_the_last_eight_weeks():
    # 16 hours in the 8 weeks ending Jul 2 (2 a week); 84 left: 42 weeks, 294 days: Apr 22, 2027.
    p = pace(D(2026, 7, 2), [(D(2026, 5, 8), "8.00"), (D(2026, 7, 2), "8.00")])
    assert p.recent == Decimal("16.00")
    assert p.projected_on == D(2027, 4, 22)
    assert p.projected_late is True
    assert p.after_supervision is False
    assert pace(D(2026, 7, 2), [(D(2026, 5, 7), "8.00")], supervision_end=D(2027, 1, 1)).as_tuple()[5:8] == (
        None,
        True,
        True,
    )


def test_a_consecutive_order_runs_from_the_end_of_the_order_it_follows():
    # It follows an order due Jul 2, 2026 (open): 182 days from Jul 2 to Dec 31; by Oct 1, 91: half.
    after_open = (D(2026, 7, 2), None)
    assert pace(D(2026, 10, 1), follows=after_open).expected == Decimal("50.00")
    assert pace(D(2026, 6, 1), follows=after_open).status == PaceStatus.ON_PACE  # not started: nothing expected
    assert pace(D(2026, 6, 1), follows=after_open).expected == 0
    # The order it follows was closed on Apr 1 (before Jul 2): it runs from then, known from Apr 1 on.
    after_closed = (D(2026, 7, 2), D(2026, 4, 1))
    assert pace(D(2026, 8, 16), follows=after_closed).expected == Decimal("50.00")  # 137 of 274 days
    assert pace(D(2026, 3, 31), follows=after_closed).expected == 0  # closed later: still its due date then
    # An order it follows that was closed before this one's order date changes nothing.
    assert pace(D(2026, 7, 2), follows=(D(2026, 3, 1), D(2025, 12, 1))).expected == Decimal("50.00")


def test_a_consecutive_order_with_no_days_left_falls_due_whole_on_its_due_date():
    after_late = (D(2027, 3, 1), None)  # the order before runs past this one's due date
    assert pace(D(2026, 12, 30), follows=after_late).expected == 0
    assert pace(D(2026, 12, 31), follows=after_late).expected == Decimal("100.00")
    assert pace(D(2027, 1, 1), follows=after_late).status == PaceStatus.PAST_DUE
