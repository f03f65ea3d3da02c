"""The classes' pages: the grid, the roster's one tap (htmx), a person's progress, the waiting list, the
statewide view, the certificate and its public page (nothing personal), the speaker conflict block."""

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse

from classes import services
from classes.choices import AttendanceStatus, BookingStatus, EnrollmentStatus
from classes.models import Attendance, Enrollment, SpeakerBooking
from core.choices import OffenderStatus
from tests.factories import OffenderFactory
from tests.factories.classes import attend_all, enroll, mark, offering, speaker

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    from tests.conftest import require_program

    require_program("pdftotext", "the tests read the certificate's text")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def inmate(facility, doc_id, **kw):
    return OffenderFactory(doc_id=doc_id, status=OffenderStatus.INCARCERATED, facility=facility, district=None, **kw)


@pytest.fixture
def completed(world):
    o = offering(world.jccc)
    person = inmate(world.jccc, "4000001", first_name="Quillon", last_name="Brackenridge")
    e = enroll(o, person)
    attend_all(o, person)
    return services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1))


def test_offering_grid_shows_each_person_and_what_they_lack(world, client_for):
    o = offering(world.jccc)
    a, b = inmate(world.jccc, "4000010"), inmate(world.jccc, "4000011")
    enroll(o, a)
    enroll(o, b)
    attend_all(o, a, skip={9})
    mark(o.sessions.order_by("date")[0], b, AttendanceStatus.ABSENT)
    html = client_for(world.staff_jccc).get(o.get_absolute_url()).content.decode()
    assert a.last_name in html and b.last_name in html
    assert "Homicide (4.00 h)" in html
    assert '<abbr title="Absent">A</abbr>' in html
    assert client_for(world.staff_acc).get(o.get_absolute_url()).status_code == 404


def test_roster_for_today_and_one_tap_by_htmx(world, client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC))
    o = offering(world.jccc)
    p = inmate(world.jccc, "4000020")
    enroll(o, p)
    client = client_for(world.staff_jccc)
    html = client.get(reverse("classes:roster")).content.decode()
    assert p.last_name in html and "Overview of victimization" in html
    session = o.sessions.order_by("date").first()
    url = reverse("classes:session_mark", args=[session.pk])
    response = client.post(url, {"offender": p.pk, "status": "late"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith("<li") and 'aria-pressed="true"' in body and "Late, 4.00 h" in body
    client.post(url, {"offender": p.pk, "status": "present"}, HTTP_HX_REQUEST="true")
    entry = Attendance.objects.get(session=session, offender=p)
    assert entry.status == AttendanceStatus.PRESENT and entry.entered_by == world.staff_jccc
    # ACC staff cannot mark a JCCC session; bad input is refused and writes nothing
    assert client_for(world.staff_acc).post(url, {"offender": p.pk, "status": "present"}).status_code == 404
    response = client_for(world.staff_jccc).post(url, {"offender": p.pk, "status": "asleep"}, HTTP_HX_REQUEST="true")
    assert "Choose a status" in response.content.decode()
    assert Attendance.objects.get(session=session, offender=p).status == AttendanceStatus.PRESENT


def test_one_tap_only_for_someone_on_the_roster(world, client_for):
    """A person enrolled elsewhere is added as a make-up through the form (DOC ID in scope), never by id."""
    o, other = offering(world.jccc), offering(world.acc, title="ACC")
    enroll(other, world.supervised)  # officer.d9's person, in a class at ACC
    session = o.sessions.order_by("date").first()
    url = reverse("classes:session_mark", args=[session.pk])
    response = client_for(world.staff_jccc).post(url, {"offender": world.supervised.pk, "status": "present"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_marking_a_future_session_is_refused(world, client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC))
    o = offering(world.jccc)
    p = inmate(world.jccc, "4000021")
    enroll(o, p)
    later = o.sessions.order_by("date").last()
    client = client_for(world.staff_jccc)
    client.post(reverse("classes:session_mark", args=[later.pk]), {"offender": p.pk, "status": "present"})
    assert not Attendance.objects.filter(session=later).exists()


def test_person_progress_follows_the_person_and_scope(world, client_for):
    o = offering(world.jccc)
    e = enroll(o, world.inmate)
    attend_all(o, world.inmate, skip={3})
    url = reverse("classes:person", args=[world.inmate.pk])
    html = client_for(world.staff_jccc).get(url).content.decode()
    assert "Lacks 4.00 h" in html and "Domestic violence" in html
    assert client_for(world.officer).get(url).status_code == 404  # not their person
    assert client_for(world.victims).get(url).status_code == 404
    assert client_for(world.auditor).get(url).status_code == 200
    assert client_for(world.staff_jccc).get(e.get_absolute_url()).status_code == 200


def test_officer_sees_their_persons_progress_not_others(world, client_for):
    o = offering(world.acc)
    mine = enroll(o, world.supervised)
    other = enroll(o, world.supervised_d10)
    client = client_for(world.officer)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("classes:person", args=[world.supervised.pk])).status_code == 200
    listing = client.get(reverse("classes:enrollment_list")).content.decode()
    assert world.supervised.last_name in listing and world.supervised_d10.last_name not in listing
    # read only: the officer cannot complete or end it
    client.post(
        reverse("classes:enrollment_end", args=[mine.pk]), {"status": "withdrawn", "reason": "x", "on": "2026-03-03"}
    )
    mine.refresh_from_db()
    assert mine.status == EnrollmentStatus.ENROLLED


def test_enrollment_end_form_bad_input_changes_nothing(world, client_for):
    o = offering(world.jccc)
    e = enroll(o, inmate(world.jccc, "4000030"))
    client = client_for(world.staff_jccc)
    for data in (
        {"status": "withdrawn", "reason": "", "on": "2026-03-03"},
        {"status": "completed", "reason": "x", "on": "2026-03-03"},
        {"status": "withdrawn", "reason": "x", "on": "not a date"},
        {"status": "withdrawn", "reason": "x", "on": "2026-01-01"},  # before the enrollment
        {"status": "withdrawn", "reason": "x\x00", "on": "2026-03-03"},
    ):
        response = client.post(reverse("classes:enrollment_end", args=[e.pk]), data, follow=True)
        assert response.status_code == 200
        e.refresh_from_db()
        assert e.status == EnrollmentStatus.ENROLLED, data
    response = client.post(
        reverse("classes:enrollment_test", args=[e.pk]), {"kind": "pretest", "score": "50"}, follow=True
    )
    assert "no pre-test" in response.content.decode()


def test_complete_button_refuses_with_what_lacks(world, client_for):
    o = offering(world.jccc)
    e = enroll(o, inmate(world.jccc, "4000031"))
    response = client_for(world.staff_jccc).post(reverse("classes:enrollment_complete", args=[e.pk]), follow=True)
    assert "Not complete: still lacks" in response.content.decode()
    e.refresh_from_db()
    assert e.status == EnrollmentStatus.ENROLLED


def test_enroll_from_the_offering_page_and_bad_input(world, client_for):
    o = offering(world.jccc, capacity=1)
    a, b = inmate(world.jccc, "4000040"), inmate(world.jccc, "4000041")
    client = client_for(world.staff_jccc)
    url = reverse("classes:offering_enroll", args=[o.pk])
    for data in ({}, {"count": "-1"}, {"count": "x"}, {"doc_id": "99999999"}):
        client.post(url, data)
    assert not Enrollment.objects.exists()
    client.post(url, {"doc_id": a.doc_id})
    response = client.post(url, {"doc_id": b.doc_id}, follow=True)
    assert "The class is full (1 seats)." in response.content.decode()
    assert list(Enrollment.objects.values_list("offender", flat=True)) == [a.pk]


def test_waiting_list_page_in_order_per_facility(world, client_for):
    # Names no factory user can have: the page also shows the signed-in user's name (a "Richards" once).
    soon = inmate(world.jccc, "4000050", supervision_end_date=dt.date(2027, 1, 1), last_name="Soonwaite")
    late = inmate(world.jccc, "4000051", supervision_end_date=dt.date(2030, 1, 1), last_name="Latterby")
    for p in (late, soon):
        services.referral_create(user=world.staff_jccc, offender=p, facility=world.jccc, source="facility")
    html = client_for(world.staff_jccc).get(reverse("classes:waiting")).content.decode()
    assert html.index(soon.last_name) < html.index(late.last_name)
    other = client_for(world.staff_acc).get(reverse("classes:waiting"), {"facility": world.jccc.pk}).content.decode()
    assert soon.last_name not in other
    assert client_for(world.officer).get(reverse("classes:waiting")).status_code == 404


def test_statewide_view_for_administrators_and_auditors(world, client_for):
    o = offering(world.jccc)
    enroll(o, world.inmate)
    html = client_for(world.auditor).get(reverse("classes:statewide")).content.decode()
    assert "JCCC" in html and "Overview of victimization" in html
    assert client_for(world.staff_jccc).get(reverse("classes:statewide")).status_code == 404


# The certificate and its public page ---------------------------------------------------------------------
def test_certificate_pdf_names_the_person_and_the_code(world, client_for, completed):
    response = client_for(world.staff_jccc).get(reverse("classes:enrollment_certificate", args=[completed.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Quillon Brackenridge" in text and completed.certificate_code in text and "40.00-hour" in text


def test_verification_page_reveals_nothing_personal(world, client, completed):
    url = reverse("classes:verify", args=[completed.certificate_code])
    assert url == f"/classes/verify/{completed.certificate_code}/"
    response = client.get(url)  # nobody signed in
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid." in html
    assert "Impact of Crime on Victims (Missouri)" in html and "Jefferson City Correctional Center" in html
    assert "Jun 1, 2026" in html or "June 1, 2026" in html
    person = completed.offender
    for secret in (
        person.first_name,
        person.last_name,
        person.doc_id,
        f"/offenders/{person.pk}/",
        f"/classes/people/{person.pk}/",
        f"/classes/enrollments/{completed.pk}/",
        person.date_of_birth.isoformat(),
    ):
        assert secret not in html
    assert not re.search(r"\b4000001\b", html)


def test_verification_page_for_a_wrong_or_withdrawn_code(world, client, completed):
    real = completed.certificate_code
    # one character changed (never to itself: a code ending in X once made this "wrong" code the real one)
    changed = real[:-1] + ("Y" if real[-1] == "X" else "X")
    assert changed != real
    for code in ("ABCDEFGHJKLM", changed.lower(), "' or 1=1 --", "x" * 300):
        response = client.get(reverse("classes:verify", args=[code]))
        assert response.status_code == 404 and "No certificate has this code" in response.content.decode()
    # lower case is read as upper case (typed from paper)
    assert client.get(reverse("classes:verify", args=[completed.certificate_code.lower()])).status_code == 200


# Guest speakers -----------------------------------------------------------------------------------------
def test_speaker_booking_blocked_by_a_conflict_until_victim_services_clears_it(world, client_for):
    from tests.factories.victims import NAME, make_victim

    o = offering(world.acc)
    enroll(o, world.supervised)  # officer.d9's person, whose case has a victim
    make_victim(cases=[world.case])
    volunteer = speaker(name=NAME.upper(), phone="573 555 9999")
    session = o.sessions.order_by("date").first()
    client = client_for(world.victims)
    response = client.post(
        reverse("classes:session_book_speaker", args=[session.pk]), {"speaker": volunteer.pk}, follow=True
    )
    booking = SpeakerBooking.objects.get()
    assert booking.status == BookingStatus.BLOCKED and booking.conflict_references.startswith("victims:C-")
    html = response.content.decode()
    assert "Possible conflict: refer to victim services" in html
    # the facility sees that a speaker is coming, never who, and cannot clear it
    staff = client_for(world.staff_acc)
    page = staff.get(booking.get_absolute_url()).content.decode()
    assert NAME.upper() not in page and NAME not in page and "573 555 9999" not in page
    assert volunteer.reference in page
    staff.post(reverse("classes:booking_clear", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BLOCKED
    assert staff.get(volunteer.get_absolute_url()).status_code == 404
    assert client_for(world.officer).get(volunteer.get_absolute_url()).status_code == 404
    # victim services reviews and clears it
    client = client_for(world.victims)  # the one test client, signed in again
    client.post(reverse("classes:booking_clear", args=[booking.pk]), {"note": "Not the victim: another person"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and booking.cleared_by == world.victims


def test_speaker_booked_at_once_without_a_conflict(world):
    o = offering(world.jccc)
    enroll(o, world.inmate)
    booking = services.speaker_book(user=world.victims, speaker=speaker(), session=o.sessions.first())
    assert booking.status == BookingStatus.BOOKED and booking.conflict_references == ""
    with pytest.raises(Exception, match="already booked"):
        services.speaker_book(user=world.victims, speaker=booking.speaker, session=o.sessions.first())


def test_only_coordinators_book_speakers(world):
    from django.core.exceptions import PermissionDenied

    o = offering(world.jccc)
    with pytest.raises(PermissionDenied):
        services.speaker_book(user=world.staff_jccc, speaker=speaker(), session=o.sessions.first())
