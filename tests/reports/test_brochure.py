"""The brochure: built by the `brochure` job from the live figures, stored, served without recomputing."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.choices import JobOutcome
from core.models import JobRun
from core.registry import FigureEntry, registry
from core.tasks import run_job_task
from reports.models import BrochureBlock, BrochureBuild
from reports.selectors import format_number, section_of
from reports.services import brochure_build
from tests.factories.reports import FigureBaselineFactory
from tests.reports.conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


class Counter:
    """A figure's compute() that counts its calls."""

    def __init__(self, value):
        self.value = value
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.value


def _harvest_this_season(world):
    """Two harvests in the current season (through the gardens app's own factories)."""
    from tests.factories.gardens import HarvestFactory, make_garden_world

    w = make_garden_world(world)
    today = timezone.localdate()
    day = max(w.season.start_date, min(today, w.season.end_date))
    HarvestFactory(garden=w.garden_jccc, crop=w.tomatoes, date=day, weight_lb=Decimal("1234.5"), entered_by=w.admin)
    HarvestFactory(garden=w.garden_acc, crop=w.squash, date=day, weight_lb=Decimal("765.4"), entered_by=w.admin)
    return w


def _season_tons_figure(world, register_figure):
    """The gardens app's figure of this season's tons, fed by real harvests; a stand-in if it has none."""
    for entry in registry.figures.values():
        if section_of(entry) == "gardens" and "ton" in f"{entry.label} {entry.unit}".lower():
            _harvest_this_season(world)
            return entry
    return register_figure(
        FigureEntry(
            "gardens-tons-season-test",
            "Tons of produce donated this season",
            Counter(Decimal("97.4")),
            order=1,
            app="gardens",
            unit="tons",
        )
    )


def test_brochure_task_builds_a_two_page_pdf_with_the_season_tons(world, register_figure, tmp_path):
    tons = _season_tons_figure(world, register_figure)
    expected = format_number(tons.compute())

    run = run_job_task.delay("brochure").get()

    assert run["outcome"] == JobOutcome.SUCCESS
    build = BrochureBuild.objects.get()
    content = build.file.read()
    assert content.startswith(b"%PDF-")
    assert pdf_pages(content, tmp_path) == 2
    text = pdf_text(content, tmp_path)
    assert expected and expected != "0"
    assert expected in text, f"{expected} tons not in the brochure"
    assert tons.label.split()[0] in text
    # The build date is printed, and the address of the central office.
    today = timezone.localdate()
    assert f"built {today:%b} {today.day}, {today:%Y}" in " ".join(text.split())
    assert "2729 Plaza Drive, Jefferson City, MO 65102" in text
    assert build.figures[tons.slug].startswith(expected)


def test_brochure_pdf_is_served_without_recomputing(world, client, register_figure, tmp_path):
    counter = Counter(Decimal("12.5"))
    register_figure(FigureEntry("gardens-test-counted", "Tons counted", counter, app="gardens", unit="tons"))
    brochure_build()
    calls = counter.calls
    assert calls >= 1

    first = client.get("/brochure.pdf")
    second = client.get("/brochure.pdf")

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    body = b"".join(first.streaming_content)
    assert body == BrochureBuild.objects.get().file.read()
    assert b"".join(second.streaming_content) == body
    assert counter.calls == calls, "serving the brochure must not recompute figures"
    assert BrochureBuild.objects.count() == 1
    assert "12.5" in pdf_text(body, tmp_path)


def test_section_without_data_describes_the_program_without_a_zero(world, register_figure, tmp_path):
    register_figure(FigureEntry("puppies-adopted-test", "Dogs adopted this year", lambda: 0, app="puppies"))
    register_figure(
        FigureEntry("classes-completed-test", "People who completed the class", lambda: None, app="classes")
    )
    text = " ".join(pdf_text(brochure_build().file.read(), tmp_path).split())

    assert "Puppies for Parole" in text
    assert "train them in obedience" in text  # what the program does, in words
    assert "Dogs adopted this year" not in text
    assert "People who completed the class" not in text
    for topic in ("Overview of victimization", "Child and elder abuse", "Drunk driving", "Homicide"):
        assert topic in text


def test_baseline_is_added_for_since_records_began(world, register_figure, tmp_path):
    register_figure(
        FigureEntry(
            "classes-completions-test", "completed the victims class", lambda: 1234, app="classes", cumulative=True
        )
    )
    FigureBaselineFactory(figure="classes-completions-test", value=Decimal("50000"))
    text = pdf_text(brochure_build().file.read(), tmp_path)
    assert "51,234" in text


def test_administrator_edits_text_and_rebuilds_on_demand(
    world, client_for, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for(world.admin)
    response = client.post(
        "/reports/brochure/blocks/fundraisers/edit/",
        {
            "title": "School supplies drives",
            "body": "Backpacks filled for every child.",
            "page": 1,
            "order": 40,
            "show": "on",
        },
    )
    assert response.status_code == 302
    assert BrochureBlock.objects.get(key="fundraisers").updated_by == world.admin

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/brochure/", {"rebuild": "1"})
    assert response.status_code == 302
    build = BrochureBuild.objects.get()
    assert build.built_by == world.admin
    assert JobRun.objects.get(job="brochure").triggered_by == world.admin
    text = pdf_text(build.file.read(), tmp_path)
    assert "School supplies drives" in text and "Backpacks filled for every child." in text

    download = client.get("/reports/brochure/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]


def test_brochure_text_refuses_an_offender_name(world, client_for):
    client = client_for(world.admin)
    name = f"{world.inmate.first_name} {world.inmate.last_name}"
    response = client.post(
        "/reports/brochure/blocks/gardens/edit/",
        {"title": "Gardens", "body": f"Thanks to {name} for the tomatoes.", "page": 1, "order": 20, "show": "on"},
    )
    assert response.status_code == 200
    assert "names an offender" in response.content.decode()
    assert not BrochureBlock.objects.filter(key="gardens").exists()


@pytest.mark.parametrize("username", ["staff_jccc", "officer", "auditor", "victims"])
def test_brochure_admin_pages_are_for_administrators_only(world, client_for, username):
    client = client_for(getattr(world, username))
    assert client.get("/reports/brochure/").status_code == 404
    assert client.post("/reports/brochure/", {"rebuild": "1"}).status_code == 404
    assert client.get("/reports/brochure/blocks/intro/edit/").status_code == 404
    assert not BrochureBuild.objects.exists()


def test_rebuild_page_polls_until_a_worker_has_built_it(world, client_for):
    client = client_for(world.admin)
    client.post("/reports/brochure/", {"rebuild": "1"})  # queued; no worker runs it in this test
    partial = client.get("/reports/brochure/", HTTP_HX_REQUEST="true").content.decode()
    assert "Waiting for a background worker" in partial and 'hx-trigger="every 2s"' in partial
    assert "Rebuild the brochure now" not in partial

    brochure_build(user=world.admin)
    partial = client.get("/reports/brochure/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "Built" in partial


def test_dashboard_panel_for_administrators(world, client_for):
    html = client_for(world.admin).get("/").content.decode()
    assert "Public page and brochure" in html and "The brochure has not been built yet" in html
    assert "Public page and brochure" not in client_for(world.staff_jccc).get("/").content.decode()


def test_brochure_prints_the_gardens_figures_from_its_selectors(world, tmp_path):
    """Gardens has landed: its own figures, fed by real harvests this season, are what the brochure prints."""
    gardens = [e for e in registry.figures.values() if section_of(e) == "gardens"]
    assert gardens, "the gardens app registers its figures"
    _harvest_this_season(world)

    text = " ".join(pdf_text(brochure_build().file.read(), tmp_path).split())

    for entry in gardens:
        value = entry.compute()
        if value:
            assert format_number(value) in text, f"{entry.slug}: {format_number(value)} not in the brochure"
    pounds = next(e for e in gardens if "pound" in e.label.lower())
    assert pounds.compute() == Decimal("1999.9")
    assert "1,999.9" in text


def test_each_page_gets_the_largest_type_that_fits_whatever_size_the_last_build_chose(world, tmp_path):
    from django.core.cache import cache

    from reports.services import BROCHURE_SIZES, BROCHURE_SIZES_KEY

    first = brochure_build()
    chosen = cache.get(BROCHURE_SIZES_KEY)
    assert len(chosen) == 2 and first.type_size == min(BROCHURE_SIZES[i] for i in chosen)
    text = pdf_text(first.file.read(), tmp_path)
    assert "Page 1 of 2" in text and "Page 2 of 2" in text  # each page laid out alone names itself
    # A search started from the smallest size, or from the largest, finds the same sizes.
    for start in ([len(BROCHURE_SIZES) - 1] * 2, [0, 0], None):
        if start:
            cache.set(BROCHURE_SIZES_KEY, start, None)
        else:
            cache.delete(BROCHURE_SIZES_KEY)
        again = brochure_build()
        assert cache.get(BROCHURE_SIZES_KEY) == chosen
        assert (again.pages, again.type_size) == (2, first.type_size)
