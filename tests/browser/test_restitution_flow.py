"""Restitution in Chromium: an officer signs in, opens the caseload and sees a delinquent person first;
the caseload and the person's restitution page pass axe-core."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import assert_page_is_accessible

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def delinquent(site, django_db_blocker):
    """A person on officer.d9's caseload who has paid nothing of a plan that began five months ago."""
    from django.utils import timezone

    from core.models import CourtCase, Offender, User
    from restitution import services
    from restitution.compliance import add_months

    today = timezone.localdate()
    with django_db_blocker.unblock():
        officer = User.objects.get(username="officer.d9")
        person = Offender.objects.create(
            doc_id="4400001",
            first_name="Delia",
            last_name="Quentin",
            date_of_birth=dt.date(1990, 4, 2),
            status="supervised",
            district=officer.district,
            supervising_officer=officer,
            supervision_end_date=add_months(today, 10),
        )
        case = CourtCase.objects.create(
            court="19th Judicial Circuit (Cole County)",
            case_number="25AC-CR44001",
            county="Cole",
            offender=person,
            offense_class="felony_d",
            sentencing_date=add_months(today, -7),
        )
        services.obligation_create(
            case=case,
            kind="restitution",
            payee=services.payee_create(name="Hy-Vee Jefferson City", kind="victim"),
            ordered_amount=Decimal("1500.00"),
            ordered_on=add_months(today, -6),
            monthly_amount=Decimal("75.00"),
            first_due_on=add_months(today, -5),
        )
        services.payment_post(
            offender=person,
            amount=Decimal("75.00"),
            received_on=add_months(today, -5),
            method="money_order",
            idempotency_key="browser:4400001",
            entered_by=officer,
        )
    return person


def test_officer_opens_the_caseload_and_sees_the_delinquent_person(site, page_as, delinquent):
    page = page_as("officer.d9")
    page.goto(site("/"))
    page.get_by_role("button", name="Restitution").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Caseload compliance").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My caseload: restitution, CVCF and community service"
    first_row = page.locator("table.caseload tbody tr").first
    assert "Quentin, Delia" in first_row.inner_text()
    assert "Delinquent" in first_row.inner_text()
    assert "$375.00" in first_row.inner_text()  # six installments due (one today), one paid
    assert_page_is_accessible(page)

    with page.expect_navigation():
        first_row.get_by_role("link", name="Quentin, Delia").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Restitution: Delia Quentin"
    assert page.get_by_role("heading", name="Obligations").is_visible()
    assert_page_is_accessible(page)


def test_officer_records_an_amended_order_from_the_keyboard(site, page_as, delinquent):
    from django.utils import timezone

    page = page_as("officer.d9")
    page.goto(site(f"/restitution/offenders/{delinquent.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Restitution, case").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Record an amended order").click()
    amount = page.get_by_label("Amended ordered amount ($)")
    assert amount.input_value() == "1500.00"
    assert_page_is_accessible(page)
    # Less than has been paid: refused, the error announced with its input, nothing lost.
    amount.fill("50.00")
    page.get_by_label("Amended on").fill(timezone.localdate().isoformat())
    page.get_by_label("Court order reference").fill("Amended judgment 26-7")
    with page.expect_navigation():
        page.get_by_label("Court order reference").press("Enter")
    assert page.title().startswith("Error: ")
    assert "has already been paid to it" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_label("Court order reference").input_value() == "Amended judgment 26-7"
    assert_page_is_accessible(page)
    amount = page.get_by_label("Amended ordered amount ($)")
    amount.fill("1800.00")
    with page.expect_navigation():
        amount.press("Enter")
    assert "Recorded the amended order: $1,500.00 is now $1,800.00." in page.get_by_role("status").first.inner_text()
    assert_page_is_accessible(page)
