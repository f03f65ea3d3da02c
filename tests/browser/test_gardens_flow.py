"""Gardens and donations in Chromium, on a 768-pixel-wide tablet.

Facility staff record a day's harvest of three crops (rows added and removed without a reload, by
keyboard), give part of it to a food bank, download the receipt and find the right totals in the
PDF's text; the season figures on the dashboard move. Every page on the way passes axe-core.
"""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest

from tests.browser.conftest import assert_page_is_accessible, sign_in
from tests.conftest import require_program

pytestmark = pytest.mark.browser

FOOD_BANK = "Food Bank for Central & Northeast Missouri"


@pytest.fixture(scope="module")
def garden_site(site, django_db_blocker):
    """A garden at JCCC, a season holding today, three crops; and a little of everything for the page checks."""
    from django.utils import timezone

    from core.models import Facility, Organization, User
    from donations import services as donation_services
    from donations.models import Fundraiser, Item
    from gardens import services as garden_services
    from gardens.models import Crop, Garden, Season

    today = timezone.localdate()
    with django_db_blocker.unblock():
        Season.objects.get_or_create(
            year=today.year,
            defaults={
                "start_date": dt.date(today.year, 1, 1),
                "end_date": dt.date(today.year, 12, 31),
                "goal_tons": 100,
            },
        )
        jccc, acc = Facility.objects.get(code="JCCC"), Facility.objects.get(code="ACC")
        garden = Garden.objects.create(facility=jccc, name="East garden", size_acres=Decimal("2.5"))
        Garden.objects.create(facility=acc, name="North field")
        crops = {}
        for name, category, value in (
            ("Tomatoes", "vegetable", "1.80"),
            ("Zucchini", "squash", "1.20"),
            ("Kale", "leafy_green", "2.50"),
            ("Okra", "vegetable", "2.50"),
        ):
            crops[name], _ = Crop.objects.get_or_create(
                name=name, defaults={"category": category, "value_per_lb": Decimal(value)}
            )
        quilt, _ = Item.objects.get_or_create(
            name="Quilt", defaults={"category": "quilts", "estimated_value": Decimal("60")}
        )
        # Something at ACC the JCCC user must never see, and a fundraiser, for the page checks.
        admin = User.objects.get(username="admin")
        garden_services.harvest_record(
            user=admin,
            garden=Garden.objects.get(name="North field"),
            crop=crops["Okra"],
            date=today,
            weight_lb=Decimal("33.3"),
        )
        donation_services.production_record(
            user=admin, facility=jccc, shop="Sewing shop", item=quilt, quantity=6, date=today
        )
        Fundraiser.objects.create(
            facility=jccc,
            name="Back-to-school drive",
            purpose="school_supplies",
            start_date=today,
            goal=Decimal("500"),
            raised=Decimal("120"),
        )
        food_bank = Organization.objects.get(name=FOOD_BANK)
    return {"garden": garden, "crops": crops, "food_bank": food_bank, "today": today}


def rows(page):
    return page.locator("#harvest-rows [data-row]")


def fill_row(page, index, crop, pounds, volunteers="", hours=""):
    row = rows(page).nth(index)
    row.get_by_label("Crop").select_option(label=crop)
    row.get_by_label("Pounds").fill(pounds)
    if volunteers:
        row.get_by_label("Volunteers", exact=True).fill(volunteers)
    if hours:
        row.get_by_label("Hours").fill(hours)


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def test_staff_record_a_days_harvest_donate_it_and_print_the_receipt(site, garden_site, page, tmp_path):
    page.set_viewport_size({"width": 768, "height": 1024})
    page.set_default_timeout(15_000)
    sign_in(page, site, "staff.jccc")

    # The menu is collapsed at 768 px: open it and find the quick entry under Programs.
    page.get_by_role("button", name="Show or hide the menu").click()
    page.get_by_role("button", name="Programs").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Record a day's harvest").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record a day's harvest"
    assert page.get_by_label("Garden").input_value() == str(garden_site["garden"].pk)  # the only garden
    assert page.get_by_label("Date").input_value() == garden_site["today"].isoformat()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768  # no sideways scrolling

    fill_row(page, 0, "Tomatoes", "120.5", "4", "8")
    # Another row, by keyboard: focus the button, press Enter; htmx adds the row and focus moves into it.
    add = page.get_by_role("button", name="+ Add another crop")
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#harvest-rows [data-row]').length === 2")
    page.wait_for_function("() => document.activeElement.name && document.activeElement.name.endsWith('-crop')")
    fill_row(page, 1, "Zucchini", "80")
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#harvest-rows [data-row]').length === 3")
    fill_row(page, 2, "Kale", "15.2")
    # One row too many, removed again with the keyboard; focus stays in the rows.
    add.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#harvest-rows [data-row]').length === 4")
    fill_row(page, 3, "Okra", "9")
    remove = rows(page).nth(3).get_by_role("button", name="Remove crop 4")
    remove.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#harvest-rows [data-row]').length === 3")
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    assert page.locator("#day-total").inner_text() == "215.7"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    assert_page_is_accessible(page)

    save = page.get_by_role("button", name="Save the day's harvest")
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Saved 3 harvests at JCCC · East garden" in page.locator(".messages").inner_text()
    assert "215.7 lb in all" in page.locator(".messages").inner_text()
    # Next comes who worked this day (tests/browser/test_participation_flow.py names people there): skipped.
    assert page.get_by_role("heading", level=1).inner_text() == "Who worked this day"
    assert page.locator("table tbody tr").count() == 3
    assert_page_is_accessible(page)
    skip = page.get_by_role("link", name="Skip naming who worked")
    skip.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table tbody tr").count() == 3
    assert_page_is_accessible(page)

    # The dashboard's season figures moved (only JCCC's, not ACC's okra).
    page.goto(site("/"))
    assert page.locator("[data-figure=season-pounds]").inner_text() == "215.7 lb"
    assert_page_is_accessible(page)

    # Give part of it to the food bank; the form says what is on hand.
    with page.expect_navigation():
        page.get_by_role("link", name="Record a donation").first.click()
    page.get_by_label("Recipient").select_option(label=FOOD_BANK)
    available = page.locator("#available-produce")
    available.wait_for()
    assert "Tomatoes" in available.inner_text() and "120.5" in available.inner_text()
    assert "Okra" not in available.inner_text()
    produce = page.locator("#produce-rows [data-row]")
    produce.nth(0).get_by_label("Crop").select_option(label="Tomatoes")
    produce.nth(0).get_by_label("Pounds").fill("100")
    page.get_by_role("button", name="+ Add a crop").click()
    page.wait_for_function("() => document.querySelectorAll('#produce-rows [data-row]').length === 2")
    produce.nth(1).get_by_label("Crop").select_option(label="Kale")
    produce.nth(1).get_by_label("Pounds").fill("15.2")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    assert_page_is_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the donation").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Donation D-")
    receipt_number = page.get_by_role("heading", level=1).inner_text().removeprefix("Donation ")
    assert_page_is_accessible(page)

    # The receipt: downloaded, and its text has the right totals.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download receipt (PDF)").click()
    pdf = tmp_path / "receipt.pdf"
    download.value.save_as(pdf)
    require_program("pdftotext", "poppler-utils reads the PDF's text")
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert f"Receipt number {receipt_number}" in text
    assert FOOD_BANK in text
    assert "Jefferson City Correctional Center (JCCC)" in text
    for expected in (
        "Tomatoes 100.0 lb $180.00",
        "Kale 15.2 lb $38.00",
        "Total produce: 115.2 lb (0.1 tons)",
        "Total items: 0",
        "Estimated value: $218.00",
    ):
        assert expected in text, expected
    assert "Staff member: Dana Whitfield" in text and "For the recipient" in text

    # The season figures moved on the dashboard, and the stock page shows what is left.
    page.goto(site("/"))
    assert page.locator("[data-figure=donated-pounds]").inner_text() == "115.2 lb"
    page.goto(site("/donations/stock/"))
    stock = page.locator("#produce-heading").inner_text()
    assert stock == "Produce: 100.5 lb on hand"  # 215.7 grown, 115.2 given
    assert_page_is_accessible(page)


PAGES = [
    ("staff.jccc", "/gardens/harvests/"),
    ("staff.jccc", "/gardens/plots/"),
    ("staff.jccc", "/gardens/crops/"),
    ("staff.jccc", "/gardens/seasons/"),
    ("staff.jccc", "/donations/"),
    ("staff.jccc", "/donations/production/"),
    ("staff.jccc", "/donations/production/add/"),
    ("staff.jccc", "/donations/spoilage/add/"),
    ("staff.jccc", "/donations/fundraisers/"),
    ("staff.jccc", "/donations/items/"),
    ("staff.jccc", "/donations/reports/season-harvest/"),
    ("staff.jccc", "/donations/reports/donations/"),
    ("admin", "/"),
    ("admin", "/gardens/harvests/?status=all"),
    ("admin", "/gardens/plots/add/"),
    ("admin", "/gardens/seasons/add/"),
    ("admin", "/donations/stock/"),
    ("admin", "/donations/fundraisers/add/"),
    ("admin", "/donations/items/add/"),
    ("auditor", "/donations/reports/season-harvest/"),
]


@pytest.mark.parametrize(("username", "path"), PAGES)
def test_pages_pass_axe(site, garden_site, page_as, username, path):
    page = page_as(username)
    page.goto(site(path))
    assert page.get_by_role("heading", level=1).is_visible()
    assert_page_is_accessible(page)


def test_detail_history_and_void_pages_pass_axe(site, garden_site, page_as):
    from django.db import connection  # noqa: F401  (the live server's database is the test database)

    from donations.models import Fundraiser, ProductionLog
    from gardens.models import Harvest

    harvest = Harvest.objects.filter(facility__code="ACC").first()
    page = page_as("admin")
    for path in (
        f"/gardens/harvests/{harvest.pk}/",
        f"/gardens/harvests/{harvest.pk}/history/",
        f"/gardens/harvests/{harvest.pk}/edit/",
        f"/gardens/harvests/{harvest.pk}/void/",
        f"/gardens/plots/{garden_site['garden'].pk}/",
        f"/donations/production/{ProductionLog.objects.first().pk}/",
        f"/donations/fundraisers/{Fundraiser.objects.first().pk}/",
    ):
        page.goto(site(path))
        assert_page_is_accessible(page)
