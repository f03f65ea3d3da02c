"""A coordinator runs a board meeting on a 768 px tablet by keyboard (issue 15): attendance and recusals
with the quorum after them updated live, the victim's participation, the conditions, the two signatures;
then the mid-term review and closure. Every page through axe at 768 and 1280 px, no sideways scrolling."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import assert_page_is_accessible

pytestmark = pytest.mark.browser

BOARD_ONLY = "Board only: I still cross the street when I see the shop."


@pytest.fixture(scope="module")
def tablet_board(site, django_db_blocker):
    """A board of district 9 (quorum 2) with three trained members, a chair and an accepted referral."""
    from boards import services
    from core.models import CourtCase, User
    from tests.factories import boards as f

    with django_db_blocker.unblock():
        coordinator = User.objects.get(username="boards.d9")
        board = f.board(coordinator.district, coordinator, quorum=2, name="Tablet Reparation Board")
        chair = f.member(board, user=coordinator, name="Robin Chair")
        others = [f.member(board, user=coordinator, name=n) for n in ("Alex Second", "Jo Third")]
        services.chair_appoint(
            user=coordinator, member=chair, starts_on=dt.date(2026, 1, 15), ends_on=dt.date(2026, 12, 31)
        )
        case = CourtCase.objects.filter(offender__district=coordinator.district).order_by("-pk").first()
        referral = f.accepted(board, case, user=coordinator)
        person = case.offender
    return {"referral": referral, "chair": chair, "others": others, "person": person}


def both_widths(page):
    """At 768 px first (the tablet), then at 1280."""
    page.set_viewport_size({"width": 768, "height": 1024})
    assert_page_is_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url
    page.set_viewport_size({"width": 1280, "height": 720})
    assert_page_is_accessible(page)
    page.set_viewport_size({"width": 768, "height": 1024})


def tick(page, label):
    page.get_by_label(label).focus()
    page.keyboard.press("Space")


def type_into(page, label, text):
    page.get_by_label(label).focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def test_a_coordinator_runs_a_meeting_on_a_tablet_by_keyboard(site, page_as, tablet_board, django_db_blocker):
    t = tablet_board
    page = page_as("boards.d9")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(site(t["referral"].get_absolute_url()))
    page.get_by_role("link", name="Run a meeting").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meeting/$"))
    both_widths(page)

    page.get_by_label("Date").fill("2026-03-02")
    type_into(page, "Place", "Jefferson City library")
    fieldset_present = page.get_by_role("group", name="Members present")
    fieldset_recused = page.get_by_role("group", name="Members who recused themselves")
    for name in ("Robin Chair", "Alex Second", "Jo Third"):
        fieldset_present.get_by_label(name).focus()
        page.keyboard.press("Space")
    quorum = page.locator("#quorum")
    quorum.filter(has_text="3 members voting after recusals").wait_for()
    fieldset_recused.get_by_label("Jo Third").focus()
    page.keyboard.press("Space")
    quorum.filter(has_text="2 members voting after recusals").wait_for()
    assert "quorum met" in quorum.inner_text()
    fieldset_recused.get_by_label("Alex Second").focus()
    page.keyboard.press("Space")
    quorum.filter(has_text="no quorum").wait_for()
    page.keyboard.press("Space")  # Alex Second takes part after all
    quorum.filter(has_text="quorum met").wait_for()
    tick(page, "The person attended")
    page.get_by_label("The victim's participation").select_option("written_board_only")
    type_into(page, "What the victim wrote for the board only", BOARD_ONLY)
    type_into(page, "Minutes", "The person explained what happened and apologised.")
    both_widths(page)
    page.get_by_role("button", name="Record the meeting").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/agreement/$"))
    assert "Meeting recorded." in page.content()
    both_widths(page)
    first = page.get_by_role("group", name="Condition 1")
    first.get_by_label("Condition").select_option("apology")
    first.get_by_label("What it asks").focus()
    page.keyboard.type("A letter to the shop owner")
    second = page.get_by_role("group", name="Condition 2")
    second.get_by_label("Condition").select_option("service_hours")
    second.get_by_label("What it asks").focus()
    page.keyboard.type("Food bank")
    second.get_by_label("Hours (community service)").focus()
    page.keyboard.type("12")
    page.get_by_role("button", name="Approve the agreement").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/sign/$"))
    assert "Agreement approved." in page.content()
    assert BOARD_ONLY not in page.content()
    both_widths(page)
    person = t["person"]
    page.locator("#id_person-typed_name").focus()
    page.keyboard.type(f"{person.first_name} {person.last_name}")
    page.locator("#id_person-agreed").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Sign as the person").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Signed by the person.").wait_for()
    both_widths(page)
    page.locator("#id_chair-typed_name").focus()
    page.keyboard.type("Robin Chair")
    page.locator("#id_chair-agreed").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Sign as the chair").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Signed by the chair.").wait_for()
    assert "Robin Chair" in page.content() and re.search(r"/agreements/\d+/$", page.url)
    both_widths(page)

    page.get_by_role("link", name="Mid-term review").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review/$"))
    both_widths(page)
    page.get_by_label("Reviewed on").fill("2026-04-16")
    type_into(page, "What the board found", "The letter is written; hours under way.")
    page.get_by_role("button", name="Mid-term review").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Mid-term review recorded.").wait_for()

    page.get_by_role("link", name="Close the agreement").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/close/$"))
    both_widths(page)
    page.get_by_label("Closed on").fill("2026-06-01")
    page.get_by_label("Outcome").select_option("failed")
    type_into(page, "The board's assessment for the court", "Did not do the hours; returned to court.")
    page.get_by_role("button", name="Close the agreement").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Agreement closed.").wait_for()
    assert "Failed, returned to court" in page.content()
    both_widths(page)

    # the meeting's page: the board-only text for the coordinator, marked as such
    with django_db_blocker.unblock():
        meeting_url = t["referral"].meetings.get().get_absolute_url()
    page.goto(site(meeting_url))
    assert BOARD_ONLY in page.content() and "For the board only" in page.content()
    both_widths(page)


def test_an_officer_refers_a_person_by_keyboard(site, page_as, tablet_board, django_db_blocker):
    from core.models import Offender, User

    with django_db_blocker.unblock():
        officer = User.objects.get(username="officer.d9")
        person = Offender.objects.filter(supervising_officer=officer, cases__isnull=False).order_by("pk").first()
    page = page_as("officer.d9")
    page.goto(site(f"/boards/refer/{person.pk}/"))
    both_widths(page)
    page.get_by_label("Board").select_option(label="Tablet Reparation Board")
    page.get_by_label("Case").select_option(index=1)
    type_into(page, "Reason", "Wants to repair the harm")
    page.get_by_role("button", name="Refer").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Referred to Tablet Reparation Board").wait_for()
    both_widths(page)
