"""Community service in Chromium: an officer records hours, e-mails the agency a verification link, the
agency's contact (no account) approves them through it, the officer closes the order and prints the
completion letter; the caseload shows the hours beside restitution. Every page passes axe-core at 1280
and at 768 px, without sideways scrolling on the tablet."""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest

from tests.browser.conftest import assert_page_is_accessible
from tests.browser.test_tablet_lists import OVERFLOW_JS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def service(site, django_db_blocker):
    """An agency, and a 3-hour order and a placement there for a person on officer.d9's caseload."""
    from django.utils import timezone

    from community_service import services
    from community_service.models import Agency, Order
    from core.models import CourtCase, Offender, Organization, OrganizationKind, User

    today = timezone.localdate()
    with django_db_blocker.unblock():
        officer = User.objects.get(username="officer.d9")
        person = Offender.objects.create(
            doc_id="5500001",
            first_name="Rowan",
            last_name="Ellery",
            date_of_birth=dt.date(1992, 8, 9),
            status="supervised",
            district=officer.district,
            supervising_officer=officer,
            supervision_end_date=today + dt.timedelta(days=300),
        )
        case = CourtCase.objects.create(
            court="19th Judicial Circuit (Cole County)",
            case_number="25AC-CR55001",
            county="Cole",
            offender=person,
            offense_class="misdemeanor_a",
            sentencing_date=today - dt.timedelta(days=90),
        )
        org = Organization.objects.create(name="Capital City Food Shelf", county="Cole", agency_status="non_profit")
        org.kinds.set(OrganizationKind.objects.filter(code="service_agency"))
        agency = Agency.objects.create(
            organization=org,
            ein="43-5500001",
            agreement_start=today - dt.timedelta(days=400),
            verifier_name="Morgan Hale",
            verifier_email="morgan@foodshelf.example.org",
            kinds_of_work="Sorting and packing",
        )
        order = Order.objects.create(
            offender=person,
            case=case,
            hours_ordered=Decimal("3.00"),
            ordered_on=today - dt.timedelta(days=60),
            due_on=today + dt.timedelta(days=120),
        )
        place = services.placement_create(user=officer, offender=person, agency=agency, start_on=order.ordered_on)
    return {"order": order, "agency": agency, "place": place, "person": person, "today": today}


def no_sideways_scrolling(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    assert page.evaluate(OVERFLOW_JS) == []  # nor a table scrolling inside the page


def both_widths(page):
    assert_page_is_accessible(page)
    page.set_viewport_size({"width": 768, "height": 1024})
    assert_page_is_accessible(page)
    no_sideways_scrolling(page)
    page.set_viewport_size({"width": 1280, "height": 720})


def test_the_caseload_and_the_persons_page_show_the_hours(site, page_as, service):
    """Before the flow below closes the order (a closed order leaves the caseload)."""
    page = page_as("officer.d9")
    page.goto(site("/restitution/"))
    row = page.locator("table.caseload tbody tr", has_text="Ellery, Rowan")
    assert "None owed" in row.inner_text() and "0.00 of 3.00 h" in row.inner_text()
    both_widths(page)
    page.goto(site(f"/community-service/people/{service['person'].pk}/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Community service: Rowan Ellery"
    both_widths(page)
    for path in (
        "/community-service/orders/",
        "/community-service/hours/",
        "/community-service/agencies/",
        "/community-service/placements/",
        "/community-service/hours/add/",
    ):
        page.goto(site(path))
        both_widths(page)


def test_hours_recorded_verified_by_the_agency_and_the_letter_printed(site, page_as, service, tmp_path):
    from django.core import mail

    order, agency = service["order"], service["agency"]
    day = service["today"] - dt.timedelta(days=2)
    page = page_as("officer.d9")

    # The officer records three hours from the order's page.
    page.goto(site(f"/community-service/orders/{order.pk}/"))
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record hours").click()
    assert page.get_by_label("Order").input_value() == str(order.pk)
    page.get_by_label("Placement").select_option(str(service["place"].pk))
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Started at").fill("09:00")
    page.get_by_label("Ended at").fill("12:00")
    page.get_by_label("Task").fill("Packing food boxes")
    both_widths(page)
    with page.expect_navigation():
        page.get_by_label("Task").press("Enter")
    assert "Packing food boxes" in page.content()
    assert "Pending" in page.get_by_text("Pending").first.inner_text()
    both_widths(page)

    # The agency's page lists it waiting; the officer e-mails its contact a link.
    page.goto(site(f"/community-service/agencies/{agency.pk}/"))
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("button", name="E-mail Morgan Hale a verification link").click()
    assert "Sent Morgan Hale" in page.get_by_role("status").first.inner_text()
    message = mail.outbox[-1]
    assert message.to == ["morgan@foodshelf.example.org"]
    path = re.search(r"(/community-service/verify/[^\s]+/)", message.body).group(1)

    # The contact, with no account, approves the hours through the link.
    contact = page_as(None)
    contact.goto(site(path))
    assert (
        contact.get_by_role("heading", level=1).inner_text()
        == "Verify community service hours at Capital City Food Shelf"
    )
    both_widths(contact)
    # First they report an hour the officer has not entered, by keyboard: it waits for the officer.
    contact.get_by_label("Person").select_option(label="Rowan Ellery")
    contact.get_by_label("Date").fill((day - dt.timedelta(days=1)).isoformat())
    contact.get_by_label("Hours worked", exact=True).fill("1")
    contact.get_by_label("Task").fill("Stocking shelves")
    with contact.expect_navigation():
        contact.get_by_label("Task").press("Enter")
    assert "Reported: Rowan Ellery, 1.00 hours" in contact.get_by_role("status").first.inner_text()
    assert "Stocking shelves" in contact.content()
    both_widths(contact)
    contact.get_by_label("Approve").check()
    with contact.expect_navigation():
        contact.get_by_role("button", name="Send my decisions").click()
    assert contact.get_by_role("heading", level=1).inner_text() == "Thank you"
    both_widths(contact)
    contact.goto(site(path))  # used up: it says so
    assert contact.get_by_role("heading", level=1).inner_text() == "This link was already used"
    both_widths(contact)

    # The officer decides the hour the agency reported itself (no sheet needed: the report is the record).
    from community_service.models import HourLog

    reported = HourLog.objects.get(source="agency", offender=service["person"])
    page.goto(site(f"/community-service/hours/{reported.pk}/"))
    assert "Reported by the agency: Morgan Hale" in page.content()
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Decide the agency's report").click()
    both_widths(page)
    page.get_by_label("Approved: credit the hours the agency reported").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    assert "verified" in page.get_by_role("status").first.inner_text()

    # The officer closes the order (every hour credited) and prints the completion letter.
    page.goto(site(f"/community-service/orders/{order.pk}/"))
    assert "3.00 hours" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Close the order").click()
    both_widths(page)
    page.get_by_label("Completed").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Close the order").click()
    assert "The order is completed." in page.get_by_role("status").first.inner_text()
    both_widths(page)
    letter = page.get_by_role("link", name="Completion letter (PDF)")
    response = page.request.get(site(letter.get_attribute("href")))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Community service completed" in text and "Capital City Food Shelf" in text and "Morgan Hale" in text
