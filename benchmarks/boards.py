"""The nightly boards job at ten times Missouri's size (PostgreSQL only).

Builds, in a throw-away database, 60,000 people under supervision referred to 450 boards (ten a district),
each with an agreement approved up to 120 days ago (two thirds still active, the rest closed), three
conditions an agreement (community service hours, restitution paid, and the class or an apology letter),
their community service orders with about 12 hour logs each, and their restitution obligations with about
4 payments each (one in fifty reversed). Then times:

- the nightly job (``job_run("boards")``: the tracked conditions of every active agreement refreshed,
  alerts for conditions past due and agreements at mid-term) for three consecutive dates (median), after
  a first night that raises the backlog of alerts;
- the floor: the three bare reads the job cannot avoid (credited hours per person, money allocated per
  case, completions per person) for the same people (median of three).

Prints one JSON line with the times, the ratio job / floor and the job's peak Python memory.

    DATABASE_URL=postgres://... python benchmarks/boards.py              # the full size
    DATABASE_URL=postgres://... python benchmarks/boards.py --scale 0.01 # a quick run
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

FULL_PEOPLE = 60_000
TODAY = dt.date(2026, 11, 2)


def build(people: int) -> dict:
    """The book, written with set-based SQL (generate_series)."""
    officers = max(people // 150, 2)
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
            """INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                      is_active, date_joined, role, district_id, phone)
               SELECT '!', false, 'bench.boards.' || d.number, 'Coordinator', 'No. ' || d.number,
                      'boards' || d.number || '@bench.example', false, true, now(), 'board_coordinator', d.id, ''
               FROM core_district d"""
        )
        execute(
            """INSERT INTO core_offender (doc_id, last_name, first_name, date_of_birth, status, district_id,
                                          supervising_officer_id, supervision_end_date)
               SELECT lpad((5000000 + g)::text, 8, '0'), 'Person' || g, 'Bench', DATE '1980-01-01' + (g %% 9000)::int,
                      'supervised', u.district_id, u.id, %s::date + (g %% 900)::int
               FROM generate_series(1, %s) g
               JOIN core_user u ON u.username = 'bench.officer.' || (1 + g %% %s)""",
            [today, people, officers],
        )
        execute(
            """INSERT INTO core_courtcase (court, case_number, county, offender_id, offense, offense_class,
                                           sentencing_date)
               SELECT '31st Judicial Circuit (Greene County)', 'B-' || o.id, 'Greene', o.id, 'Property damage',
                      'misdemeanor_a', %s::date - 200 FROM core_offender o""",
            [today],
        )
        # Ten boards a district, five trained members each.
        execute(
            """INSERT INTO boards_board (district_id, name, quorum, coordinator_id, active)
               SELECT d.id, 'Board ' || d.number || '-' || k, 3, u.id, true
               FROM core_district d CROSS JOIN generate_series(1, 10) k
               JOIN core_user u ON u.username = 'bench.boards.' || d.number"""
        )
        execute(
            """INSERT INTO boards_member (board_id, name, phone, email, address, term_start, term_end,
                                          training_completed_on, removed_on, removal_reason)
               SELECT b.id, 'Volunteer ' || b.id || '-' || k, '', '', '', %s::date - 300, %s::date + 400,
                      %s::date - 290, NULL, ''
               FROM boards_board b CROSS JOIN generate_series(1, 5) k""",
            [today, today, today],
        )
        # A referral, a meeting and an agreement a person, approved 1 to 120 days ago (90 days' period);
        # one in three closed already.
        execute(
            """INSERT INTO boards_boardreferral (board_id, offender_id, case_id, source, reason, referred_on,
                                                 priority, status, decided_on, decline_reason, referred_by_id)
               SELECT b.id, c.offender_id, c.id, 'court', 'Property damage', %s::date - 130 - (c.id %% 120)::int,
                      'normal', 'accepted', %s::date - 125 - (c.id %% 120)::int, '', o.supervising_officer_id
               FROM core_courtcase c JOIN core_offender o ON o.id = c.offender_id
               JOIN boards_board b ON b.district_id = o.district_id AND b.name LIKE '%%-' || (1 + c.id %% 10)""",
            [today, today],
        )
        execute(
            """INSERT INTO boards_meeting (referral_id, board_id, date, place)
               SELECT r.id, r.board_id, %s::date - 1 - (r.id %% 120)::int, 'Library' FROM boards_boardreferral r""",
            [today],
        )
        execute(
            """INSERT INTO boards_meeting_present (meeting_id, member_id)
               SELECT m.id, mb.id FROM boards_meeting m JOIN boards_member mb ON mb.board_id = m.board_id"""
        )
        execute(
            """INSERT INTO boards_agreement (referral_id, meeting_id, board_id, approved_on, due_on, status,
                                             closed_on, assessment)
               SELECT m.referral_id, m.id, m.board_id, m.date, m.date + 90,
                      CASE WHEN m.id %% 3 = 0 THEN 'completed' ELSE 'active' END,
                      CASE WHEN m.id %% 3 = 0 THEN m.date END,
                      CASE WHEN m.id %% 3 = 0 THEN 'Every condition met.' ELSE '' END
               FROM boards_meeting m"""
        )
        execute(
            """INSERT INTO boards_condition (agreement_id, kind, description, due_on, hours, amount, status, met_on,
                                             evidence)
               SELECT a.id, k.kind, 'Condition', a.due_on - k.early::int,
                      CASE WHEN k.kind = 'service_hours' THEN 10 + a.id %% 30 END,
                      CASE WHEN k.kind = 'restitution' THEN 100 + a.id %% 400 END, 'open', NULL, ''
               FROM boards_agreement a
               CROSS JOIN (VALUES ('service_hours', 0), ('restitution', 10),
                                  ('class', 30), ('apology', 60)) AS k(kind, early)
               WHERE k.kind IN ('service_hours', 'restitution')
                  OR (k.kind = 'class' AND a.id %% 2 = 0) OR (k.kind = 'apology' AND a.id %% 2 = 1)"""
        )
        # Community service: an order a person, hour logs every fifth day since the agreement (most verified).
        execute(
            """INSERT INTO core_organization (name, agency_status, address, town, zip_code, county, contact_name,
                                              contact_phone, contact_email, active)
               SELECT 'Agency ' || g, 'non_profit', '', 'Springfield', '', 'Greene', 'Contact ' || g, '',
                      'contact' || g || '@agency.example', true
               FROM generate_series(1, 100) g"""
        )
        execute(
            """INSERT INTO community_service_agency (organization_id, ein, agreement_start, verifier_name,
                                                     verifier_email, kinds_of_work, minors_present, active)
               SELECT id, '43-' || lpad(id::text, 7, '0'), DATE '2020-01-01', contact_name, contact_email,
                      'General work', false, true
               FROM core_organization"""
        )
        execute(
            """INSERT INTO community_service_order (offender_id, case_id, hours_ordered, ordered_on, due_on, source,
                                                    schedule, minors_barred, status, note)
               SELECT c.offender_id, c.id, 40, %s::date - 150, %s::date + 200, 'court', 'concurrent', false,
                      'open', ''
               FROM core_courtcase c""",
            [today, today],
        )
        execute(
            """INSERT INTO community_service_placement (offender_id, agency_id, start_on, note)
               SELECT o.id, (SELECT min(id) FROM community_service_agency) + o.id %% 100, %s::date - 200, ''
               FROM core_offender o""",
            [today],
        )
        bench_user = scalar("SELECT min(id) FROM core_user")
        execute(
            """INSERT INTO community_service_hourlog (offender_id, order_id, placement_id, date, hours, task,
                   source, verification, credited_hours, decided_at, decided_by_name, method, decision_note,
                   sheet, entered_by_id, entered_at, voided_at, voided_by_id, void_reason, reported_by_name)
               SELECT o.offender_id, o.id, p.id, a.approved_on + (g.i * 5)::int, 2, 'Work', 'officer',
                      CASE WHEN (o.id + g.i) %% 10 < 8 THEN 'verified' ELSE 'pending' END,
                      CASE WHEN (o.id + g.i) %% 10 < 8 THEN 2 ELSE 0 END,
                      CASE WHEN (o.id + g.i) %% 10 < 8 THEN now() END,
                      CASE WHEN (o.id + g.i) %% 10 < 8 THEN 'Contact' ELSE '' END,
                      CASE WHEN (o.id + g.i) %% 10 < 8 THEN 'agency_link' ELSE '' END,
                      '', '', %s, now(), NULL, NULL, '', ''
               FROM community_service_order o
               JOIN community_service_placement p ON p.offender_id = o.offender_id
               JOIN boards_agreement a ON a.referral_id = (SELECT r.id FROM boards_boardreferral r
                                                           WHERE r.case_id = o.case_id)
               CROSS JOIN LATERAL generate_series(1, (1 + (o.id * 7) %% 24)::int) AS g(i)
               WHERE a.approved_on + (g.i * 5)::int <= %s::date""",
            [bench_user, today],
        )
        # Restitution: an obligation a case; a payment every month since the agreement, one in fifty reversed.
        execute(
            """INSERT INTO restitution_payee (name, kind, reference, active)
               SELECT 'Victim ' || g, 'victim', '', true FROM generate_series(1, 1000) g"""
        )
        execute(
            """INSERT INTO restitution_obligation (case_id, offender_id, kind, payee_id, ordered_amount, ordered_on,
                                                   status, waiver_reference, created_at, paid_total, plan_prior_due)
               SELECT c.id, c.offender_id, 'restitution', (SELECT min(id) FROM restitution_payee) + c.id %% 1000,
                      1500, %s::date - 200, 'open', '', now(), 0, 0
               FROM core_courtcase c""",
            [today],
        )
        execute(
            """CREATE TEMP TABLE bench_pay AS
               SELECT row_number() OVER () AS id, o.id AS obligation_id, o.offender_id,
                      (40 + o.id %% 60)::numeric(12, 2) AS amount, a.approved_on + (30 * g.i - 20)::int AS received_on
               FROM restitution_obligation o
               JOIN boards_agreement a ON a.referral_id = (SELECT r.id FROM boards_boardreferral r
                                                           WHERE r.case_id = o.case_id)
               CROSS JOIN generate_series(1, 4) g(i)
               WHERE a.approved_on + (30 * g.i - 20)::int <= %s::date""",
            [today],
        )
        execute(
            """INSERT INTO restitution_payment (id, offender_id, amount, received_on, method, receipt_number,
                                                idempotency_key, source, note, created_at)
               SELECT id, offender_id, amount, received_on, 'money_order', 'BB' || id, 'bench:' || id,
                      'imported', '', now()
               FROM bench_pay"""
        )
        execute(
            """INSERT INTO restitution_allocation (id, payment_id, obligation_id, amount, allocated_on, created_at)
               SELECT id, id, obligation_id, amount, received_on, now() FROM bench_pay"""
        )
        for table in ("restitution_payment", "restitution_allocation"):
            execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        execute(
            """INSERT INTO restitution_paymentreversal (id, payment_id, reversed_on, reason, created_at)
               SELECT id, id, LEAST(received_on + 10, %s::date), 'Returned unpaid', now()
               FROM bench_pay WHERE id %% 50 = 7""",
            [today],
        )
        execute(
            """INSERT INTO restitution_allocation (payment_id, obligation_id, amount, allocated_on, reversal_id,
                                                   created_at)
               SELECT b.id, b.obligation_id, -b.amount, r.reversed_on, r.id, now()
               FROM bench_pay b JOIN restitution_paymentreversal r ON r.id = b.id"""
        )
        for table in ("restitution_allocation", "restitution_paymentreversal"):
            execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        execute(
            """UPDATE restitution_obligation o SET paid_total = t.paid, last_allocated_on = t.last
               FROM (SELECT obligation_id, SUM(amount) AS paid, MAX(allocated_on) AS last
                     FROM restitution_allocation GROUP BY obligation_id) t WHERE t.obligation_id = o.id"""
        )
    execute("VACUUM ANALYZE")
    return {
        "people": people,
        "agreements_active": scalar("SELECT count(*) FROM boards_agreement WHERE status = 'active'"),
        "conditions": scalar("SELECT count(*) FROM boards_condition"),
        "hour_logs": scalar("SELECT count(*) FROM community_service_hourlog"),
        "allocations": scalar("SELECT count(*) FROM restitution_allocation"),
    }


FLOOR_SQL = [
    """SELECT count(*), sum(c) FROM (SELECT offender_id, SUM(credited_hours) AS c FROM community_service_hourlog
       WHERE verification = 'verified' AND voided_at IS NULL AND date <= %(day)s GROUP BY offender_id) t""",
    """SELECT count(*), sum(p) FROM (SELECT o.case_id, SUM(a.amount) AS p FROM restitution_allocation a
       JOIN restitution_obligation o ON o.id = a.obligation_id
       JOIN boards_agreement g ON g.referral_id = (SELECT r.id FROM boards_boardreferral r WHERE r.case_id = o.case_id)
       WHERE g.status = 'active' AND a.allocated_on BETWEEN g.approved_on AND %(day)s GROUP BY o.case_id) t""",
    """SELECT count(DISTINCT offender_id) FROM classes_enrollment WHERE status = 'completed'""",
]


def time_floor(day: dt.date) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql, {"day": day})
            cursor.fetchall()
    return time.perf_counter() - start


def time_job(day: dt.date):
    from core.jobs import job_run

    tracemalloc.start()
    start = time.perf_counter()
    run = job_run(name="boards", run_date=day)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.outcome == "success", run.error
    return elapsed, peak / 2**20, run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is 60,000 people; 0.01 a quick run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the job and of the floor (median)")
    args, _ = parser.parse_known_args(argv)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_boards_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        counts = build(max(int(FULL_PEOPLE * args.scale), 50))
        build_s = time.perf_counter() - started
        log(f"built {counts} in {build_s:.0f} s")
        first_s, _, _ = time_job(TODAY - dt.timedelta(days=1))
        from core.models import Alert

        first_alerts = Alert.objects.count()
        jobs, peaks, runs = [], [], []
        for i in range(args.runs):
            elapsed, peak, run = time_job(TODAY + dt.timedelta(days=i))
            jobs.append(elapsed)
            peaks.append(peak)
            runs.append(run)
            log(f"job for {run.run_date}: {elapsed:.2f} s, {run.rows} agreements, peak {peak:.1f} MiB")
        rerun_s, _, _ = time_job(TODAY)
        floors = [time_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        job_s, floor_s = statistics.median(jobs), statistics.median(floors)
        figures = {
            "benchmark": "boards",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "job_s": round(job_s, 2),
            "job_runs_s": [round(j, 2) for j in jobs],
            "job_first_night_s": round(first_s, 2),
            "job_rerun_same_date_s": round(rerun_s, 2),
            "floor_s": round(floor_s, 3),
            "job_over_floor": round(job_s / floor_s, 2) if floor_s else None,
            "job_peak_mib": round(max(peaks), 1),
            "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "agreements_checked": runs[-1].rows,
            "alerts_first_night": first_alerts,
            "alerts": Alert.objects.count(),
            "conditions_met": scalar("SELECT count(*) FROM boards_condition WHERE status = 'met'"),
        }
        print(json.dumps(figures), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
