"""The classes' API: records in scope, what each enrollment lacks, attendance voided with a reason; referrals,
enrollments and attendance written through the services (clear 400s, nothing stored, scope)."""

import datetime as dt

import pytest
from django.utils import timezone

from classes import services
from classes.models import Attendance, Enrollment
from tests.factories import OffenderFactory
from tests.factories.classes import attend_all, enroll, mark, offering

pytestmark = pytest.mark.django_db


def test_progress_lists_what_each_enrollment_lacks_in_scope(world, client_for):
    o = offering(world.acc)
    mine = enroll(o, world.supervised)
    enroll(o, world.supervised_d10)
    attend_all(o, world.supervised, skip={9})
    body = client_for(world.officer).get("/api/v1/classes/progress/").json()
    assert body["count"] == 1
    (row,) = body["results"]
    homicide = o.sessions.order_by("date").last().topic_id
    assert row["enrollment"] == mine.pk and row["lacking"] == [homicide]
    assert len(row["topics"]) == 10 and row["topics"][0]["credited"] == "4.00"
    assert client_for(world.admin).get("/api/v1/classes/progress/").json()["count"] == 2
    assert client_for(world.staff_jccc).get("/api/v1/classes/progress/").json()["count"] == 0


def test_records_are_read_only_and_scoped(world, client_for):
    o = offering(world.jccc)
    enroll(o, world.inmate)
    staff = client_for(world.staff_jccc)
    assert staff.get("/api/v1/classes/offerings/").json()["count"] == 1
    assert staff.post("/api/v1/classes/offerings/", {"title": "x"}).status_code == 405
    assert staff.get("/api/v1/classes/enrollments/").json()["count"] == 1
    assert client_for(world.staff_acc).get(f"/api/v1/classes/offerings/{o.pk}/").status_code == 404


def test_attendance_void_through_the_api_needs_a_reason(world, client_for):
    o = offering(world.jccc)
    enroll(o, world.inmate)
    entry = mark(o.sessions.first(), world.inmate, user=world.staff_jccc)
    staff = client_for(world.staff_jccc)
    url = f"/api/v1/classes/attendance/{entry.pk}/void/"
    assert staff.post(url, {"reason": ""}, content_type="application/json").status_code == 400
    assert staff.post(url, {"reason": "Wrong person"}, content_type="application/json").status_code == 200
    entry.refresh_from_db()
    assert entry.void_reason == "Wrong person" and Attendance.objects.active().count() == 0


# Writes through the services --------------------------------------------------------------------------------
REFERRALS, ENROLLMENTS, ATTENDANCE = (
    "/api/v1/classes/referrals/",
    "/api/v1/classes/enrollments/",
    "/api/v1/classes/attendance/",
)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_an_officer_refers_their_person_changes_the_note_and_cancels(world, client_for):
    from classes.models import Referral

    officer = client_for(world.officer)
    response = post(
        officer, REFERRALS, {"offender": world.supervised.pk, "facility": world.acc.pk, "source": "officer"}
    )
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get(pk=response.json()["id"])
    assert (referral.status, referral.referred_by) == ("waiting", world.officer)
    assert referral.referred_on == timezone.localdate()
    again = post(officer, REFERRALS, {"offender": world.supervised.pk, "facility": world.acc.pk, "source": "officer"})
    assert again.status_code == 400
    assert again.json() == {"offender": [f"{world.supervised} is already on the waiting list at ACC."]}
    assert patch(officer, f"{REFERRALS}{referral.pk}/", {"note": "Prefers mornings"}).status_code == 200
    moved = patch(officer, f"{REFERRALS}{referral.pk}/", {"facility": world.jccc.pk})
    assert moved.status_code == 400 and "cancel it and refer again" in moved.json()["facility"][0]
    assert post(client_for(world.officer_d10), f"{REFERRALS}{referral.pk}/cancel/", {"reason": "x"}).status_code == 404
    officer = client_for(world.officer)  # the one test client, signed in again
    assert post(officer, f"{REFERRALS}{referral.pk}/cancel/", {"reason": ""}).status_code == 400
    cancelled = post(officer, f"{REFERRALS}{referral.pk}/cancel/", {"reason": "Moved out of state"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    referral.refresh_from_db()
    assert (referral.note, referral.closed_reason, referral.facility) == (
        "Prefers mornings",
        "Moved out of state",
        world.acc,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"source": "friend"}, "source", "is not a valid choice"),
        ({"referred_on": "2099-07-01"}, "referred_on", "future"),
        ({"referred_on": "yesterday"}, "referred_on", "Date has wrong format"),
        ({"facility": 999999}, "facility", "does not exist"),
        ({"note": "x" * 301}, "note", "no more than 300 characters"),
        ({"offender": "__d10__"}, "offender", "does not exist"),  # officer.d10's person: not theirs to see
    ],
)
def test_bad_referrals_are_clear_400s_and_store_nothing(world, client_for, data, field, message):
    from classes.models import Referral

    body = {"offender": world.supervised.pk, "facility": world.acc.pk, "source": "officer", **data}
    if body["offender"] == "__d10__":
        body["offender"] = world.supervised_d10.pk
    response = post(client_for(world.officer), REFERRALS, body)
    assert response.status_code == 400
    assert any(message.lower() in m.lower() for m in response.json()[field]), response.json()
    assert not Referral.objects.exists()
    assert post(client_for(world.auditor), REFERRALS, body).status_code == 403


def test_enrollment_through_the_service_cannot_overbook(world, client_for):
    from classes.models import Referral

    o = offering(world.jccc, capacity=1)
    staff = client_for(world.staff_jccc)
    response = post(staff, ENROLLMENTS, {"offering": o.pk, "offender": world.inmate.pk})
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == o.version_id and response.json()["status"] == "enrolled"
    other = OffenderFactory(doc_id="4300001", status="incarcerated", facility=world.jccc, district=None)
    full = post(staff, ENROLLMENTS, {"offering": o.pk, "offender": other.pk})
    assert full.status_code == 400 and full.json() == {"offering": ["The class is full (1 seats)."]}
    # From the waiting list: the person is the referral's.
    roomy = offering(world.jccc, title="Second class")
    referral = services.referral_create(user=world.staff_jccc, offender=other, facility=world.jccc, source="facility")
    response = post(staff, ENROLLMENTS, {"offering": roomy.pk, "referral": referral.pk})
    assert response.status_code == 201 and response.json()["offender"] == other.pk
    assert Referral.objects.get(pk=referral.pk).status == "enrolled"
    twice = post(staff, ENROLLMENTS, {"offering": roomy.pk, "offender": other.pk})
    assert twice.status_code == 400 and "is already enrolled in a class" in twice.json()["offender"][0]
    assert Enrollment.objects.count() == 2


def test_enrollments_out_of_scope_or_bad_are_refused(world, client_for):
    o = offering(world.jccc)
    before = Enrollment.objects.count()
    missing = post(client_for(world.staff_jccc), ENROLLMENTS, {"offering": o.pk})
    assert missing.json() == {"offender": ["Give the person, or the waiting referral to enroll from."]}
    bad_date = post(
        client_for(world.staff_jccc),
        ENROLLMENTS,
        {"offering": o.pk, "offender": world.inmate.pk, "enrolled_on": "soon"},
    )
    assert bad_date.status_code == 400 and "enrolled_on" in bad_date.json()
    assert (
        post(client_for(world.staff_acc), ENROLLMENTS, {"offering": o.pk, "offender": world.inmate.pk}).status_code
        == 400
    )
    assert (
        post(client_for(world.auditor), ENROLLMENTS, {"offering": o.pk, "offender": world.inmate.pk}).status_code == 403
    )
    assert (
        post(client_for(world.officer), ENROLLMENTS, {"offering": o.pk, "offender": world.inmate.pk}).status_code == 403
    )
    assert Enrollment.objects.count() == before
    e = enroll(o, world.inmate)
    assert (
        patch(client_for(world.staff_jccc), f"{ENROLLMENTS}{e.pk}/", {"enrolled_on": "2026-03-03"}).status_code == 405
    )


def test_attendance_is_marked_and_corrected_through_the_service(world, client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC))
    o = offering(world.jccc)
    enroll(o, world.inmate)
    session = o.sessions.order_by("date").first()
    staff = client_for(world.staff_jccc)
    response = post(staff, ATTENDANCE, {"session": session.pk, "offender": world.inmate.pk, "status": "present"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["hours"], body["topic"], body["makeup"]) == ("4.00", session.topic_id, False)
    url = f"{ATTENDANCE}{body['id']}/"
    late = patch(staff, url, {"status": "late", "hours": "2.5"})
    assert late.status_code == 200 and late.json()["hours"] == "2.50"
    absent = patch(staff, url, {"status": "absent", "remark": "Sick"})
    assert absent.status_code == 200 and absent.json()["hours"] == "0.00"
    assert Attendance.objects.active().count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "maybe"}, "status", "is not a valid choice"),
        ({"status": "late", "hours": "5"}, "hours", "Between 0.25 and 4.00 hours for this session."),
        ({"offender": "__stranger__"}, "offender", "is not enrolled in a class."),
        ({"session": "__future__"}, "date", "future"),
        ({"remark": "bad\x00"}, "remark", "Null characters are not allowed."),
    ],
)
def test_bad_attendance_is_a_clear_400_and_stores_nothing(world, client_for, time_machine, data, field, message):
    time_machine.move_to(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC))
    o = offering(world.jccc)
    enroll(o, world.inmate)
    sessions = list(o.sessions.order_by("date"))
    body = {"session": sessions[0].pk, "offender": world.inmate.pk, "status": "present", **data}
    if body["offender"] == "__stranger__":
        body["offender"] = OffenderFactory(
            doc_id="4300002", status="incarcerated", facility=world.jccc, district=None
        ).pk
    if body["session"] == "__future__":
        body["session"] = sessions[-1].pk
    response = post(client_for(world.staff_jccc), ATTENDANCE, body)
    assert response.status_code == 400
    assert any(message.lower() in m.lower() for m in response.json()[field]), response.json()
    assert not Attendance.objects.exists()


def test_attendance_out_of_scope_is_refused(world, client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.UTC))
    o = offering(world.jccc)
    enroll(o, world.inmate)
    session = o.sessions.order_by("date").first()
    entry = mark(session, world.inmate, user=world.staff_jccc)
    body = {"session": session.pk, "offender": world.inmate.pk, "status": "absent"}
    assert post(client_for(world.staff_acc), ATTENDANCE, body).status_code == 400  # not their class
    assert patch(client_for(world.staff_acc), f"{ATTENDANCE}{entry.pk}/", {"status": "absent"}).status_code == 404
    assert post(client_for(world.officer), ATTENDANCE, body).status_code == 403
    assert post(client_for(world.auditor), ATTENDANCE, body).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "present" and Attendance.objects.count() == 1
