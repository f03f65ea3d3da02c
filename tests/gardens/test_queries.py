"""Every list and the dashboard panel run the same number of queries at 1 row and at 20 rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from gardens.registrations import render_season_panel
from tests.factories import UserFactory
from tests.factories.gardens import CropFactory, GardenFactory, HarvestFactory, SeasonFactory
from tests.queries import page_queries


def count(client, url) -> int:
    return page_queries(client, url)[0]


def add_rows(gw, n, start=0):
    for i in range(start, start + n):
        garden = GardenFactory(facility=gw.jccc, name=f"Plot {i}")
        HarvestFactory(
            garden=garden,
            crop=CropFactory(name=f"Crop {i}"),
            date=dt.date(2026, 6, 1) + dt.timedelta(days=i),
            weight_lb=Decimal("10.0") + i,
            entered_by=UserFactory(),
        )
        SeasonFactory(year=2000 + i)


URLS = [
    "/gardens/harvests/",
    "/gardens/harvests/?_export=csv",
    "/gardens/harvests/?status=all&season=1",
    "/gardens/plots/",
    "/gardens/crops/",
    "/gardens/seasons/",
]


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
@pytest.mark.parametrize("url", URLS)
def test_lists_run_constant_queries(gw, client_for, url, username):
    client = client_for(getattr(gw, username))
    add_rows(gw, 1)
    one = count(client, url)
    add_rows(gw, 19, start=1)
    assert count(client, url) == one


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_season_panel_runs_constant_queries(gw, username):
    user = getattr(gw, username)
    request = RequestFactory().get("/")
    request.user = user

    def panel_queries():
        with CaptureQueriesContext(connection) as ctx:
            html = render_season_panel(request)
        assert html and "Pounds per week" in html
        return len(ctx.captured_queries)

    add_rows(gw, 1)
    panel_queries()  # the first call also reads the user's facilities, once per request
    one = panel_queries()
    add_rows(gw, 19, start=1)
    assert panel_queries() == one
    assert one <= 10


def test_dashboard_runs_constant_queries(gw, client_for):
    client = client_for(gw.staff_jccc)
    add_rows(gw, 1)
    one = count(client, "/")
    add_rows(gw, 19, start=1)
    assert count(client, "/") == one
