"""The nightly retention job (``core.retention``, job ``retention``) at ten times Missouri's size.

Builds, in a throw-away database:

- the readiness rows of 120 nights at 68,000 people a night (the readiness benchmark's count at ten
  times Missouri): each night the people whose supervision ends within 90 days, about 756 ending a
  day, so each person has up to 91 rows, the last on their end date: 8.2 million rows;
- 400 nights of partitions in each of the two snapshot tables (restitution's compliance snapshot and
  community service's pace snapshot). They are empty: dropping a partition unlinks its files and costs
  the same, near enough, whatever it holds.

Then times, with the default rule (92 nights, 84 months):

- the first run, which lets go of the backlog (28 nights of readiness rows, and about 300 partitions a
  table);
- a steady night: the next night's rows and partitions are added and the job runs for it (one night of
  readiness rows to let go, one partition a table);
- the floor: a bare ``DELETE`` of one night's readiness rows by date (rolled back), the least a night's
  pruning can cost, printed beside the steady night. Target: a steady night under 1 s (it must also
  find each person's last row, which the bare delete does not).

Prints one JSON line.

    DATABASE_URL=postgres://... python benchmarks/retention.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

from _setup import django_setup, execute, log, scalar, throwaway_database

django_setup()

from django.db import connection, transaction  # noqa: E402

TODAY = dt.date(2026, 12, 5)
NIGHTS = 120
PER_DAY = 756  # people whose supervision ends each day: 68,000 in a 90-day window
SNAPSHOT_NIGHTS = 400
TABLES = ("restitution_compliancesnapshot", "community_service_pacesnapshot")


def readiness_rows(first: dt.date, last: dt.date) -> int:
    """The readiness rows of the nights ``first`` to ``last``: everyone whose end falls within 90 days."""
    start = TODAY - dt.timedelta(days=NIGHTS - 1)
    people = PER_DAY * (NIGHTS + 92)
    return execute(
        """INSERT INTO core_readiness (as_of, offender_id, supervision_end_date, officer_id, district_id, unmet,
                                       unmet_count, late)
           SELECT n.night::date, p.id, p.end_date, NULL, p.id %% 45 + 1, '[]'::jsonb, p.id %% 3, p.id %% 5 = 0
             FROM (SELECT g AS id, %(start)s::date + (g / %(per_day)s)::int AS end_date
                     FROM generate_series(1, %(people)s) g) p
             JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') n(night)
               ON p.end_date BETWEEN n.night::date AND n.night::date + 90""",
        {"start": start, "per_day": PER_DAY, "people": people, "first": first, "last": last},
    )


def partitions(first: dt.date, count: int) -> None:
    for table in TABLES:
        for n in range(count):
            day = first + dt.timedelta(days=n)
            execute(f"CREATE TABLE {table}_{day:%Y%m%d} PARTITION OF {table} FOR VALUES IN (DATE '{day.isoformat()}')")


def run(day: dt.date) -> tuple[float, int]:
    from core.jobs import job_run

    started = time.perf_counter()
    result = job_run(name="retention", run_date=day)
    return time.perf_counter() - started, result.rows


def floor(night: dt.date) -> float:
    """A bare delete of one night's readiness rows, rolled back."""
    started = time.perf_counter()
    with transaction.atomic():
        execute("DELETE FROM core_readiness WHERE as_of = %s", [night])
        transaction.set_rollback(True)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args, _ = parser.parse_known_args(argv)
    with throwaway_database(keep=args.keep):
        started = time.perf_counter()
        rows = readiness_rows(TODAY - dt.timedelta(days=NIGHTS - 1), TODAY)
        partitions(TODAY - dt.timedelta(days=SNAPSHOT_NIGHTS - 1), SNAPSHOT_NIGHTS)
        execute("VACUUM ANALYZE core_readiness")
        build_s = time.perf_counter() - started
        log(f"built {rows:,} readiness rows and {SNAPSHOT_NIGHTS} nights of partitions in {build_s:.0f} s")

        first_s, first_rows = run(TODAY)
        kept = scalar("SELECT count(*) FROM core_readiness")
        log(f"first run: {first_rows:,} let go in {first_s:.2f} s; {kept:,} readiness rows kept")
        execute("VACUUM ANALYZE core_readiness")

        steady = []
        floors = []
        for n in range(1, 4):
            night = TODAY + dt.timedelta(days=n)
            readiness_rows(night, night)
            partitions(night, 1)
            oldest = scalar("SELECT min(as_of) FROM core_readiness WHERE as_of >= %s", [night - dt.timedelta(days=92)])
            floors.append(floor(oldest))
            seconds, let_go = run(night)
            steady.append((seconds, let_go))
        log(f"steady nights: {[(round(s, 3), r) for s, r in steady]}; floors {[round(f, 3) for f in floors]}")
        steady_s = sorted(s for s, _ in steady)[1]
        floor_s = sorted(floors)[1]
        figures = {
            "benchmark": "retention",
            "postgres": scalar("SHOW server_version"),
            "readiness_rows": rows,
            "snapshot_partitions": SNAPSHOT_NIGHTS * len(TABLES),
            "build_s": round(build_s, 1),
            "first_run_s": round(first_s, 2),
            "first_run_let_go": first_rows,
            "readiness_rows_kept": kept,
            "steady_night_s": round(steady_s, 3),
            "steady_night_let_go": sorted(r for _, r in steady)[1],
            "floor_delete_one_night_s": round(floor_s, 3),
            "steady_over_floor": round(steady_s / floor_s, 2),
            "targets_met": {"steady_night_under_1_s": steady_s < 1.0},
        }
        connection.close()
        print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
