"""Recording a donation on one page, its receipt PDF, acknowledgement and void."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from donations import services
from donations.models import Donation
from tests.donations.conftest import pdf_text

ADD = "/donations/add/"


def post_donation(client, w, produce=(), items=(), **header):
    data = {
        "facility": w.jccc.pk,
        "date": "2026-07-02",
        "recipient": w.food_bank.pk,
        "purpose": "distribution",
        "produce_row": [],
        "item_row": [],
        **header,
    }
    for i, (crop, pounds) in enumerate(produce):
        key = f"r{i:08x}"
        data["produce_row"].append(key)
        data[f"{key}-crop"], data[f"{key}-weight_lb"] = crop.pk, pounds
    for i, (item, quantity) in enumerate(items):
        key = f"r{100 + i:08x}"
        data["item_row"].append(key)
        data[f"{key}-item"], data[f"{key}-quantity"] = item.pk, quantity
    return client.post(ADD, data)


def test_form_prefills_the_only_facility(stocked, client_for):
    page = client_for(stocked.staff_jccc).get(ADD)
    assert page.status_code == 200
    assert page.context["header"].initial["facility"] == stocked.jccc.pk
    assert list(page.context["header"].fields["facility"].queryset) == [stocked.jccc]
    html = page.content.decode()
    assert 'hx-get="/donations/available/"' in html
    assert 'hx-get="/donations/add/line/produce/"' in html


def test_available_panel_shows_what_is_on_hand(stocked, client_for):
    client = client_for(stocked.staff_jccc)
    panel = client.get(f"/donations/available/?facility={stocked.jccc.pk}&date=2026-07-02")
    html = panel.content.decode()
    assert "Tomatoes" in html and "200.0" in html and "Quilt" in html
    assert "Zucchini" not in html
    # Another facility's stock is not shown to an outsider.
    outsider = client_for(stocked.staff_acc).get(f"/donations/available/?facility={stocked.jccc.pk}&date=2026-07-02")
    assert "Tomatoes" not in outsider.content.decode()


def test_saving_a_donation_with_produce_and_items(stocked, client_for):
    client = client_for(stocked.staff_jccc)
    response = post_donation(
        client, stocked, produce=[(stocked.tomatoes, "120.5"), (stocked.greens, "20")], items=[(stocked.quilt, "3")]
    )
    assert response.status_code == 302
    donation = Donation.objects.with_totals().get()
    assert response["Location"] == donation.get_absolute_url()
    assert (donation.total_lb, donation.total_items, donation.total_value) == (Decimal("140.5"), 3, Decimal("446.90"))
    assert donation.entered_by == stocked.staff_jccc
    detail = client.get(response["Location"])
    assert "Download the receipt" in detail.content.decode()
    assert reverse("donations:donation_receipt", args=[donation.pk]) in detail.content.decode()


def test_more_than_on_hand_is_refused_on_the_line(stocked, client_for):
    response = post_donation(client_for(stocked.staff_jccc), stocked, produce=[(stocked.tomatoes, "250")])
    assert response.status_code == 400
    assert not Donation.objects.exists()
    (line,) = response.context["produce_rows"]
    assert line.errors["weight_lb"] == ["Only 200.0 lb on hand on that date."]
    assert "Tomatoes: 250.0 lb asked for, but only 200.0 lb is on hand at JCCC" in response.content.decode()


def test_a_donation_needs_a_line(stocked, client_for):
    response = post_donation(client_for(stocked.staff_jccc), stocked)
    assert response.status_code == 400
    assert "Add at least one line" in response.content.decode()


def test_receipt_pdf_has_the_lines_totals_and_signatures(stocked, tmp_path):
    donation = services.donation_create(
        user=stocked.staff_jccc,
        facility=stocked.jccc,
        recipient=stocked.food_bank,
        date=dt.date(2026, 7, 2),
        produce=[(stocked.tomatoes, Decimal("120.5")), (stocked.greens, Decimal("20"))],
        items=[(stocked.quilt, 3)],
    )
    from django.test import Client

    client = Client()
    client.force_login(stocked.staff_jccc)
    response = client.get(reverse("donations:donation_receipt", args=[donation.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        f"Receipt number {donation.receipt_number}",
        "Jefferson City Correctional Center (JCCC)",
        "Food Bank for Central & Northeast Missouri",
        "Tomatoes",
        "120.5 lb",
        "Total produce: 140.5 lb (0.1 tons)",
        "Total items: 3",
        "Estimated value: $446.90",
        "Staff member:",
        "For the recipient",
    ):
        assert expected in text, expected


def test_acknowledgement_can_be_recorded_later_with_history(stocked, client_for):
    donation = services.donation_create(
        user=stocked.staff_jccc,
        facility=stocked.jccc,
        recipient=stocked.food_bank,
        date=dt.date(2026, 7, 2),
        produce=[(stocked.tomatoes, Decimal("10"))],
    )
    client = client_for(stocked.staff_jccc)
    response = client.post(
        reverse("donations:donation_edit", args=[donation.pk]),
        {
            "recipient": stocked.food_bank.pk,
            "purpose": "distribution",
            "acknowledged": "on",
            "acknowledged_on": "2026-07-10",
            "note": "Thank-you letter",
        },
    )
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.acknowledged and donation.acknowledged_on == dt.date(2026, 7, 10)
    assert donation.history.count() == 2


def test_void_through_the_page(stocked, client_for):
    donation = services.donation_create(
        user=stocked.staff_jccc,
        facility=stocked.jccc,
        recipient=stocked.food_bank,
        date=dt.date(2026, 7, 2),
        produce=[(stocked.tomatoes, Decimal("10"))],
    )
    client = client_for(stocked.staff_jccc)
    url = reverse("donations:donation_void", args=[donation.pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert client.post(url, {"reason": "Recipient refused it"}).status_code == 302
    donation.refresh_from_db()
    assert donation.is_voided and donation.void_reason == "Recipient refused it"
    page = client.get(donation.get_absolute_url())
    assert "This donation is <strong>void</strong>" in page.content.decode()
    assert client.get(url).status_code == 404  # void is final
    assert client.get(reverse("donations:donation_edit", args=[donation.pk])).status_code == 404
    listed = client.get("/donations/")
    assert len(listed.context["table"].rows) == 0
    assert len(client.get("/donations/?status=voided").context["table"].rows) == 1


@pytest.mark.parametrize("kind", ["produce", "item"])
def test_line_rows_for_htmx(stocked, client_for, kind):
    html = client_for(stocked.staff_jccc).get(f"/donations/add/line/{kind}/").content.decode()
    assert f'name="{kind}_row"' in html and "<html" not in html


def test_stock_page(stocked, client_for):
    page = client_for(stocked.staff_jccc).get("/donations/stock/")
    assert page.status_code == 200
    assert [r.label for r in page.context["produce"]] == ["Kale", "Tomatoes"]
    assert page.context["produce_total"] == Decimal("250.0")
    assert page.context["items_total"] == 10
    assert client_for(stocked.officer).get("/donations/stock/").status_code == 404


def test_production_and_spoilage_pages(stocked, client_for):
    client = client_for(stocked.staff_jccc)
    response = client.post(
        "/donations/production/add/",
        {
            "facility": stocked.jccc.pk,
            "shop": "Sewing shop",
            "item": stocked.quilt.pk,
            "quantity": "4",
            "date": "2026-07-05",
            "volunteer_hours": "12",
            "note": "",
        },
    )
    assert response.status_code == 302
    too_much = client.post(
        "/donations/spoilage/add/",
        {
            "facility": stocked.jccc.pk,
            "crop": stocked.greens.pk,
            "date": "2026-07-05",
            "weight_lb": "60",
            "reason": "Frost",
        },
    )
    assert too_much.status_code == 200
    assert "Kale: 60.0 lb asked for, but only 50.0 lb" in too_much.content.decode()
    ok = client.post(
        "/donations/spoilage/add/",
        {
            "facility": stocked.jccc.pk,
            "crop": stocked.greens.pk,
            "date": "2026-07-05",
            "weight_lb": "5",
            "reason": "Frost",
        },
    )
    assert ok.status_code == 302
