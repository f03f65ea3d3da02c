"""The classes' API: read-only records in scope, what each enrollment lacks, attendance voided with a reason."""

import pytest

from classes.models import Attendance
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
