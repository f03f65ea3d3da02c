"""The payments import at size (issue 10): 100,000 rows checked, then committed, by the import task.

Builds a throw-away database with the compliance benchmark's restitution book (``--obligations``
obligations for half as many people, with their plans, payments and allocations), writes a CSV file of
``--rows`` payments (a fifth of them naming the obligation they pay, the rest allocated by priority),
then runs what the Celery task runs for an upload of that file (``core.imports.import_batch_work``),
as an administrator, each step in a process of its own so that its peak memory can be read:

- the check (the dry run whose findings the preview page shows): every row validated, the
  allocations worked out in memory, nothing written;
- the commit: validated again under the people's locks, then posted in bulk.

Prints one JSON line with both times, each process's peak resident memory, the rows posted and the
allocations written. Targets: the commit (validation and posting) under 30 s and under 300 MB; the
dry run cheaper than the commit.

    DATABASE_URL=postgres://... python benchmarks/payment_import.py                  # 100,000 rows
    DATABASE_URL=postgres://... python benchmarks/payment_import.py --rows 5000 --obligations 20000   # quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import resource
import sys
import time

from _setup import django_setup, log, scalar, throwaway_database

django_setup()

from compliance import TODAY, build  # noqa: E402  (the same book as the nightly job's benchmark)

COURT = "31st Judicial Circuit (Greene County)"


def write_file(rows: int, prefix: str) -> str:
    """The CSV a court clerk's system would send: receipts for a month, named obligations now and then."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT o.doc_id, c.case_number, ob.kind, ob.ordered_amount - ob.paid_total
               FROM restitution_obligation ob
               JOIN core_offender o ON o.id = ob.offender_id JOIN core_courtcase c ON c.id = ob.case_id
               WHERE ob.status = 'open' ORDER BY ob.id"""
        )
        open_obligations = cursor.fetchall()
    pick = random.Random(10)
    # A payment names its obligation only where the balance is larger than any payment of the file,
    # and no obligation is named twice: a clerk's file names no obligation it has already paid off.
    # (the people whose obligations are named get no other payment in the file).
    nameable = [o for o in open_obligations if o[3] > 250 and int(o[0]) % 2 == 0]
    unnamed = [o for o in open_obligations if int(o[0]) % 2 == 1]
    pick.shuffle(nameable)
    lines = ["receipt_number,doc_id,amount,received_on,method,court,case_number,kind"]
    for n in range(rows):
        if n % 5 == 0 and nameable:
            doc_id, case_number, kind, _ = nameable.pop()
            named = f"{COURT},{case_number},{kind}"
        else:
            doc_id, named = pick.choice(unnamed)[0], ",,"
        amount = f"{pick.randint(500, 25_000) / 100:.2f}"
        day = TODAY - dt.timedelta(days=pick.randint(0, 30))
        lines.append(f"{prefix}{n:07d},{doc_id},{amount},{day.isoformat()},payroll_deduction,{named}")
    return "\n".join(lines) + "\n"


PROFILE = False


def step(batch_id: int, database: str, profile: bool, queue) -> None:
    """One step of the import task in this new process (a worker's); report its time and peak memory."""
    from django.db import connection

    from core.imports import import_batch_work

    global PROFILE
    PROFILE = profile
    connection.settings_dict["NAME"] = database  # the benchmark's throw-away database
    started = time.perf_counter()
    if PROFILE:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        batch = profile.runcall(import_batch_work, batch_id=batch_id)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    else:
        batch = import_batch_work(batch_id=batch_id)
    elapsed = time.perf_counter() - started
    if batch.error_count:
        from core.imports import preview_data

        log(f"errors: {[(r['line'], r['errors']) for r in preview_data(batch)['rows'] if r['errors']][:5]}")
    queue.put(
        {
            "seconds": elapsed,
            "status": batch.status,
            "errors": batch.error_count,
            "error": batch.error[-2000:],
            "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def run_step(batch_id: int) -> dict:
    """Run one step in a process started afresh (not forked: the parent's memory is not the step's),
    with the settings a worker has in production (DEBUG off: no query log)."""
    from django.conf import settings
    from django.db import connection

    os.environ.update(
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        VICTIMS_ENCRYPTION_KEYS=",".join(settings.VICTIMS_ENCRYPTION_KEYS),
        VICTIMS_HASH_KEY=settings.VICTIMS_HASH_KEY,
    )

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=step, args=(batch_id, connection.settings_dict["NAME"], PROFILE, queue))
    process.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Exception:  # queue.Empty: still working, unless the process died
            if not process.is_alive():
                raise RuntimeError(f"the step's process exited with {process.exitcode}") from None
    process.join()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--obligations", type=int, default=200_000, help="the book's size (obligations)")
    parser.add_argument("--profile", action="store_true", help="print each step's profile on stderr")
    parser.add_argument("--keep", action="store_true", help="keep the database, and reuse a kept one")
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    with throwaway_database(keep=args.keep):
        from core.choices import ImportStatus, Role
        from core.models import ImportBatch, User

        started = time.perf_counter()
        if not (args.keep and User.objects.filter(username="bench.admin").exists()):
            build(args.obligations)
            User.objects.create(username="bench.admin", role=Role.ADMINISTRATOR, is_superuser=True)
        book = {
            "people": scalar("SELECT count(*) FROM core_offender"),
            "obligations": scalar("SELECT count(*) FROM restitution_obligation"),
            "payments": scalar("SELECT count(*) FROM restitution_payment"),
            "allocations": scalar("SELECT count(*) FROM restitution_allocation"),
        }
        log(f"book {book} ready in {time.perf_counter() - started:.0f} s")
        admin = User.objects.get(username="bench.admin")
        content = write_file(args.rows, prefix=f"IMP{ImportBatch.objects.count()}-")
        log(f"file: {args.rows:,} rows, {len(content) / 1e6:.1f} MB")
        payments_before = scalar("SELECT count(*) FROM restitution_payment")
        allocations_before = scalar("SELECT count(*) FROM restitution_allocation")
        batch = ImportBatch.objects.create(
            kind="payments", filename="clerk.csv", content=content, uploaded_by=admin, status=ImportStatus.CHECKING
        )
        # (The book's TODAY is in the past: the file's dates, up to TODAY, are not in the future.)
        check = run_step(batch.pk)
        log(f"check: {check}")
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING, started_at=None)
        commit = run_step(batch.pk)
        log(f"commit: {commit}")
        posted = scalar("SELECT count(*) FROM restitution_payment") - payments_before
        allocations = scalar("SELECT count(*) FROM restitution_allocation") - allocations_before
        mismatched = scalar(
            """SELECT count(*) FROM restitution_obligation o
               LEFT JOIN (SELECT obligation_id, SUM(amount) s FROM restitution_allocation GROUP BY 1) t
                 ON t.obligation_id = o.id
               WHERE o.paid_total <> COALESCE(t.s, 0)"""
        )
    result = {
        "benchmark": "imports",
        "rows": args.rows,
        **{k: book[k] for k in ("people", "obligations", "payments", "allocations")},
        "check_s": round(check["seconds"], 2),
        "check_status": check["status"],
        "check_peak_mib": round(check["max_rss_mib"], 1),
        "commit_s": round(commit["seconds"], 2),
        "commit_status": commit["status"],
        "commit_peak_mib": round(commit["max_rss_mib"], 1),
        "posted": posted,
        "allocations_written": allocations,
        "running_totals_mismatched": mismatched,
        "targets_met": {
            "commit_under_30_s": commit["seconds"] < 30 and commit["status"] == ImportStatus.COMMITTED,
            "commit_under_300_mb": commit["max_rss_mib"] < 300,
            "dry_run_cheaper_than_commit": check["seconds"] < commit["seconds"],
            "every_row_posted_and_ledger_agrees": posted == args.rows and mismatched == 0,
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
