"""The nightly community service pace job at ten times Missouri's size (PostgreSQL only).

Builds, in a throw-away database, 100,000 open orders (for 80,000 people, a fifth of them with two
orders) and 3,000,000 hour logs (most verified, some pending, rejected or void), then times:

- the nightly job (``job_run("community_service")``: the pace snapshot of every open order, alerts,
  e-mails) for three consecutive dates, each with the previous night's snapshot in place (median);
- the floor: one bare ``GROUP BY`` of credited hours per order (median of three);
- the read-plus-write floor: the same ``GROUP BY`` written into a table keyed like the snapshot
  (``(as_of, order_id)``), in one transaction, two ways: ``INSERT ... SELECT`` into the keyed table,
  and the way the job writes a night (``CREATE TABLE AS``, the key built after); median of three each;
- the nightly ``hours_check`` (every order's running total of credited hours against its logs), which
  the job relies on: the job reads the running totals and only the last 8 weeks of logs.

Prints one JSON line with the times, the ratios job / read-plus-write floor (target: at most 1.5,
against the cheaper of the two floors), job / floor, job plus check / the bulk floor, and the job's
peak Python memory (tracemalloc).

    DATABASE_URL=postgres://... python benchmarks/community_service.py              # the full size
    DATABASE_URL=postgres://... python benchmarks/community_service.py --scale 0.05  # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import time
import tracemalloc

from _setup import django_setup, execute, log, scalar

django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

FULL_ORDERS = 100_000
LOGS_PER_ORDER = 30
TODAY = dt.date(2026, 11, 2)


def build(orders: int) -> dict:
    """The book, written with set-based SQL (generate_series)."""
    people = orders * 4 // 5
    officers = max(people // 150, 2)
    agencies = max(orders // 50, 10)
    today = TODAY
    with transaction.atomic():
        execute(
            """INSERT INTO core_district (number, name, region)
               SELECT g, 'District ' || g, 'central' FROM generate_series(1, 45) g"""
        )
        execute(
            """INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                      is_active, date_joined, role, district_id, phone)
               SELECT '!', false, 'bench.officer.' || g, 'Officer', 'No. ' || g, 'officer' || g || '@bench.example',
                      false, true, now(), 'probation_officer',
                      (SELECT id FROM core_district WHERE number = 1 + g %% 45), ''
               FROM generate_series(1, %s) g""",
            [officers],
        )
        execute(
            """INSERT INTO core_offender (doc_id, last_name, first_name, date_of_birth, status, district_id,
                                          supervising_officer_id, supervision_end_date)
               SELECT lpad((3000000 + g)::text, 8, '0'), 'Person' || g, 'Bench', DATE '1980-01-01' + (g %% 9000)::int,
                      'supervised', u.district_id, u.id, %s::date + (g %% 900)::int
               FROM generate_series(1, %s) g
               JOIN core_user u ON u.username = 'bench.officer.' || (1 + g %% %s)""",
            [today, people, officers],
        )
        execute(
            """INSERT INTO core_courtcase (court, case_number, county, offender_id, offense, offense_class,
                                           sentencing_date)
               SELECT '31st Judicial Circuit (Greene County)', 'B-' || o.id, 'Greene', o.id, 'Stealing',
                      'misdemeanor_a', %s::date - 800 FROM core_offender o""",
            [today],
        )
        execute(
            """INSERT INTO core_organization (name, agency_status, address, town, zip_code, county, contact_name,
                                              contact_phone, contact_email, active)
               SELECT 'Agency ' || g, 'non_profit', '', 'Springfield', '', 'Greene', 'Contact ' || g, '',
                      'contact' || g || '@agency.example', true
               FROM generate_series(1, %s) g""",
            [agencies],
        )
        execute(
            """INSERT INTO community_service_agency (organization_id, ein, agreement_start, verifier_name,
                                                     verifier_email, kinds_of_work, minors_present, active)
               SELECT id, '43-' || lpad(id::text, 7, '0'), DATE '2020-01-01', contact_name, contact_email,
                      'General work', false, true
               FROM core_organization"""
        )
        # An order a person, a second one for a fifth of them: 20 to 300 hours, ordered up to 700 days ago,
        # due 90 to 720 days after.
        execute(
            """INSERT INTO community_service_order (offender_id, case_id, hours_ordered, ordered_on, due_on, source,
                                                    schedule, minors_barred, status, note)
               SELECT c.offender_id, c.id, (20 + (c.id * 37 + k) %% 281)::numeric(7, 2),
                      %s::date - (30 + (c.id * 13 + k * 101) %% 670)::int,
                      %s::date - (30 + (c.id * 13 + k * 101) %% 670)::int + (90 + (c.id * 7 + k) %% 630)::int,
                      'court', 'concurrent', false, 'open', ''
               FROM core_courtcase c CROSS JOIN generate_series(1, 2) k
               WHERE k = 1 OR c.offender_id %% 4 = 0
               LIMIT %s""",
            [today, today, orders],
        )
        execute(
            """INSERT INTO community_service_placement (offender_id, agency_id, start_on, note)
               SELECT o.id, (SELECT min(id) FROM community_service_agency) + o.id %% %s, %s::date - 800, ''
               FROM core_offender o""",
            [agencies, today],
        )
        bench_user = scalar("SELECT min(id) FROM core_user")
        # Hour logs: 0 to 68 an order, every fifth day from the order date, never after today (about 30 an
        # order on average); 80% verified, 15% pending, 3% rejected, 2% void.
        execute(
            """INSERT INTO community_service_hourlog (offender_id, order_id, placement_id, date, hours, task,
                   source, verification, credited_hours, decided_at, decided_by_name, method, decision_note,
                   sheet, entered_by_id, entered_at, voided_at, voided_by_id, void_reason, reported_by_name)
               SELECT o.offender_id, o.id, p.id, o.ordered_on + g.i * 5, h.hours, 'Work', 'officer',
                      v.verification, CASE WHEN v.verification = 'verified' THEN h.hours ELSE 0 END,
                      CASE WHEN v.verification = 'pending' THEN NULL ELSE now() END,
                      CASE WHEN v.verification = 'pending' THEN '' ELSE 'Contact' END,
                      CASE WHEN v.verification = 'pending' THEN '' ELSE 'agency_link' END,
                      '', '', %s, now(),
                      CASE WHEN v.void THEN now() END, CASE WHEN v.void THEN %s::bigint END,
                      CASE WHEN v.void THEN 'Entered twice' ELSE '' END, ''
               FROM community_service_order o
               JOIN community_service_placement p ON p.offender_id = o.offender_id
               CROSS JOIN LATERAL generate_series(1, ((o.id * 2654435761) %% 69)::int) AS g(i)
               CROSS JOIN LATERAL (SELECT (1 + ((o.id + g.i) %% 32) * 0.25)::numeric(4, 2) AS hours) h
               CROSS JOIN LATERAL (SELECT CASE WHEN (o.id * 31 + g.i) %% 100 < 80 THEN 'verified'
                                               WHEN (o.id * 31 + g.i) %% 100 < 95 THEN 'pending'
                                               ELSE 'rejected' END AS verification,
                                          (o.id * 17 + g.i) %% 50 = 0 AS void) v
               WHERE o.ordered_on + g.i * 5 <= %s::date""",
            [bench_user, bench_user, today],
        )
        # Each order's running total of credited hours, as the services keep it.
        execute(
            """UPDATE community_service_order o SET credited_total = t.credited
               FROM (SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
                     WHERE verification = 'verified' AND voided_at IS NULL GROUP BY order_id) t
               WHERE t.order_id = o.id"""
        )
    execute("VACUUM ANALYZE")
    return {
        "people": people,
        "officers": officers,
        "agencies": agencies,
        "orders": scalar("SELECT count(*) FROM community_service_order WHERE status = 'open'"),
        "hour_logs": scalar("SELECT count(*) FROM community_service_hourlog"),
    }


GROUP_BY = """SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
              WHERE verification = 'verified' AND voided_at IS NULL AND date <= %s GROUP BY order_id"""


def time_floor(day: dt.date) -> float:
    """The bare GROUP BY of credited hours per order."""
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        start = time.perf_counter()
        scalar(f"SELECT count(*), sum(credited) FROM ({GROUP_BY}) t", [day])
        return time.perf_counter() - start


def time_read_write_floor(day: dt.date) -> float:
    """The same GROUP BY written into a table keyed like the snapshot, replacing the date's rows."""
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        execute("SELECT set_config('work_mem', %s, true)", [settings.COMMUNITY_SERVICE_JOB_WORK_MEM])
        start = time.perf_counter()
        execute("DELETE FROM bench_floor WHERE as_of = %s", [day])
        execute(
            f"INSERT INTO bench_floor (as_of, order_id, credited) SELECT %s, order_id, credited FROM ({GROUP_BY}) t "
            "ORDER BY order_id",
            [day, day],
        )
        return time.perf_counter() - start


def time_bulk_read_write_floor(day: dt.date) -> float:
    """The same GROUP BY written the way the job writes a night: ``CREATE TABLE AS`` and its key built
    after (the cheapest write of it we know)."""
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        execute("SELECT set_config('work_mem', %s, true)", [settings.COMMUNITY_SERVICE_JOB_WORK_MEM])
        start = time.perf_counter()
        execute("DROP TABLE IF EXISTS bench_floor_night")
        execute(
            "CREATE TABLE bench_floor_night AS SELECT %s::date AS as_of, order_id, "
            f"credited::numeric(7, 2) AS credited FROM ({GROUP_BY}) t",
            [day, day],
        )
        execute("ALTER TABLE bench_floor_night ADD PRIMARY KEY (as_of, order_id)")
        return time.perf_counter() - start


def time_check(day: dt.date) -> float:
    """The nightly check of the orders' running totals against their logs (``hours_check``)."""
    from core.jobs import job_run

    start = time.perf_counter()
    run = job_run(name="hours_check", run_date=day)
    elapsed = time.perf_counter() - start
    assert run.outcome == "success", run.error
    assert not scalar("SELECT count(*) FROM core_alert WHERE key LIKE 'community_service:hours-check:%%'")
    return elapsed


def time_job(day: dt.date):
    from core.jobs import job_run

    tracemalloc.start()
    start = time.perf_counter()
    run = job_run(name="community_service", run_date=day)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.outcome == "success", run.error
    return elapsed, peak / 2**20, run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is 100,000 orders; 0.05 a quick run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the job and of each floor (median)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (and reuse a kept one)")
    args, _ = parser.parse_known_args(argv)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_cs_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not args.keep, keepdb=args.keep, serialize=False
    )
    try:
        started = time.perf_counter()
        if args.keep and scalar("SELECT count(*) FROM community_service_order"):
            for table in ("community_service_pacesnapshot", "core_alert", "core_jobrun"):
                execute(f"DELETE FROM {table}")
            counts = {
                "orders": scalar("SELECT count(*) FROM community_service_order WHERE status = 'open'"),
                "hour_logs": scalar("SELECT count(*) FROM community_service_hourlog"),
            }
        else:
            counts = build(int(FULL_ORDERS * args.scale))
        build_s = time.perf_counter() - started
        log(f"built {counts} in {build_s:.0f} s")
        execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (as_of date, order_id bigint, credited numeric(7, 2), "
            "PRIMARY KEY (as_of, order_id))"
        )

        warm_s, _, _ = time_job(TODAY - dt.timedelta(days=1))  # the night before: the first night's alerts
        jobs, peaks, runs = [], [], []
        for i in range(args.runs):
            elapsed, peak, run = time_job(TODAY + dt.timedelta(days=i))
            jobs.append(elapsed)
            peaks.append(peak)
            runs.append(run)
            log(f"job for {run.run_date}: {elapsed:.2f} s, {run.rows} rows, peak {peak:.1f} MiB")
        rerun_s, _, _ = time_job(TODAY)
        time_read_write_floor(TODAY - dt.timedelta(days=1))  # as the job: one night before in the table
        floors = [time_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        rw_floors = [time_read_write_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        bulk_floors = [time_bulk_read_write_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        checks = [time_check(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        log(
            f"floor: {[round(f, 2) for f in floors]} s; read and write: {[round(f, 2) for f in rw_floors]} s; "
            f"read and bulk write: {[round(f, 2) for f in bulk_floors]} s; "
            f"hours check: {[round(c, 2) for c in checks]} s"
        )

        from core.models import Alert

        job_s, floor_s, rw_s = statistics.median(jobs), statistics.median(floors), statistics.median(rw_floors)
        bulk_s, check_s = statistics.median(bulk_floors), statistics.median(checks)
        best_rw_s = min(rw_s, bulk_s)
        figures = {
            "benchmark": "community_service",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "job_s": round(job_s, 2),
            "job_runs_s": [round(j, 2) for j in jobs],
            "job_first_night_s": round(warm_s, 2),
            "job_rerun_same_date_s": round(rerun_s, 2),
            "floor_s": round(floor_s, 2),
            "read_write_floor_s": round(rw_s, 2),
            "job_over_floor": round(job_s / floor_s, 2),
            "bulk_read_write_floor_s": round(bulk_s, 2),
            "job_over_read_write_floor": round(job_s / rw_s, 2),
            "job_over_bulk_read_write_floor": round(job_s / bulk_s, 2),
            "hours_check_s": round(check_s, 2),
            "job_and_check_over_bulk_read_write_floor": round((job_s + check_s) / bulk_s, 2),
            "targets_met": {"job_within_1_5x_read_write_floor": job_s <= 1.5 * best_rw_s},
            "job_peak_mib": round(max(peaks), 1),
            "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "snapshot_rows": runs[-1].rows,
            "alerts": Alert.objects.count(),
        }
        print(json.dumps(figures), flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
