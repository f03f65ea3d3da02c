"""The hot pages against Django admin's changelist, at 1x and 10x, and the cached dashboard (issue 10).

Builds a throw-away database (the configured engine's test database): the demo with ``--people``
offenders (1x: 20,000) and as many harvests and half as many donations (their demo rows copied in
SQL), then the same book ten times over (10x). At each size, signed in as an administrator (a
superuser, so Django admin shows the same rows), it times each page ``--repeats`` times and prints
one JSON line per size:

  {"benchmark": "lists", "scale": 1, "offenders": ..., "<page>_ms": p50, "<page>_p95_ms": ...,
   "<page>_queries": n, "<page>_admin_ms": p50 of the admin changelist, "<page>_ratio": ours/admin,
   "dashboard_ms": p50 (cached: the figures of the current data version), "dashboard_queries": n,
   "dashboard_cold_ms": the first view after a write, "dashboard_cold_queries": n, "targets_met": {...}}

Targets (issue 10): each list page at most half of admin's changelist time (ratio <= 0.5); query
counts the same at 1x and 10x; the dashboard at most 10 queries and under 50 ms at 10x.
"""

import argparse
import json
import math
import statistics
import time

from _setup import django_setup, seed_demo, throwaway_database

django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# page: (our URL, the admin changelist for the same model and question, or None)
PAGES = {
    "offender_list": ("/offenders/", "/django-admin/core/offender/"),
    "offender_search": ("/offenders/?q=smith", "/django-admin/core/offender/?q=smith"),
    "harvest_list": ("/gardens/harvests/", "/django-admin/gardens/harvest/"),
    "donation_list": ("/donations/", "/django-admin/donations/donation/"),
    "offender_page": ("/offenders/{offender}/", "/django-admin/core/offender/{offender}/change/"),
    "offender_api": ("/api/v1/offenders/", "/django-admin/core/offender/"),
    "harvest_api": ("/api/v1/harvests/", "/django-admin/gardens/harvest/"),
}


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
            "ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, copies: int, replace: dict[str, str], where: str = "TRUE", source_limit: int = 0):
    """Insert ``copies`` copies of the table's rows (``k`` is the copy number in ``replace``'s SQL)."""
    cols = columns(table)
    select = ", ".join(replace.get(c, f"t.{c}") for c in cols)
    limit = f"ORDER BY t.id LIMIT {source_limit}" if source_limit else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} "
            f"FROM (SELECT * FROM {table} t WHERE {where} {limit}) t, generate_series(1, %s) k",
            [copies],
        )
        cursor.execute(f"ANALYZE {table}")


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def grow_to(table: str, target: int, replace: dict[str, str]):
    have = count(table)
    if have and have < target:
        copy_rows(table, -(-(target - have) // have), replace)


OFFENDER_COPY = {"doc_id": "t.doc_id || '-' || k"}
HARVEST_COPY = {"date": "t.date - (k %% 365)", "import_key": "''"}
DONATION_COPY = {"date": "t.date - (k %% 365)", "reference": "''"}


def build(people: int, scale: int):
    if scale == 1:
        seed_demo(people)
        grow_to("gardens_harvest", people, HARVEST_COPY)
        grow_to("donations_donation", people // 2, DONATION_COPY)
    else:
        grow_to("core_offender", people * scale, OFFENDER_COPY)
        grow_to("gardens_harvest", people * scale, HARVEST_COPY)
        grow_to("donations_donation", people * scale // 2, DONATION_COPY)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(client, url, repeats):
    client.get(url)  # warm (templates, content types)
    times, queries = [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, math.ceil(len(times) * 0.95) - 1)], queries


def measure(scale: int, repeats: int) -> dict:
    from core import freshness
    from core.models import Facility, Offender, User

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    client = Client()
    client.force_login(admin)
    offender = Offender.objects.order_by("last_name", "first_name", "doc_id").values_list("pk", flat=True).first()
    figures = {"benchmark": "lists", "scale": scale, "offenders": count("core_offender")}
    figures["harvests"] = count("gardens_harvest")
    figures["donations"] = count("donations_donation")
    for name, (ours, theirs) in PAGES.items():
        p50, p95, queries = timed(client, ours.format(offender=offender), repeats)
        figures[f"{name}_ms"], figures[f"{name}_p95_ms"], figures[f"{name}_queries"] = (
            round(p50, 1),
            round(p95, 1),
            queries,
        )
        admin_p50, _, admin_queries = timed(client, theirs.format(offender=offender), repeats)
        figures[f"{name}_admin_ms"] = round(admin_p50, 1)
        figures[f"{name}_admin_queries"] = admin_queries
        figures[f"{name}_ratio"] = round(p50 / admin_p50, 2)
    p50, p95, queries = timed(client, "/", repeats)
    figures.update(dashboard_ms=round(p50, 1), dashboard_p95_ms=round(p95, 1), dashboard_queries=queries)
    cold = []
    for _ in range(max(3, repeats // 2)):
        Facility.objects.filter(pk=Facility.objects.order_by("pk").values("pk")[:1]).update(active=True)  # a write
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            client.get("/")
            cold.append((time.perf_counter() - start) * 1000)
    figures.update(dashboard_cold_ms=round(statistics.median(cold), 1), dashboard_cold_queries=len(captured))
    freshness.bump()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--scales", default="1,10")
    args = parser.parse_args()
    # Not setup_test_environment(): its instrumented template rendering would weigh on our pages more
    # than on admin's. The test client only needs its host allowed.
    settings.ALLOWED_HOSTS.append("testserver")
    with throwaway_database():
        results = []
        for scale in [int(s) for s in args.scales.split(",")]:
            started = time.perf_counter()
            build(args.people, scale)
            figures = measure(scale, args.repeats)
            figures["build_s"] = round(time.perf_counter() - started, 1)
            results.append(figures)
        lists = [p for p in PAGES if p != "offender_page"]
        last = results[-1]
        last["targets_met"] = {
            "lists_at_most_half_of_admin": all(r[f"{p}_ratio"] <= 0.5 for r in results for p in lists),
            "queries_flat_1x_to_10x": all(results[0][f"{p}_queries"] == last[f"{p}_queries"] for p in PAGES),
            "dashboard_at_most_10_queries": last["dashboard_queries"] <= 10,
            "dashboard_under_50_ms": last["dashboard_ms"] < 50,
        }
        for figures in results:
            print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
