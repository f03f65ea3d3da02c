"""The big lists read a page through an index instead of sorting their whole table, count their rows
once, and search names through pg_trgm (issue 10, first part).

The test tables are small, so the planner would pick a sequential scan anyway: with sequential
scans switched off, a plan that still sorts or scans the table shows that no index serves the
query at all, which is what happens at ten times Missouri's size.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Offender
from donations.models import Donation
from gardens.models import Harvest
from tests.factories import OffenderFactory
from tests.factories.gardens import make_garden_world

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return text


@pytest.mark.parametrize(
    ("name", "queryset", "index"),
    [
        ("offender list", lambda u: Offender.objects.restrict(u, "view"), "core_offender_name_order"),
        (
            "harvest list",
            lambda u: Harvest.objects.restrict(u, "view").filter(voided_at__isnull=True),
            "gardens_harvest_live_newest",
        ),
        (
            "donation list",
            lambda u: Donation.objects.restrict(u, "view").filter(voided_at__isnull=True),
            "donations_donation_live_newest",
        ),
    ],
)
def test_a_list_page_is_read_in_its_order_from_an_index(world, name, queryset, index):
    text = plan(queryset(world.admin)[:25])
    assert index in text, f"{name}:\n{text}"
    assert "Sort" not in text, f"{name} sorts the whole table:\n{text}"
    assert "Seq Scan" not in text, f"{name}:\n{text}"


def test_a_name_search_uses_the_trigram_indexes(world):
    queryset = Offender.objects.restrict(world.admin, "view")
    from core.filters import OffenderFilterSet

    filtered = OffenderFilterSet({"q": "smi"}, queryset=queryset, request=None).qs
    text = plan(filtered.order_by())
    for column in ("doc_id", "last_name", "first_name"):
        assert f"core_offender_{column}_trgm" in text, text


@pytest.mark.parametrize("url", ["/offenders/", "/gardens/harvests/", "/donations/", "/offenders/?q=smi"])
def test_a_list_page_counts_its_rows_once(world, client_for, url):
    make_garden_world(world)
    client = client_for(world.admin)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1, counts


def test_search_results_are_sorted_from_the_search_indexes_in_the_default_order(world):
    """A search finds its matches through the trigram indexes and sorts them, in exactly the list's
    order, rather than walking the name index row by row (issue 10)."""
    from core.filters import OffenderFilterSet

    made = [
        OffenderFactory(last_name=last, first_name=first).pk
        for last, first in [
            ("Smithers", "Zoe"),
            ("Adamsmith", "Al"),
            ("smithy", "bo"),
            ("Smith", "Ann"),
            ("Smith", "al"),
        ]
    ]
    queryset = Offender.objects.restrict(world.admin, "view")
    found = OffenderFilterSet({"q": "smith"}, queryset=queryset, request=None).qs
    expected = queryset.filter(last_name__icontains="smith").order_by("last_name", "first_name", "doc_id")
    # The shared world's people have random names: one may be a Smith too.
    assert list(found) == list(expected) and set(made) <= {o.pk for o in expected}
    text = plan(found.all()[:25])
    assert "core_offender_last_name_trgm" in text, text
    assert "core_offender_name_order" not in text, text
    assert list(OffenderFilterSet({"q": "smith"}, queryset=queryset.order_by("-doc_id"), request=None).qs) == list(
        expected.order_by("-doc_id")
    )  # an order the user chose is kept
