"""The restorative record at ten times Missouri's size (PostgreSQL only): the nightly readiness check and
the progress report, on the restitution, community service and classes books together.

Builds, in a throw-away database, the compliance benchmark's book (600,000 obligations for 300,000
supervised people, about 6 million allocations; their supervision ends over the next four years), the
classes benchmark's (500,000 enrollments and 5 million attendance rows at ``--scale 1``; a tenth of its
people are moved to supervision ending within 90 days), and community service orders for a third of
the supervised people with about 30 hour logs each (3 million). Then times:

- the readiness check (``job_run("supervision_review")``: every person whose supervision ends within
  90 days, every program's ``unmet``, one row a person, alerts and e-mails) over three nights, each
  after the night before (median); and the first night, which alerts every officer;
- the three programs' floors, as their own benchmarks define them: a bare ``GROUP BY`` of allocations
  per obligation, of credited hours per order, of attended hours per course and topic (median of
  three each), and their sum. Target: the check within 2 times the sum;
- the progress report (``core.restorative.progress_report_produce``: the record as an administrator
  sees it, laid out by WeasyPrint, the copy kept) for the person with the longest history (median of
  three). Target: under 1 s.

    DATABASE_URL=postgres://... python benchmarks/restorative.py              # the full size
    DATABASE_URL=postgres://... python benchmarks/restorative.py --scale 0.05  # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import time

from _setup import django_setup, execute, log, scalar, throwaway_database

django_setup()

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _sibling(name: str):
    """Another benchmark script as a module (its book and floor); by path, since ``classes`` is also an app."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compliance_bench = _sibling("compliance")
classes_bench = _sibling("classes")
TODAY = compliance_bench.TODAY
CS_FLOOR = """SELECT count(*), sum(credited) FROM (
    SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
    WHERE verification = 'verified' AND voided_at IS NULL AND date <= %s GROUP BY order_id) t"""


def build_service(today: dt.date) -> None:
    """Community service orders for a third of the supervised people, with their hour logs (as the
    community service benchmark writes them) and each order's running total."""
    with transaction.atomic():
        execute(
            """INSERT INTO core_organization (name, agency_status, address, town, zip_code, county, contact_name,
                                              contact_phone, contact_email, active)
               SELECT 'Agency ' || g, 'non_profit', '', 'Springfield', '', 'Greene', 'Contact ' || g, '',
                      'contact' || g || '@agency.example', true
               FROM generate_series(1, 2000) g"""
        )
        execute(
            """INSERT INTO community_service_agency (organization_id, ein, agreement_start, verifier_name,
                                                     verifier_email, kinds_of_work, minors_present, active)
               SELECT id, '43-' || lpad(id::text, 7, '0'), DATE '2020-01-01', contact_name, contact_email,
                      'General work', false, true
               FROM core_organization WHERE name LIKE 'Agency %%'"""
        )
        execute(
            """INSERT INTO community_service_order (offender_id, case_id, hours_ordered, ordered_on, due_on, source,
                                                    schedule, minors_barred, status, note, credited_total)
               SELECT c.offender_id, c.id, (20 + (c.id * 37) %% 281)::numeric(7, 2),
                      %s::date - (30 + (c.id * 13) %% 670)::int,
                      %s::date - (30 + (c.id * 13) %% 670)::int + (90 + (c.id * 7) %% 630)::int,
                      'court', 'concurrent', false, 'open', '', 0
               FROM core_courtcase c JOIN core_offender p ON p.id = c.offender_id
               WHERE p.status = 'supervised' AND p.id %% 3 = 0""",
            [today, today],
        )
        execute(
            """INSERT INTO community_service_placement (offender_id, agency_id, start_on, note)
               SELECT DISTINCT o.offender_id, (SELECT min(id) FROM community_service_agency) + o.offender_id %% 2000,
                      %s::date - 800, ''
               FROM community_service_order o""",
            [today],
        )
        user = scalar("SELECT min(id) FROM core_user")
        execute(
            """INSERT INTO community_service_hourlog (offender_id, order_id, placement_id, date, hours, task,
                   source, verification, credited_hours, decided_at, decided_by_name, method, decision_note,
                   sheet, entered_by_id, entered_at, voided_at, voided_by_id, void_reason, reported_by_name)
               SELECT o.offender_id, o.id, p.id, o.ordered_on + g.i * 5, h.hours, 'Work', 'officer',
                      v.verification, CASE WHEN v.verification = 'verified' THEN h.hours ELSE 0 END,
                      CASE WHEN v.verification = 'pending' THEN NULL ELSE now() END,
                      CASE WHEN v.verification = 'pending' THEN '' ELSE 'Contact' END,
                      CASE WHEN v.verification = 'pending' THEN '' ELSE 'agency_link' END,
                      '', '', %s, now(), NULL, NULL, '', ''
               FROM community_service_order o
               JOIN community_service_placement p ON p.offender_id = o.offender_id
               CROSS JOIN LATERAL generate_series(1, ((o.id * 2654435761) %% 61)::int) AS g(i)
               CROSS JOIN LATERAL (SELECT (1 + ((o.id + g.i) %% 32) * 0.25)::numeric(4, 2) AS hours) h
               CROSS JOIN LATERAL (SELECT CASE WHEN (o.id * 31 + g.i) %% 100 < 85 THEN 'verified'
                                               ELSE 'pending' END AS verification) v
               WHERE o.ordered_on + g.i * 5 <= %s::date""",
            [user, today],
        )
        execute(
            """UPDATE community_service_order o SET credited_total = t.credited
               FROM (SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
                     WHERE verification = 'verified' AND voided_at IS NULL GROUP BY order_id) t
               WHERE t.order_id = o.id"""
        )


def move_class_people(today: dt.date) -> int:
    """A tenth of the classes book's people come out on supervision ending within 90 days, each with an
    officer of the compliance book's districts, so the classes provider has work too."""
    return execute(
        """UPDATE core_offender p SET status = 'supervised', facility_id = NULL,
                  district_id = u.district_id, supervising_officer_id = u.id,
                  supervision_end_date = %s::date + (p.id %% 90)::int
           FROM core_user u
           WHERE p.id IN (SELECT offender_id FROM classes_enrollment) AND p.id %% 10 = 0
             AND u.username = 'bench.officer.' || (1 + p.id %% 100)""",
        [today],
    )


def timed(sql: str, params=None) -> float:
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        start = time.perf_counter()
        scalar(sql, params)
        return time.perf_counter() - start


def time_check(day: dt.date):
    from core.jobs import job_run

    start = time.perf_counter()
    run = job_run(name="supervision_review", run_date=day)
    elapsed = time.perf_counter() - start
    assert run.outcome == "success", run.error
    return elapsed, run.rows


def time_report(person) -> float:
    from core.models import User
    from core.restorative import progress_report_produce

    admin = User.objects.filter(is_superuser=False, role="administrator").first() or User.objects.create(
        username="bench.admin.rr", role="administrator"
    )
    start = time.perf_counter()
    progress_report_produce(offender=person, user=admin, version="court", purpose="Benchmark", as_of=TODAY)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is ten times Missouri; 0.05 a quick run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each step (median)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (and reuse a kept one)")
    args, _ = parser.parse_known_args(argv)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = "/tmp/rjadmin-bench-media"
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_rr_{connection.settings_dict['NAME']}"
    with throwaway_database(keep=args.keep):
        started = time.perf_counter()
        if not (args.keep and scalar("SELECT count(*) FROM community_service_order")):
            compliance_bench.build(int(compliance_bench.FULL_OBLIGATIONS * args.scale))
            log(f"restitution built in {time.perf_counter() - started:.0f} s")
            classes_bench.build(int(500_000 * args.scale))
            log(f"classes built in {time.perf_counter() - started:.0f} s")
            build_service(TODAY)
            moved = move_class_people(TODAY)
            execute("VACUUM ANALYZE")
            log(f"community service built, {moved} class people moved, in {time.perf_counter() - started:.0f} s")
        for table in ("core_readiness", "core_alert", "core_jobrun"):
            execute(f"DELETE FROM {table}")
        counts = {
            "people_supervised": scalar("SELECT count(*) FROM core_offender WHERE status = 'supervised'"),
            "obligations": scalar("SELECT count(*) FROM restitution_obligation"),
            "allocations": scalar("SELECT count(*) FROM restitution_allocation"),
            "service_orders": scalar("SELECT count(*) FROM community_service_order"),
            "hour_logs": scalar("SELECT count(*) FROM community_service_hourlog"),
            "enrollments": scalar("SELECT count(*) FROM classes_enrollment"),
            "attendance": scalar("SELECT count(*) FROM classes_attendance"),
        }
        build_s = time.perf_counter() - started

        first_s, checked = time_check(TODAY - dt.timedelta(days=1))
        checks = [time_check(TODAY + dt.timedelta(days=i))[0] for i in range(args.runs)]
        log(f"first night {first_s:.2f} s for {checked} people; nights {[round(c, 2) for c in checks]} s")
        floors = {
            "restitution": [timed(compliance_bench.FLOOR_SQL) for _ in range(args.runs)],
            "community_service": [timed(CS_FLOOR, [TODAY]) for _ in range(args.runs)],
            "classes": [timed(classes_bench.FLOOR) for _ in range(args.runs)],
        }
        floor = {name: statistics.median(times) for name, times in floors.items()}
        floor_sum = sum(floor.values())

        from core.models import Offender

        busiest = scalar(
            "SELECT offender_id FROM community_service_hourlog GROUP BY offender_id ORDER BY count(*) DESC LIMIT 1"
        )
        person = Offender.objects.get(pk=busiest)
        time_report(person)  # WeasyPrint's import and fonts, once
        reports = [time_report(person) for _ in range(args.runs)]
        check_s, report_s = statistics.median(checks), statistics.median(reports)
        figures = {
            "benchmark": "restorative",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "people_checked": checked,
            "readiness_s": round(check_s, 2),
            "readiness_runs_s": [round(c, 2) for c in checks],
            "readiness_first_night_s": round(first_s, 2),
            "floors_s": {name: round(value, 2) for name, value in floor.items()},
            "floor_sum_s": round(floor_sum, 2),
            "readiness_over_floor_sum": round(check_s / floor_sum, 2),
            "progress_report_s": round(report_s, 3),
            "progress_report_history": {
                "hour_logs": scalar("SELECT count(*) FROM community_service_hourlog WHERE offender_id = %s", [busiest]),
                "payments": scalar("SELECT count(*) FROM restitution_payment WHERE offender_id = %s", [busiest]),
            },
            "targets_met": {
                "readiness_within_2x_floor_sum": check_s <= 2 * floor_sum,
                "progress_report_under_1s": report_s < 1.0,
            },
            "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
