"""The nightly compliance job on a statewide book ten times Missouri's size (PostgreSQL only).

Builds, in a throw-away database, 600,000 open obligations (restitution and CVCF for 300,000
people, with plans, some replaced mid-stream) and about 6 million allocations (1% of payments
reversed), then times in one run:

- the nightly job (``job_run("compliance")``: snapshot of every open obligation, alerts, emails),
  for three consecutive dates, each with the previous night's snapshot in place (median);
- the floor: one bare ``GROUP BY`` sum of allocations per obligation (median of three);
- the read-plus-write floor: the same ``GROUP BY`` written into a table keyed like the snapshot
  (``(as_of, obligation_id)``), replacing the date's rows, in one transaction (median of three);
- a naive per-obligation ORM loop (read plans and allocations, evaluate, save a snapshot row)
  on a sample, scaled up to every obligation.

Prints one JSON line with the times, the ratios job/floor (target: at most 3), job / read-plus-write
floor (target: at most 1.3) and naive/job (target: at least 100), and the job's peak Python memory
(tracemalloc).

    DATABASE_URL=postgres://... python benchmarks/compliance.py            # the full book
    DATABASE_URL=postgres://... python benchmarks/compliance.py --scale 0.05  # a quick run
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

FULL_OBLIGATIONS = 600_000
TODAY = dt.date(2026, 11, 2)


def build(obligations: int) -> dict:
    """The book, written with set-based SQL (generate_series) so that building it takes minutes."""
    people = obligations // 2
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
            """INSERT INTO core_offender (doc_id, last_name, first_name, date_of_birth, status, district_id,
                                          supervising_officer_id, supervision_end_date)
               SELECT lpad((2000000 + g)::text, 8, '0'), 'Person' || g, 'Bench', DATE '1980-01-01' + (g %% 9000),
                      'supervised', u.district_id, u.id, %s::date + (g %% 1500)
               FROM generate_series(1, %s) g
               JOIN core_user u ON u.username = 'bench.officer.' || (1 + g %% %s)""",
            [today, people, officers],
        )
        execute(
            """INSERT INTO core_courtcase (court, case_number, county, offender_id, offense, offense_class,
                                           sentencing_date)
               SELECT '31st Judicial Circuit (Greene County)', 'B-' || o.id, 'Greene', o.id, 'Stealing',
                      'felony_d', %s::date - 1500 FROM core_offender o""",
            [today],
        )
        execute(
            """INSERT INTO restitution_payee (name, kind, reference, active)
               SELECT 'Crime Victims'' Compensation Fund', 'cvcf', '', true
               UNION ALL SELECT 'Victim ' || g, 'victim', '', true FROM generate_series(1, 10000) g"""
        )
        # Two obligations a person: restitution (a victim) and a CVCF judgment, ordered 3 months to 4 years ago.
        execute(
            """INSERT INTO restitution_obligation (case_id, offender_id, kind, payee_id, ordered_amount, ordered_on,
                                                   status, waiver_reference, created_at,
                                                   paid_total, plan_prior_due)
               SELECT c.id, c.offender_id, k.kind,
                      CASE WHEN k.kind = 'cvcf' THEN (SELECT id FROM restitution_payee WHERE kind = 'cvcf')
                           ELSE (SELECT min(id) FROM restitution_payee WHERE kind = 'victim') + c.id %% 10000 END,
                      CASE WHEN k.kind = 'cvcf' THEN 46 + (c.id %% 5) * 26
                           ELSE round((300 + random() * 9700)::numeric, 2) END,
                      %s::date - (90 + (random() * 1370)::int), 'open', '', now(), 0, 0
               FROM core_courtcase c CROSS JOIN (VALUES ('restitution'), ('cvcf')) AS k(kind)""",
            [today],
        )
        # A plan each, first due a month after the order on a day from the 1st to the 31st; a tenth of
        # them amended later (the old plan kept, replaced from the new plan's first due date).
        execute(
            """INSERT INTO restitution_paymentplan (obligation_id, monthly_amount, first_due_on, note, created_at)
               SELECT o.id, round(o.ordered_amount / (24 + o.id %% 25), 2),
                      (date_trunc('month', o.ordered_on + 31) + ((o.id * 7) %% 31) * interval '1 day')::date,
                      '', now()
               FROM restitution_obligation o"""
        )
        # The old plan ends where the amended one takes over (as plan_create keeps it).
        execute(
            """UPDATE restitution_paymentplan SET ends_on = (first_due_on + interval '7 months')::date
               WHERE obligation_id %% 10 = 3 AND first_due_on < %s::date - 240""",
            [today],
        )
        execute(
            """INSERT INTO restitution_paymentplan (obligation_id, monthly_amount, first_due_on, note, created_at)
               SELECT p.obligation_id, round(p.monthly_amount * 0.6, 2), p.ends_on, 'amended', now()
               FROM restitution_paymentplan p WHERE p.ends_on IS NOT NULL"""
        )
        # Payments: up to 22 monthly installments paid (about 10 on average), never beyond the
        # ordered amount nor after today; one allocation each. Ids are computed so the allocation of
        # payment (obligation, i) needs no join to find its payment.
        execute(
            """CREATE TEMP TABLE bench_pay AS
               SELECT o.id * 32 + g.i AS id, o.id AS obligation_id, o.offender_id, p.monthly_amount AS amount,
                      (p.first_due_on + (g.i - 1) * interval '1 month' - ((o.id + g.i) %% 5) * interval '1 day')::date
                          AS received_on
               FROM restitution_obligation o
               JOIN restitution_paymentplan p ON p.obligation_id = o.id AND p.note = ''
               CROSS JOIN LATERAL generate_series(1, LEAST(((o.id * 2654435761) %% 23)::int,
                                                           floor(o.ordered_amount / p.monthly_amount)::int)) AS g(i)
               WHERE (p.first_due_on + (g.i - 1) * interval '1 month')::date <= %s::date""",
            [today],
        )
        execute(
            """INSERT INTO restitution_payment (id, offender_id, amount, received_on, method, receipt_number,
                                                idempotency_key, source, note, created_at)
               SELECT id, offender_id, amount, received_on, 'payroll_deduction', 'B' || id, 'bench:' || id,
                      'imported', '', now()
               FROM bench_pay"""
        )
        execute(
            """INSERT INTO restitution_allocation (id, payment_id, obligation_id, amount, allocated_on, created_at)
               SELECT id, id, obligation_id, amount, received_on, now() FROM bench_pay"""
        )
        for table in ("restitution_payment", "restitution_allocation"):
            execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        # One payment in a hundred bounced: reversed ten days later by a negative allocation.
        execute(
            """INSERT INTO restitution_paymentreversal (id, payment_id, reversed_on, reason, created_at)
               SELECT id, id, LEAST(received_on + 10, %s::date), 'Returned unpaid', now()
               FROM bench_pay WHERE id %% 100 = 7""",
            [today],
        )
        execute(
            """INSERT INTO restitution_allocation (payment_id, obligation_id, amount, allocated_on, reversal_id,
                                                   created_at)
               SELECT b.id, b.obligation_id, -b.amount, r.reversed_on, r.id, now()
               FROM bench_pay b JOIN restitution_paymentreversal r ON r.id = b.id"""
        )
        for table in ("restitution_payment", "restitution_allocation", "restitution_paymentreversal"):
            execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        execute("DROP TABLE bench_pay")
        # The schedule in brief on each obligation, as plan_create keeps it: the last active plan, and
        # the installments of the plan before it (seven months of them where a plan was amended).
        execute(
            """UPDATE restitution_obligation o SET plan_monthly = p.monthly_amount, plan_first_due_on = p.first_due_on
               FROM restitution_paymentplan p
               WHERE p.obligation_id = o.id AND p.replaced_at IS NULL AND p.ends_on IS NULL"""
        )
        execute(
            """UPDATE restitution_obligation o SET plan_prior_due = 7 * p.monthly_amount
               FROM restitution_paymentplan p
               WHERE p.obligation_id = o.id AND p.replaced_at IS NULL AND p.ends_on IS NOT NULL"""
        )
        # The ledger's running totals on each obligation, as the posting services keep them.
        execute(
            """UPDATE restitution_obligation o SET paid_total = s.total, last_allocated_on = s.last
               FROM (SELECT obligation_id, SUM(amount) AS total, MAX(allocated_on) AS last
                     FROM restitution_allocation WHERE obligation_id IS NOT NULL GROUP BY obligation_id) s
               WHERE s.obligation_id = o.id"""
        )
    execute("VACUUM ANALYZE")
    return {
        "people": people,
        "officers": officers,
        "obligations": scalar("SELECT count(*) FROM restitution_obligation"),
        "plans": scalar("SELECT count(*) FROM restitution_paymentplan"),
        "payments": scalar("SELECT count(*) FROM restitution_payment"),
        "allocations": scalar("SELECT count(*) FROM restitution_allocation"),
    }


FLOOR_SQL = """SELECT count(*), sum(s) FROM (
    SELECT obligation_id, SUM(amount) AS s FROM restitution_allocation GROUP BY obligation_id) t"""


def time_floor(*, sorted_plan: bool = False) -> float:
    """The bare GROUP BY as the planner runs it; with ``sorted_plan``, as a GroupAggregate over the
    (obligation, date) index instead, which PostgreSQL may not choose but which can be faster: the
    benchmark reports the job against both, so the ratio does not hang on the planner's pick."""
    with transaction.atomic():
        if sorted_plan:
            execute("SET LOCAL enable_hashagg = off")
        start = time.perf_counter()
        scalar(FLOOR_SQL)
        return time.perf_counter() - start


def time_read_write_floor(day: dt.date) -> float:
    """The floor's GROUP BY written into a table keyed like the snapshot, replacing the date's rows (as
    ``benchmarks/community_service.py`` defines its read-plus-write floor)."""
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        execute("SELECT set_config('work_mem', %s, true)", [settings.RESTITUTION_JOB_WORK_MEM])
        start = time.perf_counter()
        execute("DELETE FROM bench_floor WHERE as_of = %s", [day])
        execute(
            "INSERT INTO bench_floor (as_of, obligation_id, paid) SELECT %s, obligation_id, SUM(amount) "
            "FROM restitution_allocation GROUP BY obligation_id ORDER BY obligation_id",
            [day],
        )
        return time.perf_counter() - start


def time_bulk_read_write_floor(day: dt.date) -> float:
    """The same GROUP BY written the way the job writes a night (``core.partitions.night_write``):
    ``CREATE TABLE AS``, then its key."""
    with transaction.atomic():
        execute("SET LOCAL jit = off")
        execute("SELECT set_config('work_mem', %s, true)", [settings.RESTITUTION_JOB_WORK_MEM])
        start = time.perf_counter()
        execute("DROP TABLE IF EXISTS bench_floor_night")
        execute(
            "CREATE TABLE bench_floor_night AS SELECT %s::date AS as_of, obligation_id, "
            "SUM(amount)::numeric(12, 2) AS paid FROM restitution_allocation GROUP BY obligation_id",
            [day],
        )
        execute("ALTER TABLE bench_floor_night ADD PRIMARY KEY (as_of, obligation_id)")
        return time.perf_counter() - start


def time_job(day: dt.date) -> tuple[float, float, object]:
    from core.jobs import job_run

    tracemalloc.start()
    start = time.perf_counter()
    run = job_run(name="compliance", run_date=day)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.outcome == "success", run.error
    return elapsed, peak / 2**20, run


def time_naive(day: dt.date, sample: int) -> tuple[float, int]:
    """What the job replaces: one obligation at a time through the ORM (the same rule, in Python)."""
    from core.partitions import night_partition
    from restitution.compliance import evaluate
    from restitution.models import ComplianceSnapshot, Obligation

    ids = list(Obligation.objects.filter(status="open").order_by("?").values_list("pk", flat=True)[:sample])
    # The snapshot has a partition a night; the loop writes its rows into the night's.
    execute(
        f"CREATE TABLE IF NOT EXISTS {night_partition(ComplianceSnapshot._meta.db_table, day)} "
        f"PARTITION OF {ComplianceSnapshot._meta.db_table} FOR VALUES IN (%s)",
        [day],
    )
    start = time.perf_counter()
    for pk in ids:
        o = Obligation.objects.get(pk=pk)
        plans = [(p.first_due_on, p.monthly_amount) for p in o.plans.filter(replaced_at__isnull=True)]
        allocations = list(o.allocations.filter(allocated_on__lte=day).values_list("allocated_on", "amount"))
        f = evaluate(ordered_amount=o.ordered_amount, plans=plans, allocations=allocations, as_of=day)
        ComplianceSnapshot.objects.update_or_create(
            as_of=day,
            obligation=o,
            defaults={
                "ordered_amount": f.ordered_amount,
                "paid": f.paid,
                "balance": f.balance,
                "expected": f.expected,
                "arrears": f.arrears,
                "days_past_due": f.days_past_due,
                "past_due_since": f.past_due_since,
                "status": f.status,
            },
        )
    return time.perf_counter() - start, len(ids)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is 600,000 obligations; 0.05 a quick run")
    parser.add_argument("--naive-sample", type=int, default=1000, help="obligations timed in the naive loop")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the job and of the floor (median)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database (and reuse a kept one)")
    args, _ = parser.parse_known_args(argv)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_compliance_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not args.keep, keepdb=args.keep, serialize=False
    )
    try:
        started = time.perf_counter()
        if args.keep and scalar("SELECT count(*) FROM restitution_obligation"):
            with connection.cursor() as cursor:  # the nights' partitions, so that each timed night is a first run
                cursor.execute(
                    "SELECT inhrelid::regclass::text FROM pg_inherits "
                    "WHERE inhparent = 'restitution_compliancesnapshot'::regclass"
                )
                for (partition,) in cursor.fetchall():
                    cursor.execute(f"DROP TABLE {partition}")
            execute("DELETE FROM core_alert")
            execute("DELETE FROM core_jobrun")
            execute("DROP TABLE IF EXISTS bench_floor")
            counts = {
                "obligations": scalar("SELECT count(*) FROM restitution_obligation"),
                "allocations": scalar("SELECT count(*) FROM restitution_allocation"),
            }
        else:
            counts = build(int(FULL_OBLIGATIONS * args.scale))
        build_s = time.perf_counter() - started
        log(f"built {counts} in {build_s:.0f} s")
        execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (as_of date, obligation_id bigint, paid numeric(12, 2), "
            "PRIMARY KEY (as_of, obligation_id))"
        )

        # The night before, so each timed night compares with a previous snapshot (as in production).
        warm_s, _, _ = time_job(TODAY - dt.timedelta(days=1))
        jobs, peaks, runs = [], [], []
        for i in range(args.runs):
            elapsed, peak, run = time_job(TODAY + dt.timedelta(days=i))
            jobs.append(elapsed)
            peaks.append(peak)
            runs.append(run)
            log(f"job for {run.run_date}: {elapsed:.2f} s, {run.rows} rows, peak {peak:.1f} MiB")
        rerun_s, _, _ = time_job(TODAY)  # the same date again: replaces that date's rows
        floors = [time_floor() for _ in range(args.runs)]
        sorted_floors = [time_floor(sorted_plan=True) for _ in range(args.runs)]
        log(f"floor: {[round(f, 2) for f in floors]} s; by the index: {[round(f, 2) for f in sorted_floors]} s")
        time_read_write_floor(TODAY - dt.timedelta(days=1))  # as the job: one night before in the table
        rw_floors = [time_read_write_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        bulk_floors = [time_bulk_read_write_floor(TODAY + dt.timedelta(days=i)) for i in range(args.runs)]
        log(f"read and write: {[round(f, 2) for f in rw_floors]} s; bulk: {[round(f, 2) for f in bulk_floors]} s")
        naive_sample_s, sampled = time_naive(TODAY + dt.timedelta(days=30), args.naive_sample)
        open_obligations = scalar("SELECT count(*) FROM restitution_obligation WHERE status = 'open'")
        naive_s = naive_sample_s / max(sampled, 1) * open_obligations

        from core.models import Alert

        job_s, floor_s, rw_s = statistics.median(jobs), statistics.median(floors), statistics.median(rw_floors)
        bulk_s = statistics.median(bulk_floors)
        figures = {
            "benchmark": "compliance",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "job_s": round(job_s, 2),
            "job_runs_s": [round(j, 2) for j in jobs],
            "job_first_night_s": round(warm_s, 2),
            "job_rerun_same_date_s": round(rerun_s, 2),
            "floor_s": round(floor_s, 2),
            "naive_s": round(naive_s, 1),
            "naive_sample": sampled,
            "naive_sample_s": round(naive_sample_s, 2),
            "floor_index_plan_s": round(statistics.median(sorted_floors), 2),
            "read_write_floor_s": round(rw_s, 2),
            "job_over_floor": round(job_s / floor_s, 2),
            "job_over_fastest_floor": round(job_s / min(floor_s, statistics.median(sorted_floors)), 2),
            "job_over_read_write_floor": round(job_s / rw_s, 2),
            "bulk_read_write_floor_s": round(bulk_s, 2),
            "job_over_bulk_read_write_floor": round(job_s / bulk_s, 2),
            "naive_over_job": round(naive_s / job_s, 1),
            "targets_met": {
                "job_within_3x_floor": job_s <= 3 * floor_s,
                "job_within_3x_fastest_floor": job_s <= 3 * min(floor_s, statistics.median(sorted_floors)),
                # Against the cheaper of the two ways to write the floor.
                "job_within_1_3x_read_write_floor": job_s <= 1.3 * min(rw_s, bulk_s),
                "naive_100x_job": naive_s >= 100 * job_s,
            },
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
