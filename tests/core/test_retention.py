"""The retention rule of the nightly jobs' own rows (core.retention): snapshot partitions and readiness rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings

from core.jobs import JOBS, job_run
from core.models import Readiness
from core.retention import nights_to_drop, snapshot_nights
from tests.factories import OffenderFactory

TODAY = dt.date(2026, 12, 5)
SNAPSHOT = "restitution_compliancesnapshot"
PACE = "community_service_pacesnapshot"


def test_every_recent_night_and_the_first_night_of_each_month_are_kept():
    nights = [TODAY - dt.timedelta(days=n) for n in range(400)]
    gone = set(nights_to_drop(nights, today=TODAY, keep_nights=92, keep_months=6))
    kept = sorted(set(nights) - gone)
    cutoff = TODAY - dt.timedelta(days=92)
    assert all(n in kept for n in nights if n >= cutoff)
    # Before the cutoff: the first night of each month from June 2026 (six months before December) on.
    assert [n for n in kept if n < cutoff] == [
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),  # the cutoff is Sep 4
    ]


def test_the_first_night_held_in_a_month_is_its_monthly_point_even_if_not_the_first():
    # The job did not run on Jul 1 and 2: Jul 3 is the month's point; nothing held is dropped twice.
    nights = [dt.date(2026, 7, 3), dt.date(2026, 7, 4), dt.date(2026, 7, 31)]
    assert nights_to_drop(nights, today=TODAY, keep_nights=92, keep_months=84) == [
        dt.date(2026, 7, 4),
        dt.date(2026, 7, 31),
    ]
    assert nights_to_drop([], today=TODAY, keep_nights=92, keep_months=84) == []
    assert nights_to_drop(nights, today=TODAY, keep_nights=400, keep_months=84) == []


def night(table, day):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table}_{day:%Y%m%d} PARTITION OF {table} FOR VALUES IN (DATE '{day.isoformat()}')"
        )


def drop_nights():
    with connection.cursor() as cursor:
        for table, nights in snapshot_nights().items():
            for day in nights:
                cursor.execute(f"DROP TABLE {table}_{day:%Y%m%d}")


@pytest.fixture
def no_nights(django_db_blocker):
    """A transactional test's flush leaves partitions behind: start and end with none."""
    with django_db_blocker.unblock():
        drop_nights()
    yield
    with django_db_blocker.unblock():
        drop_nights()


@pytest.mark.django_db(transaction=True)
@override_settings(SNAPSHOT_NIGHTS_KEPT=30, SNAPSHOT_MONTHS_KEPT=3)
def test_the_job_drops_the_snapshot_partitions_the_rule_lets_go_in_every_snapshot_table(no_nights):
    days = [dt.date(2026, 8, 1), dt.date(2026, 8, 2), dt.date(2026, 9, 2), dt.date(2026, 9, 3)]
    days += [TODAY - dt.timedelta(days=n) for n in range(40)]
    for day in days:
        night(SNAPSHOT, day)
        night(PACE, day)
    before = snapshot_nights()
    assert sorted(before[SNAPSHOT]) == sorted(days) and sorted(before[PACE]) == sorted(days)
    run = job_run(name="retention", run_date=TODAY)
    after = snapshot_nights()
    cutoff = TODAY - dt.timedelta(days=30)
    # Aug 1 is older than three months (Sep 1 on); Sep 2 is September's point; Oct 27 to Nov 4, before
    # the cutoff (Nov 5), keep Oct 27 and Nov 1, the first nights held in their months.
    expected = sorted(
        [dt.date(2026, 9, 2), dt.date(2026, 10, 27), dt.date(2026, 11, 1)] + [d for d in days if d >= cutoff]
    )
    assert sorted(after[SNAPSHOT]) == expected and sorted(after[PACE]) == expected
    dropped = 2 * (len(days) - len(expected))
    assert run.rows == dropped
    # A rerun finds nothing more to let go; the parents and their kept partitions still take rows.
    assert job_run(name="retention", run_date=TODAY).rows == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {SNAPSHOT}_{TODAY:%Y%m%d}")
        assert cursor.fetchone() == (0,)


def readiness(person, end, nights, unmet=1):
    Readiness.objects.bulk_create(
        Readiness(
            as_of=day,
            offender=person,
            supervision_end_date=end,
            district_id=person.district_id,
            unmet_count=unmet,
        )
        for day in nights
    )


@pytest.mark.django_db
@override_settings(SNAPSHOT_NIGHTS_KEPT=92)
def test_readiness_rows_go_but_each_persons_last_row_before_discharge_stays(no_nights, world):
    from reports.core_reports import readiness_at_discharge

    left = OffenderFactory(district=world.d9, status="supervised")
    staying = OffenderFactory(district=world.d9, status="supervised")
    # Discharged on Jun 30 after 90 nights of checks (the last with nothing unmet); the other's end date
    # moved from Oct 1 to Jan 31: the nights of each end date are their own.
    # The check did not run on Apr 10: Apr 9's row is superseded by Apr 11's.
    readiness(left, dt.date(2026, 6, 30), [dt.date(2026, 4, 1) + dt.timedelta(days=n) for n in range(90) if n != 9])
    readiness(left, dt.date(2026, 6, 30), [dt.date(2026, 6, 30)], unmet=0)
    old_end = [dt.date(2026, 7, 3) + dt.timedelta(days=n) for n in range(60)]
    readiness(staying, dt.date(2026, 10, 1), old_end)
    recent = [dt.date(2026, 11, 2) + dt.timedelta(days=n) for n in range(34)]
    readiness(staying, dt.date(2027, 1, 31), recent)
    report_before = readiness_at_discharge(world.admin, {})
    run = job_run(name="retention", run_date=TODAY)
    cutoff = TODAY - dt.timedelta(days=92)
    kept = list(Readiness.objects.order_by("offender_id", "as_of").values_list("offender_id", "as_of"))
    assert kept == [
        (left.pk, dt.date(2026, 6, 30)),
        (staying.pk, old_end[-1]),
        *[(staying.pk, day) for day in recent],
    ]
    assert all(day >= cutoff for _, day in kept[2:])
    retained = Readiness.objects.filter(retained=True).order_by("offender_id")
    assert list(retained.values_list("offender_id", "as_of")) == [
        (left.pk, dt.date(2026, 6, 30)),
        (staying.pk, old_end[-1]),
    ]
    assert run.rows == 89 + 59
    # The discharge report reads the same rows it read before.
    assert readiness_at_discharge(world.admin, {})["tables"] == report_before["tables"]
    # Jun 30: nothing unmet on the last night; Oct 1 (the end date since moved): one thing unmet.
    assert report_before["tables"][0]["rows"] == [["District 9", 2026, 2, 1, "50%"]]
    assert job_run(name="retention", run_date=TODAY).rows == 0


def test_the_job_runs_after_the_nights_jobs():
    nightly = [job for job in JOBS.values() if job.hour is not None and job.name != "retention"]
    retention = JOBS["retention"]
    assert all((job.hour, job.minute) < (retention.hour, retention.minute) for job in nightly)
