"""Victims in Chromium: victim services records an impact statement; the officer produces the court
report's victim section without ever seeing who or where the victim is; every page passes axe at
1280 and 768 px."""

import re

import pytest

from tests.browser.conftest import assert_page_is_accessible, both_widths

pytestmark = pytest.mark.browser

NAME = "Odalys Brightwater-Kemp"
ADDRESS = "8812 Larkspur Bend, Holts Summit, MO 65043"


@pytest.fixture(scope="module")
def on_caseload(site, django_db_blocker):
    """A victim of a person officer.d9 supervises, recorded by victim services."""
    from core.models import CourtCase, User
    from tests.factories.victims import make_victim

    with django_db_blocker.unblock():
        clerk = User.objects.get(username="victims")
        case = CourtCase.objects.filter(offender__supervising_officer__username="officer.d9").order_by("pk").first()
        victim = make_victim(
            cases=[case], user=clerk, identity={"name": NAME, "address": ADDRESS, "phone": "573-555-0177"}
        )
    return victim, case


def test_victim_services_records_a_statement(site, page_as, on_caseload):
    victim, case = on_caseload
    page = page_as("victims")
    page.goto(site("/victims/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Victims"
    both_widths(page)
    page.goto(site("/victims/add/"))
    both_widths(page)
    # Safe at Home hides the real-address fields (static script; the server refuses them anyway).
    page.get_by_label("Safe at Home participant").check()
    assert not page.get_by_label("Home address").is_visible()
    assert page.get_by_label("Designated address").is_visible()
    page.goto(site(victim.get_absolute_url()))
    assert NAME in page.content()
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record a statement").click()
    both_widths(page)
    page.get_by_label("Case").select_option(str(case.pk))
    page.get_by_label("Received on").fill("2026-02-14")
    page.get_by_label("Received by").select_option("letter")
    page.get_by_label("Physical injury").fill("Bruised ribs")
    page.get_by_label("The statement in the victim's words").fill("I still check the locks every night.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "I still check the locks every night." in page.content()
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Add a loss").click()
    page.get_by_label("Category").select_option("medical")
    page.get_by_label("Amount").fill("412.50")
    with page.expect_navigation():
        page.get_by_label("Amount").press("Enter")
    assert "$412.50" in page.content()
    page.goto(site("/victims/read-log/"))
    both_widths(page)
    page.goto(site("/victims/conflicts/"))
    both_widths(page)


def test_the_officer_produces_the_victim_section_without_seeing_the_victim(site, page_as, on_caseload):
    victim, case = on_caseload
    page = page_as("officer.d9")
    page.goto(site(f"/victims/cases/{case.pk}/"))
    assert victim.reference in page.content()
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Produce a draft").click()
    assert "is produced" in page.get_by_role("status").first.inner_text()
    html = page.content()
    assert NAME not in html and "Larkspur" not in html and "555-0177" not in html
    both_widths(page)
    page.goto(site(victim.get_absolute_url()))
    html = page.content()
    assert NAME not in html and "Larkspur" not in html
    both_widths(page)


@pytest.fixture(scope="module")
def notices(site, django_db_blocker):
    """A victim who asked for a call and a letter; a parole hearing of their offender makes the notices."""
    import datetime as dt

    from core.models import CourtCase, User
    from core.services import parole_hearing_record
    from tests.factories.victims import make_victim
    from victims.services import notifications_for_event

    with django_db_blocker.unblock():
        clerk = User.objects.get(username="victims")
        case = CourtCase.objects.filter(offender__supervising_officer__username="officer.d9").order_by("-pk").first()
        make_victim(
            cases=[case],
            user=clerk,
            identity={"name": "Theodora Vance", "phone": "573-555-0103"},
            notification_requested_on=dt.date(2026, 1, 5),
            notify_by_phone=True,
            notify_by_mail=True,
        )
        hearing = parole_hearing_record(
            offender=case.offender, hearing_date=dt.date(2026, 11, 20), outcome="denied", user=clerk
        )
        from core.models import OffenderEvent
        from victims.models import Notification

        # The event's delivery made them after the commit; calling the handler again adds nothing.
        assert notifications_for_event(OffenderEvent.objects.get(hearing=hearing)) == []
        return list(Notification.objects.filter(event__hearing=hearing))


def test_victim_services_works_the_notices_from_the_keyboard(site, page_as, notices):
    """The list, a call recorded from the keyboard (a wrong submission first), the letter's page."""
    assert len(notices) == 2
    page = page_as("victims")
    page.goto(site("/victims/notifications/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Victim notifications"
    both_widths(page)
    page.get_by_label("Channel").select_option("phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").press("Enter")
    with page.expect_navigation():
        page.locator("tbody a").first.press("Enter")
    assert "Call the victim" in page.content() and "573-555-0103" in page.content()
    both_widths(page)
    # Submitting without an outcome: the error summary takes the focus and nothing is recorded.
    with page.expect_navigation():
        page.get_by_role("button", name="Record the call").press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    assert "No attempt yet." in page.content()
    both_widths(page)
    page.get_by_label("Call: told the victim").focus()
    page.keyboard.press("Space")
    page.get_by_label("Note").fill("Told her of the hearing's outcome.")
    with page.expect_navigation():
        page.get_by_label("Note").press("Enter")
    assert "Told her of the hearing" in page.content() and "573-555-0103" not in page.content()
    # A letter's notice links its PDF.
    page.goto(site("/victims/notifications/?channel=mail&status=pending"))
    with page.expect_navigation():
        page.locator("tbody a").first.click()
    assert page.get_by_role("link", name="Open the letter (PDF)").is_visible()
    both_widths(page)
    auditor = page_as("auditor")
    auditor.goto(site("/victims/notifications/?status="))
    both_widths(auditor)


def test_a_victim_writes_the_statement_online_on_a_phone(site, page_as, on_caseload, browser):
    """Victim services makes the link; the victim, on a 390 px phone without an account, switches to
    Spanish, types (kept as they go), makes a mistake, corrects it and sends; every page passes axe."""
    victim, case = on_caseload
    staff = page_as("victims")
    staff.goto(site(f"/victims/{victim.pk}/statement-link/"))
    both_widths(staff)
    staff.get_by_label("Court case").select_option(str(case.pk))
    with staff.expect_navigation():
        staff.get_by_role("button", name="Make the link").click()
    url = staff.get_by_label(re.compile("The link")).input_value()
    both_widths(staff)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]

    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        phone.goto(site(path))
        assert_page_is_accessible(phone)
        with phone.expect_navigation():
            phone.get_by_role("link", name="Español").click()
        assert phone.locator("html").get_attribute("lang") == "es"
        assert "0 de 20000 caracteres" in phone.locator("main").inner_text()  # the counter speaks Spanish too
        assert_page_is_accessible(phone)
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        phone.get_by_label("¿Cómo le ha afectado el delito emocionalmente?").fill("No duermo bien.")
        phone.keyboard.press("Tab")  # leaving the field saves what was typed
        phone.get_by_text("Guardado", exact=False).first.wait_for()
        phone.get_by_label("Tipo de pérdida (pérdida 1)").select_option("medical")
        phone.get_by_label("Cantidad en dólares (pérdida 1)").fill("doce")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Enviar mi declaración").press("Enter")
        assert "Escriba una cantidad en dólares" in phone.content()
        assert phone.evaluate("() => document.activeElement.id") == "form-errors"
        assert_page_is_accessible(phone)
        phone.get_by_label("Cantidad en dólares (pérdida 1)").fill("85.20")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Enviar mi declaración").press("Enter")
        assert "Gracias. Su declaración fue enviada." in phone.content()
        assert_page_is_accessible(phone)
        phone.goto(site(path))
        assert "ya fue enviada" in phone.content() or "already sent" in phone.content()
        assert_page_is_accessible(phone)
    finally:
        context.close()
    from victims.models import ImpactStatement

    statement = ImpactStatement.objects.filter(victim=victim, status="draft").get()
    staff.goto(site(statement.get_absolute_url()))
    assert "No duermo bien." in staff.content()
    both_widths(staff)
