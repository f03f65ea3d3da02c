"""Counting the queries a page runs: the one helper the query-count tests share."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import freshness


def page_queries(client, url, params=None):
    """GET ``url`` (it must answer 200) and return the number of queries it ran, and the response.

    The page is built afresh: what ``core.freshness`` keeps (dashboard panels, filter fields, figures)
    is dropped first, so the count is the worst case, the first view after a write."""
    freshness.bump()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def queries_at_1_and_20(client, url, make_row, marker=None):
    """Make one row, measure; make 19 more, measure. ``marker(i)`` is text row i shows on the page."""
    make_row(0)
    client.get(url)  # warm per-process caches (content types, templates) before counting
    at_1, response = page_queries(client, url)
    if marker:
        assert marker(0) in response.content.decode()
    for i in range(1, 20):
        make_row(i)
    at_20, response = page_queries(client, url)
    if marker:
        html = response.content.decode()
        assert all(marker(i) in html for i in range(20)), "the 20 rows are not all on the page"
    return at_1, at_20
