"""Who worked, in Chromium: facility staff name the people who worked a harvest and a production entry from the
roster on a tablet, by keyboard; the hours show on the entry and in the person's timeline; the three
participation reports open. Every page passes axe at 1280 and 768 px without sideways scrolling."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import both_widths

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="module")
def worked(site, django_db_blocker):
    """At JCCC: a harvest (3 volunteers, 9 hours) and a production entry (6 hours) entered today by staff,
    two people held there, and a handler's training log (the demo's dogs are not seeded here)."""
    from django.utils import timezone

    from core.choices import OffenderStatus
    from core.models import Facility, Offender, User
    from donations import services as donation_services
    from donations.models import Item
    from gardens import services as garden_services
    from gardens.models import Crop, Garden

    today = timezone.localdate()
    with django_db_blocker.unblock():
        jccc = Facility.objects.get(code="JCCC")
        staff = User.objects.get(username="staff.jccc")
        garden, _ = Garden.objects.get_or_create(facility=jccc, name="Participation plot")
        crop, _ = Crop.objects.get_or_create(
            name="Tomatoes", defaults={"category": "vegetable", "value_per_lb": Decimal("1.80")}
        )
        Crop.objects.get_or_create(name="Kale", defaults={"category": "leafy_green", "value_per_lb": Decimal("2.50")})
        item, _ = Item.objects.get_or_create(
            name="Quilt", defaults={"category": "quilts", "estimated_value": Decimal("60")}
        )
        people = list(Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility=jccc).order_by("doc_id")[:2])
        assert len(people) == 2, "the demo data holds people at JCCC"
        harvest = garden_services.harvest_record(
            user=staff,
            garden=garden,
            crop=crop,
            date=today - dt.timedelta(days=1),
            weight_lb=Decimal("40"),
            volunteers=3,
            volunteer_hours=Decimal("9"),
        )
        entry = donation_services.production_record(
            user=staff,
            facility=jccc,
            shop="Sewing shop",
            item=item,
            quantity=4,
            date=today - dt.timedelta(days=1),
            volunteer_hours=Decimal("6"),
        )
    return {"harvest": harvest, "entry": entry, "people": people}


def _name_by_keyboard(page, person, hours):
    box = page.get_by_label(f"{person.last_name}, {person.first_name} ({person.doc_id})", exact=True)
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type(hours)


def test_staff_name_who_worked_a_harvest_on_a_tablet(site, worked, page_as):
    page = page_as("staff.jccc")
    page.set_viewport_size(TABLET)
    try:
        harvest, (first, second) = worked["harvest"], worked["people"]
        page.goto(site(f"/gardens/harvests/{harvest.pk}/workers/"))
        assert page.get_by_role("heading", level=1, name="Who worked").is_visible()
        # Too many hours: refused, the page says why, nothing is saved.
        _name_by_keyboard(page, first, "8")
        _name_by_keyboard(page, second, "2")
        with page.expect_navigation():
            page.get_by_role("button", name="Save who worked").click()
        assert "more than the harvest's volunteer hours" in page.locator("#roster-errors").inner_text()
        page.set_viewport_size({"width": 1280, "height": 720})
        both_widths(page)
        page.set_viewport_size(TABLET)
        # The search box shortens the roster; typing hours ticks the person.
        page.get_by_label(f"Hours for {second.last_name}, {second.first_name} ({second.doc_id})").fill("")
        page.get_by_label(f"{second.last_name}, {second.first_name} ({second.doc_id})", exact=True).uncheck()
        page.get_by_label(f"Hours for {first.last_name}, {first.first_name} ({first.doc_id})").fill("3.5")
        page.get_by_label("Find a person on the roster").fill(first.doc_id)
        assert page.locator("[data-roster-row]:visible").count() == 1
        with page.expect_navigation():
            page.get_by_role("button", name="Save who worked").click()
        assert page.url.endswith(f"/gardens/harvests/{harvest.pk}/")
        assert "3.50" in page.locator("#workers-heading + div").inner_text()
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    both_widths(page)
    page.goto(site(f"/gardens/harvests/{harvest.pk}/workers/"))
    both_widths(page)
    page.goto(site(f"/offenders/{first.pk}/timeline/"))
    assert "Harvest: 3.50 hours at Participation plot (JCCC)" in page.content()
    both_widths(page)


def test_staff_record_a_day_and_name_who_worked_it_on_a_tablet(site, worked, page_as):
    """The quick day entry (two crops, by keyboard) leads to Who worked this day: two people ticked, their
    hours and crops given, saved at once; the page passes axe at 1280 and 768 px."""
    from django.utils import timezone

    from core.dates import format_date

    page = page_as("staff.jccc")
    first, second = worked["people"]
    page.set_viewport_size(TABLET)
    try:
        page.goto(site("/gardens/harvests/day/"))
        page.get_by_label("Garden").select_option(label="JCCC · Participation plot")
        rows = page.locator("#harvest-rows [data-row]")
        for index, (crop, pounds, volunteers, hours) in enumerate(
            [("Tomatoes", "30", "2", "6"), ("Kale", "12", "1", "3")]
        ):
            if index:
                page.get_by_role("button", name="+ Add another crop").focus()
                page.keyboard.press("Enter")
                page.wait_for_function("() => document.querySelectorAll('#harvest-rows [data-row]').length === 2")
            row = rows.nth(index)
            row.get_by_label("Crop").select_option(label=crop)
            for label, value in (("Pounds", pounds), ("Volunteers", volunteers), ("Hours", hours)):
                row.get_by_label(label, exact=label == "Volunteers").focus()
                page.keyboard.type(value)
        page.get_by_role("button", name="Save the day's harvest").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", level=1).inner_text() == "Who worked this day"
        message = page.locator(".messages").inner_text()
        assert "Saved 2 harvests at JCCC · Participation plot" in message
        assert "42.0 lb in all. Name who worked below, or choose Skip." in message
        assert page.locator("table tbody tr").count() == 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
        both_widths(page)
        page.set_viewport_size(TABLET)
        # Two people: the first on the tomatoes (the first crop, chosen already), the second on the kale.
        _name_by_keyboard(page, first, "4")
        assert page.get_by_label(f"Crop for {first.last_name}, {first.first_name} ({first.doc_id})").input_value()
        _name_by_keyboard(page, second, "2.5")
        page.keyboard.press("Tab")
        crop = page.get_by_label(f"Crop for {second.last_name}, {second.first_name} ({second.doc_id})")
        assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
        crop.select_option(label="Kale")
        page.get_by_role("button", name="Save who worked").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        day = format_date(timezone.localdate())
        assert f"Saved who worked on {day}: 2 people, 6.50 hours." in page.locator(".messages").inner_text()
        assert "/gardens/harvests/?garden=" in page.url
        assert page.locator("table tbody tr").count() == 2
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    # Back on the page: both are ticked with their hours and crops.
    page.goto(site(f"/gardens/harvests/day/{worked['harvest'].garden_id}/{timezone.localdate().isoformat()}/workers/"))
    assert page.get_by_label(f"{second.last_name}, {second.first_name} ({second.doc_id})", exact=True).is_checked()
    assert (
        page.get_by_label(f"Hours for {second.last_name}, {second.first_name} ({second.doc_id})").input_value()
        == "2.50"
    )
    both_widths(page)


def test_staff_name_who_worked_a_production_entry(site, worked, page_as):
    page = page_as("staff.jccc")
    entry, (first, _second) = worked["entry"], worked["people"]
    page.goto(site(f"/donations/production/{entry.pk}/workers/"))
    both_widths(page)
    _name_by_keyboard(page, first, "2.25")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/donations/production/{entry.pk}/")
    both_widths(page)
    page.goto(site(f"/offenders/{first.pk}/timeline/"))
    assert "Craft production: 2.25 hours at Sewing shop (JCCC)" in page.content()


@pytest.mark.parametrize("slug", ["gardens-participation", "donations-participation", "puppies-training-hours"])
@pytest.mark.parametrize("username", ["staff.jccc", "admin"])
def test_participation_reports_pass_axe(site, worked, page_as, slug, username):
    page = page_as(username)
    page.goto(site(f"/reports/run/{slug}/"))
    both_widths(page)
    page.goto(site(f"/reports/run/{slug}/?format=html&by=month"))
    assert page.get_by_role("heading", level=1).is_visible()
    both_widths(page)
