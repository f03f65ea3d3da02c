"""The victim impact classes at the issue's size: 500,000 enrollments and 5,000,000 attendance rows.

Builds, in a throw-away database, 25,000 offerings of 20 people at 100 facilities on Missouri's curriculum
(10 sessions of 4 hours each), one enrollment a person (80% active, 15% completed, 5% withdrawn) and one
attendance entry per person and session (80% present, 5% late for 3 of 4 hours, 8% absent, 4% excused,
3% not held), then times:

- the statewide question, "who still lacks which topics", for every active enrollment
  (``classes.progress.LACKING_SQL``: one row per enrollment and topic not covered), counted in the server
  so that no row crosses to Python (median of three);
- the same question as the statewide page asks it (``progress.lacking_counts``: people per topic);
- the floor: a bare ``GROUP BY`` of standing credited hours per course and topic over attendance, counted
  the same way (median of three). Target: the statewide question within 1.5 times the floor;
- one offering's attendance grid page (``/classes/offerings/<id>/``) as an administrator, for 5 and for 40
  people: its queries (target: the same count) and its time, and the median time of one mark through
  ``services.attendance_mark`` while building it (the mark keeps the course's progress).

The build writes attendance in SQL, not through the services, so it fills the course progress table once
(``classes.progress.rebuild``, its time in ``progress_rebuild_s``).

Prints one JSON line.

    DATABASE_URL=postgres://... python benchmarks/classes.py              # a tenth: 50,000 enrollments
    DATABASE_URL=postgres://... python benchmarks/classes.py --scale 1    # 500,000 and 5,000,000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time

from _setup import django_setup, execute, log, scalar

django_setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

FULL_ENROLLMENTS = 500_000
PER_OFFERING = 20
FACILITIES = 100
START = dt.date(2026, 1, 5)


def build(enrollments: int) -> dict:
    """Everything in set-based SQL (generate_series); the curriculum is the data migration's."""
    offerings = max(enrollments // PER_OFFERING, 1)
    version = scalar("SELECT id FROM classes_curriculumversion WHERE number = 1")
    with transaction.atomic():
        execute(
            """INSERT INTO core_facility (name, code, town, kind, region, active)
               SELECT 'Bench facility ' || g, 'BF' || g, 'Town', 'institution', 'central', true
               FROM generate_series(1, %s) g""",
            [FACILITIES],
        )
        execute(
            """INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                      is_active, date_joined, role, phone)
               VALUES ('!', false, 'bench.admin', 'Bench', 'Admin', 'admin@bench.example', false, true, now(),
                       'administrator', '')"""
        )
        user = scalar("SELECT id FROM core_user WHERE username = 'bench.admin'")
        execute(
            """INSERT INTO classes_offering (facility_id, version_id, title, capacity, status, starts_on, note)
               SELECT f.id, %s, 'Class ' || g, 25, 'in_progress', %s::date + (g %% 250), ''
               FROM generate_series(1, %s) g
               JOIN core_facility f ON f.code = 'BF' || (1 + g %% %s)""",
            [version, START, offerings, FACILITIES],
        )
        execute(
            """INSERT INTO classes_scheduledsession (offering_id, topic_id, date, start_time, end_time, room, hours)
               SELECT o.id, cs.topic_id, o.starts_on + 7 * (cs.position - 1), '13:00', '17:00', '', cs.hours
               FROM classes_offering o JOIN classes_curriculumsession cs ON cs.version_id = o.version_id"""
        )
        execute(
            """INSERT INTO core_offender (doc_id, last_name, first_name, date_of_birth, status, facility_id,
                                          supervision_end_date)
               SELECT lpad((4000000 + g)::text, 8, '0'), 'Person' || g, 'Bench', DATE '1980-01-01' + (g %% 9000),
                      'incarcerated', o.facility_id, DATE '2027-01-01' + (g %% 900)
               FROM generate_series(1, %s) g
               JOIN classes_offering o ON o.title = 'Class ' || (1 + (g - 1) / %s)""",
            [offerings * PER_OFFERING, PER_OFFERING],
        )
        execute(
            """INSERT INTO classes_enrollment (offender_id, offering_id, version_id, course_started_on, enrolled_on,
                                               status, ended_on, end_reason, certificate_code)
               SELECT p.id, o.id, o.version_id, o.starts_on, o.starts_on,
                      CASE WHEN p.id %% 20 < 16 THEN 'enrolled' WHEN p.id %% 20 < 19 THEN 'completed'
                           ELSE 'withdrawn' END,
                      CASE WHEN p.id %% 20 < 16 THEN NULL ELSE o.starts_on + 70 END,
                      CASE WHEN p.id %% 20 = 19 THEN 'Left the class' ELSE '' END,
                      CASE WHEN p.id %% 20 BETWEEN 16 AND 18 THEN 'C' || lpad(p.id::text, 11, '0') END
               FROM core_offender p
               JOIN classes_offering o ON o.title = 'Class ' || (1 + (p.doc_id::int - 4000001) / %s)""",
            [PER_OFFERING],
        )
        execute("UPDATE classes_enrollment SET course = id")
        execute(
            """INSERT INTO classes_attendance (session_id, enrollment_id, offender_id, course, facility_id, topic_id,
                   date, status, hours, makeup, not_held_reason, remark, entered_by_id, entered_at, void_reason)
               SELECT s.id, e.id, e.offender_id, e.course, o.facility_id, s.topic_id, s.date,
                      st.status,
                      CASE st.status WHEN 'present' THEN s.hours WHEN 'late' THEN 3.00 ELSE 0 END,
                      false, CASE WHEN st.status = 'not_held' THEN 'lockdown' ELSE '' END, '', %s, now(), ''
               FROM classes_enrollment e
               JOIN classes_offering o ON o.id = e.offering_id
               JOIN classes_scheduledsession s ON s.offering_id = o.id
               CROSS JOIN LATERAL (SELECT CASE
                   WHEN (e.id * 31 + s.id * 17) %% 100 < 80 THEN 'present'
                   WHEN (e.id * 31 + s.id * 17) %% 100 < 85 THEN 'late'
                   WHEN (e.id * 31 + s.id * 17) %% 100 < 93 THEN 'absent'
                   WHEN (e.id * 31 + s.id * 17) %% 100 < 97 THEN 'excused'
                   ELSE 'not_held' END AS status) st""",
            [user],
        )
    # The services keep each course's progress as they write; this build writes in SQL, so it is counted once.
    rebuild_s = rebuild_progress()
    execute("VACUUM ANALYZE")  # as autovacuum leaves a live database: visibility map set, statistics fresh
    return {
        "progress_rebuild_s": round(rebuild_s, 1),
        "offerings": scalar("SELECT count(*) FROM classes_offering"),
        "enrollments": scalar("SELECT count(*) FROM classes_enrollment"),
        "active_enrollments": scalar("SELECT count(*) FROM classes_enrollment WHERE status = 'enrolled'"),
        "attendance_rows": scalar("SELECT count(*) FROM classes_attendance"),
    }


def rebuild_progress() -> float:
    """``classes.progress.rebuild``: every course's credited hours per topic, from the attendance."""
    from classes import progress

    started = time.perf_counter()
    rows = progress.rebuild()
    log(f"course progress: {rows} rows in {time.perf_counter() - started:.1f} s")
    return time.perf_counter() - started


FLOOR = """SELECT count(*) FROM (
    SELECT course, topic_id, SUM(hours) FROM classes_attendance
     WHERE voided_at IS NULL AND hours > 0 GROUP BY course, topic_id) q"""


def timed(sql: str, params=None) -> tuple[float, object]:
    started = time.perf_counter()
    value = scalar(sql, params)
    return time.perf_counter() - started, value


def grid(people: int, facility_id: int, admin) -> dict:
    """An offering of ``people`` with every session marked, through the services; its page measured."""
    from django.test import Client

    from classes import services
    from classes.models import Offering
    from core.models import Facility, Offender

    facility = Facility.objects.get(pk=facility_id)
    run = Offering.objects.filter(title__startswith="Grid ").count()  # a kept database has earlier grids
    version = services.curriculum_missouri()
    o = services.offering_save(
        offering=Offering(facility=facility, version=version, title=f"Grid {people}", capacity=40, starts_on=START),
        user=admin,
        facilitators=[],
    )
    for cs in version.sessions.select_related("topic").order_by("position"):
        services.session_schedule(
            user=admin,
            offering=o,
            topic=cs.topic,
            date=START + dt.timedelta(days=7 * (cs.position - 1)),
            start_time=dt.time(13),
            end_time=dt.time(17),
        )
    marks = []  # each mark through the service (it keeps the course's progress)
    for i in range(people):
        p = Offender.objects.create(
            doc_id=f"{9100000 + 1000 * run + people * 10 + i}",
            last_name=f"Grid{i}",
            first_name="Bench",
            date_of_birth=dt.date(1990, 1, 1),
            status="incarcerated",
            facility=facility,
        )
        services.enrollment_enroll(user=admin, offering=o, offender=p, enrolled_on=START)
        for s in o.sessions.order_by("date")[: 1 + i % 10]:
            started = time.perf_counter()
            services.attendance_mark(user=admin, session=s, offender=p, status="present")
            marks.append(time.perf_counter() - started)
    client = Client()
    client.force_login(admin)
    url = o.get_absolute_url()
    client.get(url)
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return {
        "queries": len(ctx.captured_queries),
        "ms": round(1000 * statistics.median(times), 1),
        "mark_ms": round(1000 * statistics.median(marks), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 is 500,000 enrollments; 0.1 by default")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each query (median)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (and reuse a kept one)")
    args, _ = parser.parse_known_args(argv)
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_classes_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not args.keep, keepdb=args.keep, serialize=False
    )
    try:
        from classes import progress
        from core.models import User

        started = time.perf_counter()
        if args.keep and scalar("SELECT count(*) FROM classes_enrollment"):
            if not scalar("SELECT count(*) FROM classes_courseprogress"):  # kept from before the table
                rebuild_progress()
                execute("VACUUM ANALYZE classes_courseprogress")
            counts = {
                "enrollments": scalar("SELECT count(*) FROM classes_enrollment"),
                "attendance_rows": scalar("SELECT count(*) FROM classes_attendance"),
            }
        else:
            counts = build(int(FULL_ENROLLMENTS * args.scale))
        build_s = time.perf_counter() - started
        log(f"built {counts} in {build_s:.0f} s")

        lacking_sql = f"SELECT count(*) FROM ({progress.LACKING_SQL.format(enrollment_filter='')}) q"
        timed(lacking_sql)  # warm the cache for both
        floors, lacking, lacking_rows = [], [], None
        for _ in range(args.runs):
            floor_s, _ = timed(FLOOR)
            lack_s, lacking_rows = timed(lacking_sql)
            floors.append(floor_s)
            lacking.append(lack_s)
        log(f"floor {[round(f, 2) for f in floors]} s; lacking {[round(t, 2) for t in lacking]} s")
        counts_times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            per_topic = progress.lacking_counts()
            counts_times.append(time.perf_counter() - t0)

        admin = User.objects.get(username="bench.admin")
        facility_id = scalar("SELECT min(id) FROM core_facility")
        grid_5, grid_40 = grid(5, facility_id, admin), grid(40, facility_id, admin)
        floor_s, lack_s = statistics.median(floors), statistics.median(lacking)
        figures = {
            "benchmark": "classes",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "floor_group_by_s": round(floor_s, 3),
            "lacking_statewide_s": round(lack_s, 3),
            "lacking_rows": lacking_rows,
            "lacking_over_floor": round(lack_s / floor_s, 2),
            "lacking_counts_per_topic_s": round(statistics.median(counts_times), 3),
            "people_lacking_per_topic": sorted(per_topic.values(), reverse=True)[:3],
            "grid_5": grid_5,
            "grid_40": grid_40,
            "targets_met": {
                "lacking_within_1_5x_floor": lack_s <= 1.5 * floor_s,
                "grid_same_queries_5_and_40": grid_5["queries"] == grid_40["queries"],
            },
        }
        print(json.dumps(figures), flush=True)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
