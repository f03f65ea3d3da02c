"""The restorative record in Chromium: an officer opens a person's record, prints the progress report by
keyboard (the PDF opens, its text names no victim), and reads the discharge readiness page after the
nightly check. Every page passes axe-core at 1280 and at 768 px."""

import datetime as dt
import subprocess

import pytest

from tests.browser.conftest import both_widths

pytestmark = pytest.mark.browser


PAYEE = "Marguerite Okonkwo-Lindqvist"


@pytest.fixture(scope="module")
def person(site, django_db_blocker):
    """officer.d9's person with restitution (a named victim payee) and a community service order, whose
    supervision ends within 90 days; the readiness check run for today."""
    from decimal import Decimal

    from django.utils import timezone

    from community_service import services as cs
    from community_service.models import Agency, Order
    from core.jobs import job_run
    from core.models import CourtCase, Offender, Organization, OrganizationKind, User
    from restitution import services as rs

    today = timezone.localdate()
    with django_db_blocker.unblock():
        officer = User.objects.get(username="officer.d9")
        who = Offender.objects.create(
            doc_id="5600001",
            first_name="Avery",
            last_name="Tamsin",
            date_of_birth=dt.date(1990, 3, 4),
            status="supervised",
            district=officer.district,
            supervising_officer=officer,
            supervision_end_date=today + dt.timedelta(days=60),
        )
        case = CourtCase.objects.create(
            court="19th Judicial Circuit (Cole County)",
            case_number="25AC-CR56001",
            county="Cole",
            offender=who,
            offense_class="felony_d",
            sentencing_date=today - dt.timedelta(days=200),
        )
        payee = rs.payee_create(name=PAYEE, kind="victim")
        rs.obligation_create(
            case=case,
            kind="restitution",
            ordered_amount=Decimal("1200.00"),
            ordered_on=today - dt.timedelta(days=180),
            payee=payee,
            monthly_amount=Decimal("100.00"),
            first_due_on=today - dt.timedelta(days=150),
        )
        rs.payment_post(
            offender=who,
            amount=Decimal("100.00"),
            received_on=today - dt.timedelta(days=20),
            method="money_order",
            idempotency_key="browser:restorative:1",
            entered_by=officer,
        )
        org = Organization.objects.create(name="Jefferson City Food Pantry", county="Cole", agency_status="non_profit")
        org.kinds.set(OrganizationKind.objects.filter(code="service_agency"))
        agency = Agency.objects.create(
            organization=org,
            ein="43-5600001",
            agreement_start=today - dt.timedelta(days=400),
            verifier_name="Sam Ortiz",
            verifier_email="sam@pantry.example.org",
            kinds_of_work="Sorting",
        )
        Order.objects.create(
            offender=who,
            case=case,
            hours_ordered=Decimal("40.00"),
            ordered_on=today - dt.timedelta(days=100),
            due_on=today + dt.timedelta(days=100),
        )
        cs.placement_create(user=officer, offender=who, agency=agency, start_on=today - dt.timedelta(days=100))
        assert job_run(name="supervision_review", run_date=today).outcome == "success"
    return {"person": who, "payees": [PAYEE]}


def test_an_officer_reads_the_record_and_prints_the_progress_report(site, page_as, person, tmp_path):
    who = person["person"]
    page = page_as("officer.d9")
    page.goto(site(f"/offenders/{who.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Restorative record").click()
    assert page.get_by_role("heading", name="Restitution and CVCF").is_visible()
    assert page.get_by_role("heading", name="Community service").is_visible()
    both_widths(page)
    # By keyboard: the purpose, then Enter submits the form; the PDF comes back.
    page.get_by_label("Version").select_option("court")
    page.get_by_label("For").fill("Court date Jan 12, 2027")
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as info:
        page.get_by_label("For").press("Enter")
    opened = info.value
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    response = page.request.get(opened.url)  # the kept copy, as the browser's PDF viewer opened it
    pdf = tmp_path / "progress.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Restorative progress report" in text and "Court date Jan 12, 2027" in text
    assert f"{who.first_name} {who.last_name}" in text
    for payee in person["payees"]:
        assert payee not in text
    page.goto(site(f"/offenders/{who.pk}/record/"))
    assert "Court date Jan 12, 2027" in page.get_by_role("heading", name="Copies kept").locator("xpath=..").inner_text()


def test_the_readiness_page_lists_the_person_with_what_is_left(site, page_as, person):
    who = person["person"]
    page = page_as("officer.d9")
    page.goto(site("/"))
    link = page.get_by_role("link", name="Discharge readiness", include_hidden=True)
    assert link.get_attribute("href") == "/readiness/"  # in the People menu
    page.goto(site("/readiness/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Discharge readiness"
    row = page.locator("tbody tr", has_text=who.last_name)
    assert row.count() == 1
    both_widths(page)
    page.get_by_label("Show", exact=True).select_option("unmet")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    both_widths(page)
    supervisor = page_as("supervisor.d9")
    supervisor.goto(site("/readiness/"))
    assert supervisor.locator("tbody tr", has_text=who.last_name).count() == 1
    both_widths(supervisor)
