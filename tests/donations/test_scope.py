"""Scope for donation records with the owner (staff.jccc), an administrator and staff of another
facility (staff.acc): 404 or zero rows in pages, exports, receipts, reports and the API. A recipient
organization is shared; what a facility gave it is not."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.querysets import VIEW
from donations import services
from donations.models import Donation, DonationLine, Fundraiser, ProductionLog
from tests.factories.donations import FundraiserFactory, FundraiserPurchaseFactory

USERS = {"staff.jccc": "staff_jccc", "admin": "admin", "auditor": "auditor", "staff.acc": "staff_acc"}


@pytest.fixture
def donation(stocked):
    return services.donation_create(
        user=stocked.staff_jccc,
        facility=stocked.jccc,
        recipient=stocked.food_bank,
        date=dt.date(2026, 7, 2),
        produce=[(stocked.tomatoes, Decimal("150"))],
        items=[(stocked.quilt, 2)],
    )


def as_user(stocked, client_for, username):
    return client_for(getattr(stocked, USERS[username]))


def test_queryset_scope(stocked, donation):
    assert Donation.objects.restrict(stocked.staff_jccc, VIEW).count() == 1
    assert Donation.objects.restrict(stocked.admin, VIEW).count() == 1
    assert Donation.objects.restrict(stocked.staff_acc, VIEW).count() == 0
    assert Donation.objects.restrict(stocked.officer, VIEW).count() == 0
    assert DonationLine.objects.restrict(stocked.staff_acc, VIEW).count() == 0
    assert ProductionLog.objects.restrict(stocked.staff_acc, VIEW).count() == 0
    assert DonationLine.objects.restrict(stocked.staff_jccc, VIEW).count() == 2


@pytest.mark.parametrize(
    ("username", "status"), [("staff.jccc", 200), ("admin", 200), ("auditor", 200), ("staff.acc", 404)]
)
def test_detail_history_and_receipt(stocked, donation, client_for, username, status):
    client = as_user(stocked, client_for, username)
    for name in ("donation_detail", "donation_history", "donation_receipt"):
        assert client.get(reverse(f"donations:{name}", args=[donation.pk])).status_code == status, name


@pytest.mark.parametrize(
    ("username", "status"), [("staff.jccc", 200), ("admin", 200), ("auditor", 404), ("staff.acc", 404)]
)
def test_edit_and_void(stocked, donation, client_for, username, status):
    client = as_user(stocked, client_for, username)
    assert client.get(reverse("donations:donation_edit", args=[donation.pk])).status_code == status
    assert client.get(reverse("donations:donation_void", args=[donation.pk])).status_code == status


def test_outsider_cannot_void_by_post(stocked, donation, client_for):
    response = client_for(stocked.staff_acc).post(
        reverse("donations:donation_void", args=[donation.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    donation.refresh_from_db()
    assert not donation.is_voided


@pytest.mark.parametrize(("username", "rows"), [("staff.jccc", 1), ("admin", 1), ("auditor", 1), ("staff.acc", 0)])
def test_lists_and_exports(stocked, donation, client_for, username, rows):
    client = as_user(stocked, client_for, username)
    for url in ("/donations/", "/donations/production/"):
        page = client.get(url)
        assert len(page.context["table"].rows) == rows, url
        data = list(csv.reader(io.StringIO(client.get(url + "?_export=csv").content.decode())))
        assert len(data) == 1 + rows, url
        assert client.get(url + "?_export=xlsx").status_code == 200
    if rows:
        assert "150.0" in client.get("/donations/?_export=csv").content.decode()


def test_shared_recipient_shows_only_what_the_facility_gave(stocked, donation, client_for):
    # staff.acc may see the food bank (organizations are shared)...
    outsider = client_for(stocked.staff_acc)
    assert outsider.get(stocked.food_bank.get_absolute_url()).status_code == 200
    # ...but not JCCC's gift to it, on the list filtered by it, in the reports or on the dashboard.
    assert len(outsider.get(f"/donations/?recipient={stocked.food_bank.pk}").context["table"].rows) == 0
    report = outsider.get("/donations/reports/donations/?season=2026", follow=True)
    assert report.context["by_recipient"] == []
    assert report.context["totals"].pounds == 0
    assert "Food Bank for Central" not in outsider.get("/").content.decode()
    owner = client_for(stocked.staff_jccc).get("/donations/reports/donations/?season=2026", follow=True)
    assert [r.name for r in owner.context["by_recipient"]] == [stocked.food_bank.name]


@pytest.mark.parametrize(
    ("username", "count", "status"), [("staff.jccc", 1, 200), ("admin", 1, 200), ("staff.acc", 0, 404)]
)
def test_api(stocked, donation, client_for, username, count, status):
    client = as_user(stocked, client_for, username)
    listed = client.get("/api/v1/donations/").json()
    assert listed["count"] == count
    if count:
        assert listed["results"][0]["lines"][0]["weight_lb"] == "150.0"
    assert client.get(f"/api/v1/donations/{donation.pk}/").status_code == status
    assert client.get("/api/v1/production/").json()["count"] == count


def test_api_outsider_cannot_void_or_give_from_another_facility(stocked, donation, client_for):
    client = client_for(stocked.staff_acc)
    assert (
        client.post(
            f"/api/v1/donations/{donation.pk}/void/", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    response = client.post(
        "/api/v1/donations/",
        {
            "facility": stocked.jccc.pk,
            "recipient": stocked.food_bank.pk,
            "date": "2026-07-02",
            "lines": [{"crop": stocked.tomatoes.pk, "weight_lb": "10"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Donation.objects.count() == 1


def test_api_creates_with_lines_within_stock(stocked, client_for):
    client = client_for(stocked.staff_jccc)
    body = {
        "facility": stocked.jccc.pk,
        "recipient": stocked.food_bank.pk,
        "date": "2026-07-02",
        "purpose": "distribution",
        "lines": [{"crop": stocked.tomatoes.pk, "weight_lb": "199.9"}, {"item": stocked.quilt.pk, "quantity": 10}],
    }
    created = client.post("/api/v1/donations/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["receipt_number"].startswith("D-")
    again = client.post("/api/v1/donations/", body, content_type="application/json")
    assert again.status_code == 400
    assert "asked for, but only 0.1 lb" in str(again.json())
    pk = created.json()["id"]
    lines_change = client.patch(f"/api/v1/donations/{pk}/", {"lines": []}, content_type="application/json")
    assert lines_change.status_code == 400
    ack = client.patch(f"/api/v1/donations/{pk}/", {"acknowledged": True}, content_type="application/json")
    assert ack.status_code == 200 and ack.json()["acknowledged"] is True
    void = client.post(f"/api/v1/donations/{pk}/void/", {"reason": "Test"}, content_type="application/json")
    assert void.status_code == 200 and void.json()["void_reason"] == "Test"


def test_fundraisers_scope(stocked, client_for):
    fundraiser = FundraiserFactory(facility=stocked.jccc)
    FundraiserPurchaseFactory(fundraiser=fundraiser, recipient=stocked.pantry)
    assert Fundraiser.objects.restrict(stocked.staff_acc, VIEW).count() == 0
    assert client_for(stocked.staff_acc).get(fundraiser.get_absolute_url()).status_code == 404
    assert client_for(stocked.staff_acc).get("/api/v1/fundraisers/").json()["count"] == 0
    owner = client_for(stocked.staff_jccc)
    page = owner.get(fundraiser.get_absolute_url())
    assert page.status_code == 200 and b"Backpacks" in page.content
    assert page.context["object"].spent == Decimal("400.00")
    # A purchase cannot be filed under another facility's fundraiser.
    other = FundraiserFactory(facility=stocked.acc)
    response = owner.post(
        "/donations/fundraisers/purchases/add/",
        {
            "fundraiser": other.pk,
            "date": "2026-07-01",
            "description": "x",
            "quantity": 1,
            "amount": "1.00",
            "given_to": "someone",
        },
    )
    assert response.status_code == 200 and "fundraiser" in response.context["form"].errors


def test_reports_404_for_roles_outside_gardens(stocked, client_for):
    assert client_for(stocked.officer).get("/donations/reports/season-harvest/").status_code == 404
    assert client_for(stocked.officer).get("/donations/").status_code == 200  # a list, with zero rows
    assert len(client_for(stocked.officer).get("/donations/").context["table"].rows) == 0
