"""Handlers' training hours as participation: the selectors (standing logs, scoped, constant queries) and the
"Training hours by facility" report."""

import datetime as dt
from decimal import Decimal

import pytest

from puppies import selectors, services
from puppies.registrations import training_hours_report

pytestmark = pytest.mark.django_db


def log(pw, handler, day, minutes, *, dog=None, user=None):
    return services.training_log_record(
        user=user or pw.w.staff_jccc, dog=dog or pw.dog, handler=handler, date=day, skills="Sit", minutes=minutes
    )


def test_minutes_to_hours_rounds_half_up():
    assert selectors.minutes_to_hours(95) == Decimal("1.58")
    assert selectors.minutes_to_hours(None) == Decimal("0.00")


def test_participation_hours_count_standing_logs_and_are_scoped(pw):
    a, b = pw.handlers
    log(pw, a, dt.date(2026, 2, 2), 90)
    log(pw, a, dt.date(2026, 2, 20), 30)
    log(pw, b, dt.date(2026, 2, 3), 45)
    void = log(pw, a, dt.date(2026, 2, 4), 120)
    services.training_log_void(entry=void, user=pw.w.staff_jccc, reason="Entered twice")
    acc = pw.handlers_acc[0]
    log(pw, acc, dt.date(2026, 2, 5), 60, dog=pw.dog_acc, user=pw.w.staff_acc)
    ids = [a.pk, b.pk, acc.pk]
    assert selectors.participation_hours(ids) == {a.pk: Decimal("2.00"), b.pk: Decimal("0.75"), acc.pk: Decimal("1.00")}
    assert selectors.participation_hours(ids, start=dt.date(2026, 2, 10)) == {a.pk: Decimal("0.50")}
    assert selectors.participation_hours(ids, end=dt.date(2026, 2, 2)) == {a.pk: Decimal("1.50")}
    assert selectors.participation_hours(ids, user=pw.w.staff_jccc) == {a.pk: Decimal("2.00"), b.pk: Decimal("0.75")}
    assert selectors.participation_hours(ids, user=pw.w.officer) == {}
    items = selectors.participation_items(a, pw.w.staff_jccc)
    assert [(i.date, i.what, i.hours, i.where) for i in items] == [
        (dt.date(2026, 2, 20), "Dog training: Biscuit", Decimal("0.50"), "JCCC"),
        (dt.date(2026, 2, 2), "Dog training: Biscuit", Decimal("1.50"), "JCCC"),
    ]
    assert selectors.participation_items(acc, pw.w.staff_jccc) == []


def test_training_hours_report_by_facility(pw):
    a, b = pw.handlers
    log(pw, a, dt.date(2026, 1, 20), 60)
    log(pw, a, dt.date(2026, 2, 2), 90)
    log(pw, b, dt.date(2026, 2, 3), 30)
    log(pw, pw.handlers_acc[0], dt.date(2026, 2, 5), 60, dog=pw.dog_acc, user=pw.w.staff_acc)
    rows = training_hours_report(pw.w.admin, {})["tables"][0]["rows"]
    assert rows == [
        ["ACC", "Feb 2026", 1, Decimal("1.00")],
        ["JCCC", "Jan 2026", 1, Decimal("1.00")],
        ["JCCC", "Feb 2026", 2, Decimal("2.00")],
        ["All facilities", "", "", Decimal("4.00")],
    ]
    staff = training_hours_report(pw.w.staff_jccc, {"by": "year", "start": dt.date(2026, 2, 1)})["tables"][0]["rows"]
    assert staff == [["JCCC", "2026", 2, Decimal("2.00")], ["All facilities", "", "", Decimal("2.00")]]


def test_participation_selectors_run_constant_queries(pw, django_assert_num_queries):
    a, b = pw.handlers
    log(pw, a, dt.date(2026, 2, 2), 30)
    for i in range(30):
        log(pw, b, dt.date(2026, 1, 20) + dt.timedelta(days=i), 30)
    user = pw.w.staff_jccc
    assert user.facility_ids  # read once per request (a cached property)
    for person in (a, b):
        with django_assert_num_queries(1):
            selectors.participation_items(person, user)
        with django_assert_num_queries(1):
            selectors.participation_hours([person.pk], user=user)
    with django_assert_num_queries(1):
        selectors.training_hours_by_facility(user=user)
