"""The annual report (one section per program, year over year, SVG charts) and historical baselines."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from core.registry import FigureEntry
from reports.models import FigureBaseline
from reports.svg import bar_chart
from tests.factories.reports import FigureBaselineFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def yearly(register_figure):
    by_year = {YEAR - 2: Decimal("80.5"), YEAR - 1: Decimal("91.2"), YEAR: Decimal("97.4")}
    return register_figure(
        FigureEntry(
            "gardens-tons-yearly-test",
            "Tons of produce donated",
            lambda: Decimal("97.4"),
            app="gardens",
            unit="tons",
            compute_year=lambda year: by_year.get(year),
        )
    )


@pytest.fixture
def completions(register_figure):
    return register_figure(
        FigureEntry(
            "classes-completions-yearly-test",
            "People who completed the victims class",
            lambda: 1234,
            app="classes",
            cumulative=True,
            compute_year=lambda year: {YEAR - 1: 600, YEAR: 634}.get(year, 0),
        )
    )


def test_annual_report_has_a_section_per_program_with_svg_charts(world, client_for, yearly, completions):
    FigureBaselineFactory(figure=completions.slug, value=Decimal("50000"))
    html = client_for(world.admin).get(f"/reports/run/annual-report/?format=html&year={YEAR}&span=3").content.decode()
    for title in ("Gardens that feed neighbors", "Puppies for Parole", "Impact of Crime on Victims classes"):
        assert title in html
    assert html.count("<svg") == 2
    assert "80.5" in html and "91.2" in html and "97.4" in html
    # The baseline is shown apart from RJ Admin's records, and their sum.
    assert "1,234" in html and "50,000" in html and "51,234" in html
    assert "No figures are recorded in RJ Admin for this program yet" in html  # puppies, no app yet


def test_annual_report_pdf_draws_charts_without_javascript(world, client_for, yearly, tmp_path):
    response = client_for(world.auditor).get(f"/reports/run/annual-report/?format=pdf&year={YEAR}&span=5")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Annual report" in text and "Tons of produce donated" in text
    assert "97.4" in text and "Page 1 of" in text


def test_annual_report_csv_shows_baseline_separately(world, client_for, yearly, completions):
    FigureBaselineFactory(figure=completions.slug, value=Decimal("50000"))
    response = client_for(world.admin).get(f"/reports/run/annual-report/?format=csv&year={YEAR}&span=3")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[3:6] == [str(YEAR - 2), str(YEAR - 1), str(YEAR)]
    row = next(r for r in rows if r[1] == completions.label)
    values = dict(zip(header, row, strict=True))
    assert values["In RJ Admin to date"] == "1234"
    assert values["Before RJ Admin (baseline)"] == "50000.0"
    assert values["Since records began"] == "51234.0"
    assert values[str(YEAR)] == "634"


def test_annual_report_is_statewide_roles_only(world, client_for):
    for user in (world.staff_jccc, world.officer, world.supervisor, world.victims):
        assert client_for(user).get("/reports/run/annual-report/?format=html").status_code == 404


def test_bar_chart_is_accessible_svg():
    svg = bar_chart([("2024", Decimal("80.5")), ("2025", None), ("2026", 97)], title="Tons <donated>", unit="tons")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Tons &lt;donated&gt; (tons). 2024: 80.5, 2025: no data, 2026: 97" in svg
    assert svg.count("<rect") == 3


def test_administrator_records_a_baseline(world, client_for, completions):
    client = client_for(world.admin)
    assert client.get("/reports/baselines/add/").status_code == 200
    response = client.post(
        "/reports/baselines/add/",
        {"figure": completions.slug, "value": "50000", "as_of": "2025-12-31", "source": "Class rosters 1998-2025"},
    )
    assert response.status_code == 302
    baseline = FigureBaseline.objects.get()
    assert baseline.entered_by == world.admin and baseline.value == Decimal("50000")
    listing = client.get("/reports/baselines/").content.decode()
    assert "50,000" in listing and "1,234" in listing and "51,234" in listing
    public = client.get("/public/").content.decode()
    assert "51,234" in public

    assert client.get(f"/reports/baselines/{baseline.pk}/edit/").status_code == 200
    client.post(
        f"/reports/baselines/{baseline.pk}/edit/",
        {"figure": completions.slug, "value": "49000", "as_of": "2025-12-31", "source": "Recounted"},
    )
    baseline.refresh_from_db()
    assert baseline.value == Decimal("49000") and baseline.history.count() == 2


def test_baseline_refuses_a_negative_total(world, client_for, completions):
    response = client_for(world.admin).post(
        "/reports/baselines/add/", {"figure": completions.slug, "value": "-5", "as_of": "2025-12-31"}
    )
    assert response.status_code == 200 and not FigureBaseline.objects.exists()


@pytest.mark.parametrize("username", ["auditor", "staff_jccc", "supervisor"])
def test_baselines_are_for_administrators(world, client_for, completions, username):
    client = client_for(getattr(world, username))
    assert client.get("/reports/baselines/").status_code == 404
    response = client.post("/reports/baselines/add/", {"figure": completions.slug, "value": "5", "as_of": "2025-12-31"})
    assert response.status_code in (403, 404)
    assert not FigureBaseline.objects.exists()
