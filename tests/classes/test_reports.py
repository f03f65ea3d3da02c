"""The classes' reports through the catalog, the public figure with its baseline apart, the timeline."""

import datetime as dt

import pytest

from classes import services
from classes.selectors import completions_in_year, completions_total
from core.choices import OffenderStatus
from core.registry import registry
from tests.factories import OffenderFactory
from tests.factories.classes import attend_all, mark, offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    o = offering(world.jccc)
    people = [
        OffenderFactory(doc_id=f"810000{i}", status=OffenderStatus.INCARCERATED, facility=world.jccc, district=None)
        for i in range(3)
    ]
    for p in people:
        services.referral_create(
            user=world.staff_jccc, offender=p, facility=world.jccc, source="facility", referred_on=dt.date(2026, 2, 1)
        )
    done = services.enroll_from_waiting_list(user=world.staff_jccc, offering=o, count=3, enrolled_on=o.starts_on)
    attend_all(o, people[0])
    services.enrollment_complete(enrollment=done[0], user=world.admin, on=dt.date(2026, 6, 1))
    sessions = list(o.sessions.order_by("date"))
    mark(sessions[0], people[1], "absent")
    services.session_not_held(user=world.admin, session=sessions[1], reason="count")
    waiting = OffenderFactory(doc_id="8100009", status=OffenderStatus.INCARCERATED, facility=world.jccc, district=None)
    services.referral_create(user=world.staff_jccc, offender=waiting, facility=world.jccc, source="board")
    return o


def test_completions_report_by_facility_and_year_with_the_baseline_apart(world, client_for, history):
    html = client_for(world.staff_jccc).get("/reports/run/classes-completions/", {"format": "html"}).content.decode()
    assert "Completions by year, facility and district" in html and "JCCC" in html
    assert "historical baseline" in html
    csv = client_for(world.admin).get("/reports/run/classes-completions/", {"format": "csv", "year": 2026})
    assert csv.status_code == 200 and b"2026,JCCC" in csv.content
    assert (
        client_for(world.staff_acc).get("/reports/run/classes-completions/", {"format": "csv"}).content.count(b"JCCC")
        == 0
    )


def test_attendance_and_waiting_reports(world, client_for, history):
    client = client_for(world.admin)
    html = client.get("/reports/run/classes-attendance/", {"format": "html"}).content.decode()
    assert "Not held" in html and "JCCC" in html
    html = client.get("/reports/run/classes-waiting/", {"format": "html"}).content.decode()
    assert "People waiting" in html and "Referral to enrollment" in html
    pdf = client.get("/reports/run/classes-waiting/", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_public_figure_counts_recorded_completions_and_is_cumulative(world, history):
    figure = registry.figures["classes-completions"]
    assert figure.cumulative and figure.compute() == completions_total() == 1
    assert figure.compute_year(2026) == completions_in_year(2026) == 1 and figure.compute_year(2025) == 0


def test_timeline_shows_enrollment_and_completion(world, client_for, history):
    person = history.enrollments.filter(status="completed").get().offender
    html = client_for(world.staff_jccc).get(f"/offenders/{person.pk}/timeline/").content.decode()
    assert "Enrolled in the victim impact class" in html and "Class completed" in html
