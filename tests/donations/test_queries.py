"""Every list, the stock page and the dashboard panel run the same number of queries at 1 and 20 rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from donations import services
from donations.registrations import render_donations_panel
from tests.factories import OrganizationFactory, UserFactory
from tests.factories.donations import (
    FundraiserFactory,
    FundraiserPurchaseFactory,
    ItemFactory,
    ProductionLogFactory,
    SpoilageFactory,
)
from tests.factories.gardens import CropFactory, HarvestFactory
from tests.queries import page_queries


def add_rows(w, n, start=0):
    """n of everything, each with its own crop, item, recipient and user, so a missing join shows."""
    for i in range(start, start + n):
        day = dt.date(2026, 6, 1) + dt.timedelta(days=i)
        crop = CropFactory(name=f"Crop {i}")
        item = ItemFactory(name=f"Item {i}")
        org = OrganizationFactory(name=f"Pantry {i}", county=f"County {i % 7}")
        user = UserFactory(role="facility_staff", facilities=[w.jccc])
        HarvestFactory(garden=w.garden_jccc, crop=crop, date=day, weight_lb=Decimal("50"), entered_by=user)
        ProductionLogFactory(facility=w.jccc, item=item, quantity=5, date=day, entered_by=user)
        SpoilageFactory(facility=w.jccc, crop=crop, date=day, weight_lb=Decimal("1"), entered_by=user)
        services.donation_create(
            user=user, facility=w.jccc, recipient=org, date=day, produce=[(crop, Decimal("10"))], items=[(item, 2)]
        )
        FundraiserPurchaseFactory(fundraiser=FundraiserFactory(facility=w.jccc, name=f"Drive {i}"), recipient=org)


URLS = [
    "/donations/",
    "/donations/?_export=csv",
    "/donations/?_export=xlsx",
    "/donations/?status=all&season=1&crop=1",
    "/donations/production/",
    "/donations/production/?_export=csv",
    "/donations/spoilage/",
    "/donations/fundraisers/",
    "/donations/items/",
    "/donations/stock/",
    "/reports/run/season-harvest/?format=html",
    "/reports/run/donations/?format=html",
    "/api/v1/donations/",
    "/api/v1/production/",
    "/api/v1/fundraisers/",
]


def count(client, url) -> int:
    return page_queries(client, url)[0]


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
@pytest.mark.parametrize("url", URLS)
def test_lists_run_constant_queries(gw, client_for, url, username):
    client = client_for(getattr(gw, username))
    add_rows(gw, 1)
    one = count(client, url)
    add_rows(gw, 19, start=1)
    assert count(client, url) == one


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_donations_panel_runs_constant_queries(gw, username):
    request = RequestFactory().get("/")
    request.user = getattr(gw, username)

    def panel_queries():
        with CaptureQueriesContext(connection) as ctx:
            html = render_donations_panel(request)
        assert html and "Top recipients" in html
        return len(ctx.captured_queries)

    add_rows(gw, 1)
    panel_queries()  # the first call also reads the user's facilities, once per request
    one = panel_queries()
    add_rows(gw, 19, start=1)
    assert panel_queries() == one
    assert one <= 15
