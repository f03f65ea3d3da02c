"""The season harvest report and the donations report: HTML, PDF and CSV, their totals equal to the
sum of the entries, and the dashboard panels reading the same selectors."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from core.registry import registry
from donations import services
from donations.registrations import donations_panel_context
from gardens.models import Harvest
from gardens.registrations import season_panel_context
from tests.donations.conftest import pdf_text
from tests.factories.gardens import GardenFactory, HarvestFactory


@pytest.fixture
def season_data(stocked):
    w = stocked
    fulton = GardenFactory(facility=w.acc, name="Greenhouse")
    weights = ["12.3", "45.6", "78.9", "0.1", "1234.5", "99.9", "3.3"]
    for i, weight in enumerate(weights):
        HarvestFactory(
            garden=[w.garden_jccc, w.garden_acc, fulton][i % 3],
            crop=[w.tomatoes, w.squash, w.greens][i % 3],
            date=dt.date(2026, 5, 1) + dt.timedelta(days=9 * i),
            weight_lb=Decimal(weight),
            volunteers=3,
            volunteer_hours=Decimal("4.5"),
        )
    # Outside the season (2025) and voided: neither counts.
    HarvestFactory(garden=w.garden_jccc, crop=w.tomatoes, date=dt.date(2025, 8, 1), weight_lb=Decimal("500"))
    HarvestFactory(
        garden=w.garden_jccc,
        crop=w.tomatoes,
        date=dt.date(2026, 8, 1),
        weight_lb=Decimal("777"),
        voided_at=dt.datetime(2026, 8, 2, tzinfo=dt.UTC),
        voided_by=w.admin,
        void_reason="Entered twice",
    )
    services.donation_create(
        user=w.staff_jccc,
        facility=w.jccc,
        recipient=w.food_bank,
        date=dt.date(2026, 7, 2),
        produce=[(w.tomatoes, Decimal("150"))],
    )
    services.donation_create(
        user=w.staff_jccc,
        facility=w.jccc,
        recipient=w.pantry,
        date=dt.date(2026, 7, 3),
        produce=[(w.greens, Decimal("30.5"))],
        items=[(w.quilt, 4)],
    )
    voided = services.donation_create(
        user=w.staff_jccc,
        facility=w.jccc,
        recipient=w.pantry,
        date=dt.date(2026, 7, 4),
        produce=[(w.tomatoes, Decimal("10"))],
    )
    services.donation_void(donation=voided, user=w.admin, reason="Test")
    return w


def season_entries():
    return Harvest.objects.active().filter(date__gte=dt.date(2026, 4, 1), date__lte=dt.date(2026, 11, 30))


def test_season_totals_equal_the_sum_of_the_entries(season_data):
    entry = registry.reports["season-harvest"]
    context = entry.build(season_data.admin, {"season": "2026"})
    expected = sum(h.weight_lb for h in season_entries())
    assert expected == Decimal("200.0") + Decimal("50.0") + Decimal("80.0") + Decimal("1474.6")
    totals = context["totals"]
    assert totals.pounds == expected
    assert totals.entries == season_entries().count()
    assert totals.volunteer_hours == sum(h.volunteer_hours for h in season_entries())
    assert sum(r.pounds for r in context["by_facility"]) == expected
    assert sum(r.pounds for r in context["by_crop"]) == expected
    assert sum(r.entries for r in context["by_crop"]) == totals.entries
    assert context["donated_lb"] == Decimal("180.5")
    assert [(r.name, r.pounds) for r in context["by_recipient"]] == [
        ("Food Bank for Central & Northeast Missouri", Decimal("150.0")),
        ("Samaritan Center Food Pantry", Decimal("30.5")),
    ]
    assert totals.tons == Decimal("0.9")


def test_season_report_is_scoped(season_data):
    entry = registry.reports["season-harvest"]
    jccc = entry.build(season_data.staff_jccc, {"season": "2026"})
    assert jccc["totals"].pounds == sum(h.weight_lb for h in season_entries().filter(facility=season_data.jccc))
    assert [r.detail for r in jccc["by_facility"]] == ["JCCC"]
    acc = entry.build(season_data.staff_acc, {"season": "2026"})
    assert acc["by_recipient"] == []
    assert acc["donated_lb"] == 0
    # Asking for another facility by id gives the user's own scope, not that facility.
    assert entry.build(season_data.staff_acc, {"season": "2026", "facility": season_data.jccc.pk})["facility"] is None


def catalog_csv(response) -> dict[str, list[list[str]]]:
    """The catalog's CSV of a report with several tables: each table's title row, its header, its
    rows, then an empty row. Returns ``{title: rows}`` (the header left out)."""
    assert response["Content-Type"].startswith("text/csv")
    tables: dict[str, list[list[str]]] = {}
    title = None
    for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))):
        if not row:
            title = None
        elif title is None:
            title = row[0]
            tables[title] = []
        else:
            tables[title].append(row)
    return {name: rows[1:] for name, rows in tables.items()}


def test_old_report_addresses_redirect_to_the_catalog(season_data, client_for):
    client = client_for(season_data.staff_jccc)
    response = client.get("/donations/reports/season-harvest/?season=2026")
    assert response.status_code == 302
    assert response["Location"] == "/reports/run/season-harvest/?season=2026&format=html"
    response = client.get("/donations/reports/donations/?format=csv")
    assert response["Location"] == "/reports/run/donations/?format=csv"
    assert client.get("/donations/reports/donations/", follow=True).redirect_chain == [
        ("/reports/run/donations/?format=html", 302)
    ]


def test_season_report_html_csv_pdf_agree(season_data, client_for, tmp_path):
    client = client_for(season_data.admin)
    expected = sum(h.weight_lb for h in season_entries())
    page = client.get("/donations/reports/season-harvest/?season=2026", follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{expected:,} lb" in html
    tables = catalog_csv(client.get("/donations/reports/season-harvest/?season=2026&format=csv", follow=True))
    facility_rows = [r for r in tables["Facility"] if r[1] != "Total"]
    assert sum(Decimal(r[2]) for r in facility_rows) == expected
    facility_total = next(r for r in tables["Facility"] if r[1] == "Total")
    assert facility_total[:3] == ["", "Total", str(expected)]
    crop_total = next(r for r in tables["Crop"] if r[1] == "Total")
    assert Decimal(crop_total[2]) == expected
    pdf = client.get("/donations/reports/season-harvest/?season=2026&format=pdf", follow=True)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Season harvest report: 2026 season" in text
    assert f"{expected:,} lb" in text
    assert "Samaritan Center Food Pantry" in text


def test_donations_report(season_data, client_for, tmp_path):
    client = client_for(season_data.staff_jccc)
    page = client.get("/donations/reports/donations/?season=2026", follow=True)
    totals = page.context["totals"]
    assert (totals.donations, totals.pounds, totals.items, totals.recipients) == (2, Decimal("180.5"), 4, 2)
    assert totals.value == Decimal("150") * Decimal("1.80") + Decimal("30.5") * Decimal("2.50") + 4 * Decimal("60.00")
    assert sum(r.value for r in page.context["by_recipient"]) == totals.value
    assert sum(r["pounds"] for r in page.context["by_county"]) == totals.pounds
    assert [c["county"] for c in page.context["by_county"]] == ["Boone", "Cole"]
    assert page.context["items_by_category"][0]["items"] == 4
    tables = catalog_csv(client.get("/donations/reports/donations/?season=2026&format=csv", follow=True))
    assert tables["Total"][-1][:4] == ["", "Total", "2", "180.5"]
    pdf = client.get("/donations/reports/donations/?season=2026&format=pdf", follow=True)
    text = pdf_text(pdf.content, tmp_path)
    assert "Donations report: 2026 season" in text and "Boone" in text


def test_panels_read_the_same_figures_as_the_reports(season_data):
    today = dt.date(2026, 11, 30)
    for user in (season_data.admin, season_data.staff_jccc, season_data.staff_acc):
        report = registry.reports["season-harvest"].build(user, {"season": "2026"})
        panel = season_panel_context(user, today=today)
        assert panel["totals"].pounds == report["totals"].pounds
        assert sum(p for _, p in panel["weeks"]) == report["totals"].pounds
        assert [c.label for c in panel["top_crops"]] == [c.label for c in report["by_crop"]][:5]
        donations = registry.reports["donations"].build(user, {"season": "2026"})
        dpanel = donations_panel_context(user, today=today)
        assert dpanel["totals"] == donations["totals"]


def test_season_comparison(season_data):
    HarvestFactory(
        garden=season_data.garden_jccc, crop=season_data.tomatoes, date=dt.date(2025, 4, 20), weight_lb=Decimal("10")
    )
    panel = season_panel_context(season_data.admin, today=dt.date(2026, 5, 1))
    c = panel["comparison"]
    assert c.this.pounds == Decimal("12.3")  # only the first entry is on or before May 1
    assert c.last_to_date.pounds == Decimal("10.0")  # 2025 through April 30 (the same day of its season)
    assert c.last_total.pounds == Decimal("510.0")
    assert c.change_percent == Decimal("23.0")


def test_dashboard_shows_both_panels(season_data, client_for):
    html = client_for(season_data.staff_jccc).get("/").content.decode()
    assert "Gardens: 2026 season at your facilities" in html
    assert "Donations: 2026 season from your facilities" in html
    assert "Record a day&#x27;s harvest" in html or "Record a day's harvest" in html
    officer = client_for(season_data.officer).get("/").content.decode()
    assert "Gardens:" not in officer and "Donations:" not in officer


@pytest.mark.parametrize("slug", ["season-harvest", "donations"])
def test_reports_run_from_the_report_catalog(season_data, client_for, slug, tmp_path):
    client = client_for(season_data.staff_jccc)
    url = f"/reports/run/{slug}/"
    assert client.get(url).status_code == 200
    page = client.get(url + "?format=html&season=2026")
    assert page.status_code == 200
    assert "Season totals" in page.content.decode()
    assert client.get(url + "?format=csv&season=2026").status_code == 200
    assert client.get(url + "?format=xlsx&season=2026").status_code == 200
    pdf = client.get(url + "?format=pdf&season=2026")
    assert "Season totals" in pdf_text(pdf.content, tmp_path)
    # The facility choice offers only what the user may see.
    assert list(page.context["form"].fields["facility"].queryset) == [season_data.jccc]
