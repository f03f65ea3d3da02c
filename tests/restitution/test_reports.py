"""Restitution's reports in the catalog: HTML, PDF and CSV, each within the user's scope."""

import datetime as dt

import pytest
from django.urls import reverse

from core.registry import registry
from restitution.registrations import caseload_compliance, collections_report, owed_to_payees
from tests.pdfs import pdf_words, words_past_the_edge

pytestmark = pytest.mark.django_db
SLUGS = ("restitution-caseload-compliance", "restitution-collections", "restitution-owed-to-payees")


def run(client, slug, fmt, **params):
    return client.get(reverse("reports:run", args=[slug]), {"format": fmt, **params})


def test_the_reports_are_registered_with_html_pdf_and_csv():
    for slug in SLUGS:
        assert registry.reports[slug].formats == ("html", "pdf", "csv")
        assert registry.reports[slug].app == "restitution"


def test_caseload_compliance_per_officer_and_district(world, book, client_for):
    context = caseload_compliance(world.supervisor, {"as_of": dt.date(2026, 6, 15)})
    by_officer, by_district = context["tables"]
    assert by_officer["rows"] == [[9, str(world.officer), 1, 1, 0, 0, 0, 0, 0, book_arrears(), book_balance(), 1]]
    assert by_district["rows"][0][0].startswith("District 9")
    client = client_for(world.officer)
    html = run(client, SLUGS[0], "html", as_of="2026-06-15")
    assert html.status_code == 200
    assert str(world.officer) in html.content.decode()
    assert str(world.officer_d10) not in html.content.decode()
    pdf = run(client, SLUGS[0], "pdf", as_of="2026-06-15")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = run(client, SLUGS[0], "csv", as_of="2026-06-15").content.decode("utf-8-sig")
    assert "Officer,People,Delinquent,Late" in text
    assert "460.00" in text


def book_arrears():
    from decimal import Decimal

    return Decimal("460.00")


def book_balance():
    from decimal import Decimal

    return Decimal("1068.00")


def test_collections_by_month_kind_and_district(world, book, client_for):
    context = collections_report(world.admin, {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 6, 30)})
    monthly = dict(context["tables"][0]["rows"])
    assert monthly["Jan 2026"] == 100
    assert monthly["Feb 2026"] == 150  # $100 from officer.d9's person, $50 from officer.d10's
    detail = context["tables"][1]["rows"]
    assert ["Feb 2026", 9, "Restitution", 100, 1] in [[*r[:3], int(r[3]), r[4]] for r in detail]
    mine = collections_report(world.supervisor, {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 6, 30)})
    assert sum(r[1] for r in mine["tables"][0]["rows"]) == 200
    response = run(client_for(world.supervisor), SLUGS[1], "csv", start="2026-01-01", end="2026-06-30")
    assert response.status_code == 200 and "Collected" in response.content.decode("utf-8-sig")


def test_owed_to_payees_is_for_victim_services_and_statewide_roles(world, book, client_for):
    rows = owed_to_payees(world.victims, {})["tables"][0]["rows"]
    owed = {r[0]: r[5] for r in rows}
    assert owed[book.restitution.payee.name] == 200
    assert owed[book.other.payee.name] == 250
    assert run(client_for(world.victims), SLUGS[2], "pdf").content.startswith(b"%PDF")
    assert run(client_for(world.officer), SLUGS[2], "html").status_code == 404
    assert run(client_for(world.staff_jccc), SLUGS[0], "html").status_code == 404


RIGHT_MARGIN_PT = 0.6 * 72  # reports/print/report.html's right margin, 0.6 in


def test_every_report_pdf_fits_its_page(world, book, client_for, tmp_path):
    """Issue 17, item 10: the compliance report's last column ran off the page. A wide table prints on
    a landscape page; every word of each report lies inside its margins, the last column's included."""
    client = client_for(world.admin)
    for slug in SLUGS:
        pdf = run(client, slug, "pdf", as_of="2026-06-15")
        assert pdf.status_code == 200
        assert words_past_the_edge(pdf.content, tmp_path, margin_pt=RIGHT_MARGIN_PT) == [], slug
    words = " ".join(w for *_, w in pdf_words(run(client, SLUGS[0], "pdf", as_of="2026-06-15").content, tmp_path))
    assert "Payoff after supervision ends" in words


def test_money_in_report_pdfs_is_right_aligned(world, book, client_for, tmp_path):
    """Money lines up on its right edge under its heading: the "Disbursed" heading and the amounts
    under it end at the same x (left-aligned, "$0.00" ended well short of the heading's end)."""
    from tests.pdfs import pdf_word_boxes

    pdf = run(client_for(world.admin), SLUGS[2], "pdf").content
    boxes = pdf_word_boxes(pdf, tmp_path)
    heading = next(b for b in boxes if b.word == "Disbursed")
    below = [
        b for b in boxes if b.word.startswith("$") and b.y_min > heading.y_min and abs(b.x_max - heading.x_max) < 40
    ]
    assert below, "no amount under the Disbursed heading"
    assert all(abs(b.x_max - heading.x_max) < 1.5 for b in below), [(b.word, b.x_max, heading.x_max) for b in below]
