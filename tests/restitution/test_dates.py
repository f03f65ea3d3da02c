"""The compliance rule on the calendar, with a frozen clock: month ends, leap years, plan changes.

Each check reads the figures for "today" (the frozen date) through the set-based SQL and through
the Python reference, and asserts both agree before comparing with the hand-computed answer.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from restitution import services
from restitution.compliance import evaluate_obligation
from restitution.models import Obligation
from restitution.selectors import compliance_for
from tests.factories import CourtCaseFactory
from tests.factories.restitution import obligation, pay

pytestmark = pytest.mark.django_db
CENTRAL = dt.timezone(dt.timedelta(hours=-6))


@contextmanager
def on(day: dt.date):
    # Late in the evening in Missouri: already the next day in UTC, so a UTC "today" would be wrong.
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 22, 30, tzinfo=CENTRAL), tick=False):
        assert timezone.localdate() == day
        yield


def today_figures(o):
    as_of = timezone.localdate()
    [sql] = compliance_for(as_of, Obligation.objects.filter(pk=o.pk))
    live = evaluate_obligation(Obligation.objects.prefetch_related("plans", "allocations").get(pk=o.pk), as_of)
    assert sql.as_tuple() == live.as_tuple()
    return sql


def expect(o, day, *, expected, status, days=0, arrears=None, paid=None):
    with on(day):
        f = today_figures(o)
    assert f.expected == Decimal(expected), (day, f)
    assert f.status == status, (day, f)
    assert f.days_past_due == days, (day, f)
    if arrears is not None:
        assert f.arrears == Decimal(arrears), (day, f)
    if paid is not None:
        assert f.paid == Decimal(paid), (day, f)
    return f


@pytest.fixture
def case(world):
    return CourtCaseFactory(offender=world.supervised)


def plan_from(case, first, monthly="100", amount="1000.00"):
    with on(dt.date(2023, 12, 1)):
        return obligation(
            case, amount=amount, ordered_on=dt.date(2023, 11, 1), monthly_amount=Decimal(monthly), first_due_on=first
        )


def test_due_day_31_moves_to_each_shorter_months_last_day(case):
    o = plan_from(case, dt.date(2025, 1, 31))
    expect(o, dt.date(2025, 1, 30), expected="0", status="current")
    expect(o, dt.date(2025, 1, 31), expected="100", status="late", arrears="100")
    expect(o, dt.date(2025, 2, 27), expected="100", status="late", days=27)
    expect(o, dt.date(2025, 2, 28), expected="200", status="late", days=28)
    expect(o, dt.date(2025, 3, 30), expected="200", status="late", days=58)
    expect(o, dt.date(2025, 3, 31), expected="300", status="late", days=59)
    expect(o, dt.date(2025, 4, 1), expected="300", status="delinquent", days=60)
    expect(o, dt.date(2025, 4, 30), expected="400", status="delinquent", days=89)


@pytest.mark.parametrize(
    ("first", "february_due"),
    [
        (dt.date(2024, 1, 29), dt.date(2024, 2, 29)),  # leap year: the 29th exists
        (dt.date(2025, 1, 29), dt.date(2025, 2, 28)),  # common year: the last day
        (dt.date(2024, 1, 30), dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 30), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
    ],
)
def test_february_in_leap_and_common_years(case, first, february_due):
    o = plan_from(case, first)

    def status(days):
        return "delinquent" if days >= 60 else "late"

    for day, expected in ((february_due - dt.timedelta(days=1), "100"), (february_due, "200")):
        expect(o, day, expected=expected, status="late", days=(day - first).days)
    # March goes back to the plan's own day, not to February's.
    march = dt.date(first.year, 3, first.day)
    for day, expected in ((march - dt.timedelta(days=1), "200"), (march, "300")):
        expect(o, day, expected=expected, status=status((day - first).days), days=(day - first).days)


def test_first_due_on_a_leap_day_falls_on_the_28th_in_common_years(case):
    o = plan_from(case, dt.date(2024, 2, 29), monthly="50", amount="2000.00")
    expect(o, dt.date(2025, 2, 27), expected="600", status="delinquent", days=364)
    expect(o, dt.date(2025, 2, 28), expected="650", status="delinquent", days=365)
    expect(o, dt.date(2025, 3, 28), expected="650", status="delinquent", days=393)
    expect(o, dt.date(2025, 3, 29), expected="700", status="delinquent", days=394)


def test_payments_before_the_first_due_date_count_towards_the_first_installments(world, case):
    with on(dt.date(2025, 1, 5)):
        o = obligation(
            case,
            amount="1000.00",
            ordered_on=dt.date(2025, 1, 2),
            monthly_amount=Decimal("100"),
            first_due_on=dt.date(2025, 2, 10),
        )
        pay(world.supervised, "150.00", dt.date(2025, 1, 5))
    expect(o, dt.date(2025, 2, 9), expected="0", status="current", paid="150.00")
    expect(o, dt.date(2025, 2, 10), expected="100", status="current")
    # Mar 10: $200 due, $150 paid: the second installment is unpaid today.
    expect(o, dt.date(2025, 3, 10), expected="200", status="late", days=0, arrears="50")
    expect(o, dt.date(2025, 5, 8), expected="300", status="late", days=59, arrears="150")
    expect(o, dt.date(2025, 5, 9), expected="300", status="delinquent", days=60, arrears="150")


def test_a_new_plan_takes_over_from_its_first_due_date(world, case):
    with on(dt.date(2025, 1, 2)):
        o = obligation(
            case,
            amount="2000.00",
            ordered_on=dt.date(2025, 1, 1),
            monthly_amount=Decimal("100"),
            first_due_on=dt.date(2025, 1, 15),
        )
    with on(dt.date(2025, 3, 20)):
        services.plan_create(obligation=o, monthly_amount=Decimal("50"), first_due_on=dt.date(2025, 4, 1))
    # Jan 15, Feb 15, Mar 15 at $100, then Apr 1 and May 1 at $50; no Apr 15 installment.
    expect(o, dt.date(2025, 4, 14), expected="350", status="delinquent", days=89)
    expect(o, dt.date(2025, 5, 1), expected="400", status="delinquent", days=106)
    # The court amends again with the same first due date: the $50 plan is replaced, kept in history.
    with on(dt.date(2025, 5, 2)):
        services.plan_create(obligation=o, monthly_amount=Decimal("75"), first_due_on=dt.date(2025, 4, 1))
    expect(o, dt.date(2025, 5, 2), expected="450", status="delinquent", days=107)
    assert o.plans.count() == 3
    assert o.plans.filter(replaced_at__isnull=True).count() == 2
    # A plan from an earlier date replaces every plan that starts on or after it.
    with on(dt.date(2025, 5, 3)):
        services.plan_create(obligation=o, monthly_amount=Decimal("20"), first_due_on=dt.date(2025, 2, 1))
    expect(o, dt.date(2025, 5, 3), expected="180", status="delinquent", days=108)  # Jan 15 $100, Feb-May at $20
    with on(dt.date(2025, 5, 3)):
        pay(world.supervised, "180.00", dt.date(2025, 5, 3))
    expect(o, dt.date(2025, 5, 3), expected="180", status="current", arrears="0")


def test_expected_is_capped_at_the_ordered_amount(world, case):
    with on(dt.date(2025, 1, 2)):
        o = obligation(
            case,
            amount="250.00",
            ordered_on=dt.date(2025, 1, 1),
            monthly_amount=Decimal("100"),
            first_due_on=dt.date(2025, 1, 10),
        )
        pay(world.supervised, "200.00", dt.date(2025, 1, 2))
    # Installments 100, 200, 300 capped at 250: the third is the first whose capped total exceeds $200.
    f = expect(o, dt.date(2025, 6, 1), expected="250", status="delinquent", arrears="50", days=83)
    assert f.past_due_since == dt.date(2025, 3, 10)
    assert f.balance == Decimal("50.00")


def test_paid_in_full_unscheduled_and_waived(world, case):
    with on(dt.date(2025, 1, 2)):
        paid = obligation(case, amount="100.00", ordered_on=dt.date(2025, 1, 1))
        other_case = CourtCaseFactory(offender=world.supervised)
        waived = obligation(
            other_case,
            amount="300.00",
            ordered_on=dt.date(2025, 1, 1),
            monthly_amount=Decimal("10"),
            first_due_on=dt.date(2025, 1, 5),
        )
        third = obligation(CourtCaseFactory(offender=world.supervised), amount="90.00", ordered_on=dt.date(2025, 1, 1))
    expect(paid, dt.date(2025, 1, 3), expected="0", status="unscheduled")
    with on(dt.date(2025, 2, 1)):
        pay(world.supervised, "100.00", dt.date(2025, 2, 1), obligation=paid)
    expect(paid, dt.date(2025, 2, 1), expected="0", status="paid_in_full")
    expect(paid, dt.date(2025, 1, 31), expected="0", status="unscheduled")  # as of the day before
    with on(dt.date(2025, 6, 1)):
        services.obligation_waive(obligation=waived, waived_on=dt.date(2025, 5, 20), reference="25AC-CR1 order 3")
    expect(waived, dt.date(2025, 5, 19), expected="50", status="delinquent", days=134)
    expect(waived, dt.date(2025, 6, 1), expected="50", status="waived", arrears="0")
    expect(third, dt.date(2025, 6, 1), expected="0", status="unscheduled")


def test_live_figures_use_the_date_in_missouri_not_utc(world, book):
    # 10:30 pm in Missouri on Jun 15 is already Jun 16 in UTC; the officer's "today" is the 15th.
    with on(dt.date(2026, 6, 15)):
        f = today_figures(book.restitution)
    assert f.as_of == dt.date(2026, 6, 15)
    assert (f.expected, f.paid, f.arrears, f.days_past_due, f.status) == (
        Decimal("600.00"),
        Decimal("200.00"),
        Decimal("400.00"),
        92,
        "delinquent",
    )
