"""The ``class_enrollments`` and ``class_attendance`` imports: errors under their columns, nothing written;
capacity and make-ups apply as on the pages; the same file again enrolls once."""

import pytest

from classes.choices import AttendanceStatus
from classes.models import Attendance, Enrollment
from core.choices import OffenderStatus
from core.imports import import_run
from tests.factories import OffenderFactory
from tests.factories.classes import enroll, offering

pytestmark = pytest.mark.django_db

ENROLL = "doc_id,facility_code,offering_title,enrolled_on\n"
ATTEND = "doc_id,facility_code,offering_title,session_date,topic_code,status,hours,remark\n"


def inmate(facility, doc_id):
    return OffenderFactory(doc_id=doc_id, status=OffenderStatus.INCARCERATED, facility=facility, district=None)


def test_enrollments_import_and_enroll_once(world):
    o = offering(world.jccc, title="Tuesday class")
    a, b = inmate(world.jccc, "6000001"), inmate(world.jccc, "6000002")
    content = ENROLL + f"{a.doc_id},jccc,Tuesday Class,2026-03-02\n{b.doc_id},JCCC,tuesday class,2026-03-02\n"
    result = import_run(kind="class_enrollments", content=content, user=world.staff_jccc, commit=True)
    assert result.committed, [r.errors for r in result.rows]
    assert set(Enrollment.objects.filter(offering=o).values_list("offender__doc_id", flat=True)) == {a.doc_id, b.doc_id}
    again = import_run(kind="class_enrollments", content=content, user=world.staff_jccc, commit=True)
    assert again.counts() == {"ignore": 2}


def test_bad_enrollments_are_refused_by_column_and_nothing_is_written(world):
    offering(world.jccc, title="Tuesday class", capacity=1)
    offering(world.acc, title="ACC class")
    a, b = inmate(world.jccc, "6000011"), inmate(world.jccc, "6000012")
    content = (
        ENROLL
        + "9999999,JCCC,Tuesday class,2026-03-02\n"
        + f"{a.doc_id},JCCC,No such class,2026-03-02\n"
        + f"{a.doc_id},JCCC,Tuesday class,03/02/2026\n"
        + f"{b.doc_id},JCCC,Tuesday class,2026-03-02\n"
    )
    result = import_run(kind="class_enrollments", content=content, user=world.staff_jccc, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {"doc_id": ["No person has the DOC ID '9999999'."]}
    assert "No class 'No such class' at JCCC" in errors[3]["offering_title"][0]
    assert "enrolled_on" in errors[4]
    assert not Enrollment.objects.exists()
    # capacity: the second seat of a one-seat class is refused, the whole file with it
    full = ENROLL + f"{a.doc_id},JCCC,Tuesday class,2026-03-02\n{b.doc_id},JCCC,Tuesday class,2026-03-02\n"
    result = import_run(kind="class_enrollments", content=full, user=world.staff_jccc, commit=True)
    assert not result.committed
    assert "full" in str([r.errors for r in result.rows])
    assert not Enrollment.objects.exists()
    # scope: JCCC staff cannot fill an ACC class
    acc = ENROLL + f"{a.doc_id},ACC,ACC class,2026-03-02\n"
    result = import_run(kind="class_enrollments", content=acc, user=world.staff_jccc, commit=True)
    assert not result.committed and not Enrollment.objects.exists()


def test_attendance_import_with_a_makeup_and_bad_rows(world):
    o = offering(world.jccc, title="Tuesday class")
    other = offering(world.acc, title="ACC class")
    a, b = inmate(world.jccc, "6000021"), inmate(world.acc, "6000022")
    enroll(o, a)
    enroll(other, b)
    first = o.sessions.order_by("date").first()
    day = first.date.isoformat()
    good = (
        ATTEND
        + f"{a.doc_id},JCCC,Tuesday class,{day},overview,late,3.5,Count ran long\n"
        + f"{b.doc_id},JCCC,Tuesday class,{day},overview,present,,\n"
    )
    bad = (
        ATTEND
        + f"{a.doc_id},JCCC,Tuesday class,{day},overview,asleep,,\n"
        + f"{a.doc_id},JCCC,Tuesday class,2026-03-03,overview,present,,\n"
        + f"{a.doc_id},JCCC,Tuesday class,{day},overview,late,9,\n"
        + f"6000099,JCCC,Tuesday class,{day},overview,present,,\n"
    )
    result = import_run(kind="class_attendance", content=bad, user=world.admin, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert "status" in errors[2] and "topic_code" in errors[3] and "doc_id" in errors[5]
    assert errors[4], "nine hours of a four-hour session"
    assert not Attendance.objects.exists()
    result = import_run(kind="class_attendance", content=good, user=world.admin, commit=True)
    assert result.committed, [r.errors for r in result.rows]
    late = Attendance.objects.get(offender=a)
    assert (late.status, str(late.hours), late.remark) == (AttendanceStatus.LATE, "3.50", "Count ran long")
    assert Attendance.objects.get(offender=b).makeup
