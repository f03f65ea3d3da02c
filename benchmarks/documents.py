"""Documents (issue 10): a day's 1,000 payment receipts as one printable PDF, and the brochure job.

Builds a throw-away database (the configured engine's test database) with the demo data, posts
``--receipts`` payments on one day through ``restitution.services.payment_post`` (the same path as a
clerk's), then times, each ``--runs`` times:
- the receipts report ("Payment receipts for a day") built and laid out as one PDF, the way the
  reports app's task produces it (``build_context`` then ``render_output``: laid out in parts on the
  machine's cores, ``core.pdf.render_pdf_parts``), as an administrator; once more in one process;
- the brochure job's work (``reports.services.brochure_build``: the live figures, the PDF, the store).

Prints one JSON line:
  {"benchmark": "documents", "receipts": n, "receipts_pdf_s": median, "receipts_pages": n,
   "receipts_pdf_mb": ..., "brochure_s": median, "brochure_first_s": ..., "targets_met": {...}}
Targets: 1,000 receipts in under 30 s; the brochure under 1 s.
"""

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import time
from decimal import Decimal

from _setup import django_setup, log, seed_demo, throwaway_database

django_setup()


def pdf_pages(content: bytes) -> int:
    """The page count, read by poppler's ``pdfinfo`` (installed for the tests' PDF checks)."""
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def post_payments(count: int, day: dt.date) -> int:
    from django.db.models import Sum

    from core.models import User
    from restitution.models import Obligation
    from restitution.services import payment_post

    clerk = User.objects.get(username="admin")
    people = list(
        Obligation.objects.values("offender").annotate(owed=Sum("ordered_amount")).values_list("offender", flat=True)
    )
    from core.models import Offender

    offenders = {o.pk: o for o in Offender.objects.filter(pk__in=people)}
    for i in range(count):
        offender = offenders[people[i % len(people)]]
        payment_post(
            offender=offender,
            amount=Decimal("5.00") + Decimal(i % 7),
            received_on=day,
            method="money_order",
            idempotency_key=f"bench-receipt-{i}",
            entered_by=clerk,
            over_balance_confirmed=True,
        )
    return len(people)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")
    with throwaway_database():
        from core.models import User
        from core.registry import registry
        from reports.catalog import build_context, render_output
        from reports.services import brochure_build

        seed_demo(300)
        from django.utils import timezone

        day = timezone.localdate() - dt.timedelta(days=1)
        log(f"posting {args.receipts} payments")
        started = time.perf_counter()
        people = post_payments(args.receipts, day)
        posting_s = time.perf_counter() - started
        admin = User.objects.get(username="admin")
        entry = registry.reports["restitution-receipts"]
        receipts_runs, pdf = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            context = build_context(entry, admin, {"day": day})
            pdf = render_output(entry, admin, context, "pdf")
            receipts_runs.append(time.perf_counter() - start)

        pages = pdf_pages(pdf.content)
        # The same in one process, for comparison (the parts are laid out side by side on the cores).
        from reports import catalog

        parts_from, catalog.PARTS_FROM = catalog.PARTS_FROM, 10**9
        start = time.perf_counter()
        one = render_output(entry, admin, build_context(entry, admin, {"day": day}), "pdf")
        one_process_s = time.perf_counter() - start
        catalog.PARTS_FROM = parts_from
        assert pdf_pages(one.content) == pages
        brochure_runs = []
        for _ in range(args.runs):
            start = time.perf_counter()
            build = brochure_build()
            brochure_runs.append(time.perf_counter() - start)
        figures = {
            "benchmark": "documents",
            "receipts": len(context["receipts"]),
            "people_paying": people,
            "posting_s": round(posting_s, 1),
            "receipts_pdf_s": round(statistics.median(receipts_runs), 2),
            "receipts_pdf_runs_s": [round(r, 2) for r in receipts_runs],
            "receipts_pages": pages,
            "receipts_processes": catalog.parts_processes(),
            "receipts_one_process_s": round(one_process_s, 2),
            "receipts_pdf_mb": round(len(pdf.content) / 1e6, 2),
            "brochure_s": round(statistics.median(brochure_runs), 2),
            "brochure_runs_s": [round(r, 2) for r in brochure_runs],
            "brochure_pages": build.pages,
        }
        figures["targets_met"] = {
            "receipts_under_30_s": figures["receipts_pdf_s"] < 30,
            "brochure_under_1_s": figures["brochure_s"] < 1,
        }
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
