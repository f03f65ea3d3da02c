"""Victim impact classes in Chromium: a facilitator takes today's attendance on a 768 px tablet from the
keyboard (one key press per person, htmx), the grid shows what each person lacks, and a certificate's
code verifies publicly without naming anyone. Every page passes axe-core at 1280 and at 768 px, without
sideways scrolling on the tablet."""

import datetime as dt

import pytest

from tests.browser.conftest import assert_page_is_accessible
from tests.browser.test_tablet_lists import OVERFLOW_JS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def classes(site, django_db_blocker):
    """A JCCC class whose third session is today, three people in it; a completed course (its code)."""
    from django.utils import timezone

    from classes import services
    from core.models import Facility, Offender
    from tests.factories.classes import attend_all, enroll, offering

    today = timezone.localdate()
    with django_db_blocker.unblock():
        jccc = Facility.objects.get(code="JCCC")
        o = offering(jccc, title="Browser Tuesday class", start=today - dt.timedelta(days=14))
        people = []
        for i, (first, last) in enumerate((("Avery", "Quinlan"), ("Blake", "Rutherford"), ("Casey", "Stanwick"))):
            p = Offender.objects.create(
                doc_id=f"770000{i}",
                first_name=first,
                last_name=last,
                date_of_birth=dt.date(1990, 1, 1 + i),
                status="incarcerated",
                facility=jccc,
            )
            enroll(o, p)
            people.append(p)
        done_person = Offender.objects.create(
            doc_id="7700009",
            first_name="Dakota",
            last_name="Villanueva",
            date_of_birth=dt.date(1985, 5, 5),
            status="incarcerated",
            facility=jccc,
        )
        finished = offering(jccc, title="Browser spring class", start=today - dt.timedelta(days=200), weekly=False)
        e = enroll(finished, done_person)
        attend_all(finished, done_person)
        done = services.enrollment_complete(enrollment=e, user=None, on=today - dt.timedelta(days=150))
    return {"offering": o, "people": people, "done": done, "today": today}


def no_sideways_scrolling(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    assert page.evaluate(OVERFLOW_JS) == []


def both_widths(page, *, tablet_scrolls_inside=False):
    assert_page_is_accessible(page)
    page.set_viewport_size({"width": 768, "height": 1024})
    assert_page_is_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    if not tablet_scrolls_inside:
        assert page.evaluate(OVERFLOW_JS) == []
    page.set_viewport_size({"width": 1280, "height": 720})


def test_facilitator_takes_attendance_on_a_tablet_by_keyboard(site, page_as, classes):
    from classes.models import Attendance

    page = page_as("staff.jccc")
    page.set_viewport_size({"width": 768, "height": 1024})
    try:
        page.goto(site("/classes/roster/"))
        assert "Browser Tuesday class" in page.content()
        assert_page_is_accessible(page)
        no_sideways_scrolling(page)
        session = classes["offering"].sessions.order_by("date")[2]
        assert session.date == classes["today"]
        for person, key, status, shown in zip(
            classes["people"],
            ("Enter", " ", "Enter"),
            ("present", "late", "absent"),
            ("Present, 4.00 h", "Late, 4.00 h", "Absent"),
            strict=True,
        ):
            button_id = f"mark-{session.pk}-{person.pk}-{status}"
            page.locator(f"#{button_id}").focus()
            page.keyboard.press(key)
            status_line = page.locator(f"#status-{session.pk}-{person.pk}")
            status_line.filter(has_text=shown).wait_for()
            assert page.locator(f"#{button_id}").get_attribute("aria-pressed") == "true"
            # the key press kept the focus where it was: the next Tab goes on along the row
            assert page.evaluate("() => document.activeElement.id") == button_id
        # a second tap corrects: absent becomes excused, by Tab from the focused button and Enter
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id").endswith("-excused")
        page.keyboard.press("Enter")
        page.locator(f"#status-{session.pk}-{classes['people'][2].pk}").filter(has_text="Excused").wait_for()
        assert_page_is_accessible(page)
        no_sideways_scrolling(page)
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    statuses = dict(Attendance.objects.filter(session=session).values_list("offender__last_name", "status"))
    assert statuses == {"Quinlan": "present", "Rutherford": "late", "Stanwick": "excused"}


def test_grid_session_person_waiting_pages_pass_axe(site, page_as, classes):
    o = classes["offering"]
    page = page_as("staff.jccc")
    page.goto(site(o.get_absolute_url()))
    assert "Still lacks" in page.content() and "Homicide (4.00 h)" in page.content()
    both_widths(page, tablet_scrolls_inside=True)  # the grid's ten sessions scroll inside its region
    page.goto(site(o.sessions.order_by("date").first().get_absolute_url()))
    both_widths(page)
    page.goto(site(f"/classes/people/{classes['people'][0].pk}/"))
    assert "Progress by topic" in page.content()
    both_widths(page)
    page.goto(site(f"/classes/waiting/?facility={o.facility_id}"))
    both_widths(page)
    page.goto(site(f"/classes/enrollments/{classes['done'].pk}/"))
    both_widths(page)
    for path in ("/classes/offerings/", "/classes/enrollments/", "/classes/attendance/", "/classes/referrals/"):
        page.goto(site(path))
        both_widths(page)
    admin = page_as("auditor")
    admin.goto(site("/classes/statewide/"))
    both_widths(admin)


def test_certificate_verifies_publicly_without_naming_anyone(site, page_as, classes):
    done = classes["done"]
    visitor = page_as(None)
    visitor.goto(site(f"/classes/verify/{done.certificate_code}/"))
    assert visitor.get_by_role("heading", level=1).inner_text() == "Certificate verification"
    text = visitor.locator("main").inner_text()
    assert "This certificate is valid." in text and "Jefferson City Correctional Center" in text
    for secret in ("Dakota", "Villanueva", "7700009"):
        assert secret not in visitor.content()
    both_widths(visitor)
    visitor.goto(site("/classes/verify/NOTAREALCODE/"))
    assert "No certificate has this code" in visitor.content()
    both_widths(visitor)


def test_sessions_generated_from_the_curriculum_and_a_curriculum_revised(site, page_as, django_db_blocker):
    """A facilitator generates a new class's ten sessions (preview, then create) by keyboard; an
    administrator revises a curriculum into a new version (preview, then create). Axe at both widths."""
    from decimal import Decimal

    from django.utils import timezone

    from classes import services
    from classes.models import CurriculumVersion, Offering, Topic
    from core.models import Facility, User

    today = timezone.localdate()
    start = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    with django_db_blocker.unblock():
        admin = User.objects.filter(role="administrator").order_by("pk").first()
        fresh = services.offering_save(
            offering=Offering(
                facility=Facility.objects.get(code="JCCC"),
                version=services.curriculum_missouri(),
                title="Browser generated class",
                capacity=10,
                starts_on=start,
            ),
            user=admin,
            facilitators=[],
        )
        topics = list(Topic.objects.order_by("name")[:2])
        custom = services.curriculum_create(
            user=admin,
            name="Browser curriculum",
            number=1,
            effective_on=today,
            sessions=[(topics[0], Decimal("2.5")), (topics[1], Decimal("2.5"))],
        )

    page = page_as("staff.jccc")
    page.goto(site(f"/classes/offerings/{fresh.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Schedule the sessions from the curriculum").click()
    both_widths(page)
    page.get_by_label("Monday").check()  # the start's weekday is already checked; add Wednesday
    page.get_by_label("Wednesday").press("Space")
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_label("Ends at").fill("13:00")
    page.get_by_label("Room").fill("Library")
    with page.expect_navigation():
        page.get_by_label("Room").press("Enter")  # the first button: Preview
    assert page.get_by_role("heading", name="Preview").is_visible()
    both_widths(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create 10 sessions").click()
    assert "Scheduled 10 sessions for Browser generated class." in page.get_by_role("status").first.inner_text()
    both_widths(page, tablet_scrolls_inside=True)

    admin_page = page_as("admin")
    admin_page.goto(site(custom.get_absolute_url()))
    with admin_page.expect_navigation():
        admin_page.get_by_role("link", name="Revise: make version 2").click()
    both_widths(admin_page)
    admin_page.locator("#id_sessions-1-hours").fill("3")
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Preview").click()
    assert admin_page.get_by_role("heading", name="Version 2: preview").is_visible()
    both_widths(admin_page)
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Create version 2").click()
    assert "Created Browser curriculum, version 2." in admin_page.get_by_role("status").first.inner_text()
    both_widths(admin_page)
    with django_db_blocker.unblock():
        assert CurriculumVersion.objects.get(name="Browser curriculum", number=2).sessions.count() == 2
