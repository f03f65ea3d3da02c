"""The classes' rules, through the services on PostgreSQL: completion by topic with make-ups across
offerings and facilities, not-held sessions, a version revised mid-course, the waiting list's order,
tests and withdrawal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from classes import services
from classes.choices import AttendanceStatus, EnrollmentStatus, ReferralSource, ReferralStatus
from classes.models import Attendance, Enrollment, Topic
from core.choices import OffenderStatus
from tests.factories import FacilityFactory, OffenderFactory
from tests.factories.classes import START, attend_all, enroll, mark, missouri, offering

pytestmark = pytest.mark.django_db


def inmate(facility, doc_id, **kw):
    return OffenderFactory(doc_id=doc_id, status=OffenderStatus.INCARCERATED, facility=facility, district=None, **kw)


def lacking_topics(enrollment):
    return [t.topic_id for t in services.enrollment_progress(enrollment).lacking]


def test_missouri_curriculum_is_ten_topics_of_four_hours(world):
    v = missouri()
    sessions = list(v.sessions.select_related("topic").order_by("position"))
    assert [s.topic.code for s in sessions][:2] == ["overview", "property"]
    assert len(sessions) == 10
    assert sum(s.hours for s in sessions) == Decimal("40.00")
    assert not v.has_posttest


def test_completion_needs_every_topic_and_is_refused_with_what_lacks(world):
    o = offering(world.jccc)
    person = inmate(world.jccc, "2000001")
    e = enroll(o, person)
    attend_all(o, person, skip={9})
    with pytest.raises(ValidationError, match=r"Homicide \(4.00 h\)"):
        services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1))
    e.refresh_from_db()
    assert e.status == EnrollmentStatus.ENROLLED and e.certificate_code is None


def test_absent_excused_and_late_partial_hours_do_not_cover_a_topic(world):
    o = offering(world.jccc)
    person = inmate(world.jccc, "2000002")
    e = enroll(o, person)
    sessions = list(o.sessions.order_by("date"))
    mark(sessions[0], person, AttendanceStatus.ABSENT)
    mark(sessions[1], person, AttendanceStatus.EXCUSED)
    mark(sessions[2], person, AttendanceStatus.LATE, hours=Decimal("3.50"))
    mark(sessions[3], person, AttendanceStatus.LATE)  # late, the whole session by default
    lacking = lacking_topics(e)
    assert sessions[0].topic_id in lacking and sessions[1].topic_id in lacking and sessions[2].topic_id in lacking
    assert sessions[3].topic_id not in lacking
    assert Attendance.objects.get(session=sessions[3], offender=person).hours == Decimal("4.00")


def test_makeup_in_another_offering_at_another_facility_completes_the_course(world):
    """Missed a topic at JCCC; made it up in an ACC class without being enrolled there."""
    jccc_class = offering(world.jccc)
    acc_class = offering(world.acc, title="ACC Thursday", start=START + dt.timedelta(days=3))
    person = inmate(world.jccc, "2000003")
    e = enroll(jccc_class, person)
    attend_all(jccc_class, person, skip={4})
    missed = jccc_class.sessions.order_by("date")[4]
    makeup_session = acc_class.sessions.get(topic=missed.topic)
    entry = mark(makeup_session, person)
    assert entry.makeup and entry.enrollment == e and entry.facility == world.acc
    assert lacking_topics(e) == []
    done = services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1))
    assert done.status == EnrollmentStatus.COMPLETED and len(done.certificate_code) == 12


def test_attendance_refused_before_the_course_started(world):
    o = offering(world.jccc)
    p = inmate(world.jccc, "2000005")
    enroll(o, p, on=o.sessions.order_by("date")[2].date)
    with pytest.raises(ValidationError, match=r"before .* course started"):
        mark(o.sessions.order_by("date").first(), p)


def test_makeup_refused_for_a_person_not_in_a_class(world):
    o = offering(world.jccc)
    with pytest.raises(ValidationError, match="not enrolled"):
        mark(o.sessions.first(), inmate(world.jccc, "2000004"))


def test_a_session_not_held_counts_against_nobody_and_is_owed_again(world):
    o = offering(world.jccc)
    people = [inmate(world.jccc, f"200001{i}") for i in range(3)]
    enrollments = [enroll(o, p) for p in people]
    lockdown = o.sessions.order_by("date")[2]
    assert services.session_not_held(user=world.staff_jccc, session=lockdown, reason="lockdown") == 3
    entries = Attendance.objects.filter(session=lockdown)
    assert {a.status for a in entries} == {AttendanceStatus.NOT_HELD} and {a.hours for a in entries} == {0}
    for p in people:
        attend_all(o, p, skip={2})
    for e in enrollments:
        assert lacking_topics(e) == [lockdown.topic_id]
    # the topic is scheduled again (a make-up session of the same offering), and covers it
    again = services.session_schedule(
        user=world.staff_jccc,
        offering=o,
        topic=lockdown.topic,
        date=dt.date(2026, 6, 2),
        start_time=dt.time(13),
        end_time=dt.time(17),
    )
    for p in people:
        mark(again, p)
    assert all(lacking_topics(e) == [] for e in enrollments)


def test_not_held_is_left_out_of_the_attendance_rate(world):
    from classes.selectors import attendance_rates

    o = offering(world.jccc)
    p = inmate(world.jccc, "2000020")
    enroll(o, p)
    sessions = list(o.sessions.order_by("date"))
    mark(sessions[0], p)
    mark(sessions[1], p, AttendanceStatus.ABSENT)
    services.session_not_held(user=world.admin, session=sessions[2], reason="count")
    (row,) = attendance_rates(world.admin)
    assert (row["entries"], row["attended"], row["not_held"]) == (2, 1, 1)


def test_voided_attendance_credits_nothing(world):
    o = offering(world.jccc)
    p = inmate(world.jccc, "2000021")
    e = enroll(o, p)
    entry = mark(o.sessions.first(), p)
    assert entry.topic_id not in lacking_topics(e)
    services.attendance_void(entry=entry, user=world.admin, reason="Marked the wrong person")
    assert entry.topic_id in lacking_topics(e)


def test_one_tap_again_corrects_the_entry_in_place(world):
    o = offering(world.jccc)
    p = inmate(world.jccc, "2000022")
    enroll(o, p)
    s = o.sessions.first()
    first = mark(s, p, AttendanceStatus.ABSENT, user=world.staff_jccc)
    second = mark(s, p, AttendanceStatus.PRESENT, user=world.staff_jccc)
    assert first.pk == second.pk and second.hours == Decimal("4.00")
    assert Attendance.objects.filter(session=s).count() == 1
    assert second.history.count() == 2


def test_a_version_revised_mid_course_changes_nothing_for_those_on_the_old_one(world):
    v1 = missouri()
    old_class = offering(world.jccc, version=v1)
    person = inmate(world.jccc, "2000030")
    e = enroll(old_class, person)
    attend_all(old_class, person, skip={6, 7, 8, 9})
    # The revision: a new topic, and homicide now 6 hours. Version 1 is no longer offered.
    restorative = Topic.objects.create(code="restorative", name="Restorative justice")
    sessions = [(s.topic, s.hours) for s in v1.sessions.select_related("topic").order_by("position")]
    sessions[-1] = (sessions[-1][0], Decimal("6.00"))
    v2 = services.curriculum_revise(
        user=world.admin, version=v1, effective_on=dt.date(2026, 4, 1), sessions=[*sessions, (restorative, 2)]
    )
    assert v2.number == 2 and v2.active
    v1.refresh_from_db()
    assert not v1.active
    with pytest.raises(ValidationError):
        offering(world.jccc, version=v1, title="Too late for version 1")
    e.refresh_from_db()
    assert e.version == v1
    # The person finishes in a class on the new version: the topics of their version count, at v1's hours.
    new_class = offering(world.jccc, version=v2, title="New version", start=dt.date(2026, 5, 4))
    for s in new_class.sessions.order_by("date"):
        if s.topic_id in lacking_topics(e):
            mark(s, person)
    assert lacking_topics(e) == []
    assert Attendance.objects.filter(offender=person, makeup=True).count() == 4
    done = services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 7, 1))
    assert done.version == v1
    # A newcomer in the new class is on version 2 and needs its 11 topics and 6 hours of homicide.
    newcomer = inmate(world.jccc, "2000031")
    e2 = enroll(new_class, newcomer)
    assert e2.version == v2 and len(lacking_topics(e2)) == 11


def test_transfer_mid_course_finishes_at_the_other_facility_on_the_same_version(world):
    jccc_class = offering(world.jccc)
    person = inmate(world.jccc, "2000040")
    e = enroll(jccc_class, person)
    attend_all(jccc_class, person, skip={5, 6, 7, 8, 9})
    referral = services.person_transferred(
        offender=person, facility=world.acc, user=world.admin, on=dt.date(2026, 4, 1)
    )
    e.refresh_from_db()
    assert e.status == EnrollmentStatus.TRANSFERRED and e.ended_on == dt.date(2026, 4, 1)
    assert referral.source == ReferralSource.TRANSFER and referral.facility == world.acc
    assert services.person_transferred(offender=person, facility=world.acc, user=world.admin) is None  # idempotent
    acc_class = offering(world.acc, title="ACC spring", start=dt.date(2026, 4, 6))
    e2 = services.enrollment_enroll(
        user=world.staff_acc, offering=acc_class, referral=referral, enrolled_on=dt.date(2026, 4, 6)
    )
    assert e2.continues == e and e2.version == e.version and e2.course_started_on == e.course_started_on
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENROLLED
    assert len(lacking_topics(e2)) == 5
    attend_all(acc_class, person, skip={0, 1, 2, 3, 4})
    done = services.enrollment_complete(enrollment=e2, user=world.staff_acc, on=dt.date(2026, 7, 1))
    assert done.status == EnrollmentStatus.COMPLETED


def test_transfer_event_ends_the_enrollment_after_commit(world, django_capture_on_commit_callbacks):
    from core.services import offender_transfer

    o = offering(world.jccc)
    person = inmate(world.jccc, "2000041")
    e = enroll(o, person)
    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=person, facility=world.acc, user=world.admin)
    e.refresh_from_db()
    assert e.status == EnrollmentStatus.TRANSFERRED
    assert person.class_referrals.get(status=ReferralStatus.WAITING).facility == world.acc


def test_posttest_is_needed_where_the_version_has_one(world):
    v = services.curriculum_revise(
        user=world.admin, version=missouri(), effective_on=dt.date(2026, 1, 1), has_posttest=True, has_pretest=True
    )
    o = offering(world.jccc, version=v)
    p = inmate(world.jccc, "2000050")
    e = enroll(o, p)
    services.enrollment_test_record(enrollment=e, user=world.admin, kind="pretest", score=40)
    attend_all(o, p)
    with pytest.raises(ValidationError, match="post-test"):
        services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.enrollment_test_record(enrollment=e, user=world.admin, kind="posttest", score=101)
    services.enrollment_test_record(enrollment=e, user=world.admin, kind="posttest", score=85)
    assert services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1)).posttest_score == 85


def test_tests_refused_where_the_version_has_none(world):
    o = offering(world.jccc)
    e = enroll(o, inmate(world.jccc, "2000051"))
    with pytest.raises(ValidationError, match="no pre-test"):
        services.enrollment_test_record(enrollment=e, user=world.admin, kind="pretest", score=50)


def test_withdrawal_and_failure_need_a_reason_and_free_the_seat(world):
    o = offering(world.jccc, capacity=1)
    a, b = inmate(world.jccc, "2000060"), inmate(world.jccc, "2000061")
    e = enroll(o, a)
    with pytest.raises(ValidationError, match="full"):
        enroll(o, b)
    with pytest.raises(ValidationError, match="Say why"):
        services.enrollment_end(enrollment=e, user=world.admin, status=EnrollmentStatus.WITHDRAWN, reason=" ")
    services.enrollment_end(
        enrollment=e, user=world.admin, status=EnrollmentStatus.FAILED, reason="Missed four sessions", on=START
    )
    assert enroll(o, b).status == EnrollmentStatus.ENROLLED


def test_one_class_at_a_time_and_never_after_completion(world):
    a_class, b_class = offering(world.jccc), offering(world.jccc, title="Other")
    p = inmate(world.jccc, "2000070")
    e = enroll(a_class, p)
    with pytest.raises(ValidationError, match="already enrolled"):
        enroll(b_class, p)
    attend_all(a_class, p)
    services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="already completed"):
        enroll(b_class, p)


def test_waiting_list_soonest_release_first_then_oldest_referral(world):
    late = inmate(world.jccc, "2000080", supervision_end_date=dt.date(2029, 1, 1))
    soon = inmate(world.jccc, "2000081", supervision_end_date=dt.date(2027, 1, 1))
    unknown_old = inmate(world.jccc, "2000082", supervision_end_date=None)
    unknown_new = inmate(world.jccc, "2000083", supervision_end_date=None)
    tie_old = inmate(world.jccc, "2000084", supervision_end_date=dt.date(2027, 1, 1))
    for person, day in (
        (late, dt.date(2026, 1, 5)),
        (soon, dt.date(2026, 2, 1)),
        (unknown_new, dt.date(2026, 3, 1)),
        (unknown_old, dt.date(2026, 1, 2)),
        (tie_old, dt.date(2026, 1, 20)),
    ):
        services.referral_create(
            user=world.staff_jccc, offender=person, facility=world.jccc, source=ReferralSource.FACILITY, referred_on=day
        )
    order = [r.offender for r in services.waiting_list(world.jccc.pk)]
    assert order == [tie_old, soon, late, unknown_old, unknown_new]
    o = offering(world.jccc, capacity=2)
    done = services.enroll_from_waiting_list(user=world.staff_jccc, offering=o, count=5)
    assert [e.offender for e in done] == [tie_old, soon]
    assert [r.offender for r in services.waiting_list(world.jccc.pk)] == [late, unknown_old, unknown_new]


def test_referral_refused_twice_at_one_facility_and_cancel_needs_a_reason(world):
    p = inmate(world.jccc, "2000090")
    r = services.referral_create(user=world.staff_jccc, offender=p, facility=world.jccc, source=ReferralSource.FACILITY)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        services.referral_create(user=world.staff_jccc, offender=p, facility=world.jccc, source=ReferralSource.FACILITY)
    with pytest.raises(ValidationError, match="Say why"):
        services.referral_cancel(referral=r, user=world.staff_jccc, reason="")
    services.referral_cancel(referral=r, user=world.staff_jccc, reason="Released early")
    r.refresh_from_db()
    assert r.status == ReferralStatus.CANCELLED


def test_progress_sql_matches_the_reference_for_active_enrollments(world):
    from classes.progress import progress_by_enrollment

    jccc_class, acc_class = offering(world.jccc), offering(world.acc, title="ACC")
    people = [inmate(world.jccc, f"20001{i:02d}") for i in range(6)]
    enrollments = [enroll(jccc_class, p) for p in people]
    for i, p in enumerate(people):
        attend_all(jccc_class, p, skip=set(range(i)))
        if i % 2:
            mark(acc_class.sessions.order_by("date")[0], p)
    sql = progress_by_enrollment([e.pk for e in enrollments])
    for e in enrollments:
        reference = services.enrollment_progress(e).topics
        assert [(t.topic_id, t.needed, t.credited) for t in sql[e.pk]] == [
            (t.topic_id, t.needed, t.credited) for t in reference
        ]


def test_attendance_before_the_course_start_does_not_count(world):
    """A person who withdrew and started over: the old course's hours do not carry into the new one."""
    o = offering(world.jccc)
    p = inmate(world.jccc, "2000200")
    e = enroll(o, p)
    attend_all(o, p, skip={9})
    services.enrollment_end(
        enrollment=e, user=world.admin, status=EnrollmentStatus.WITHDRAWN, reason="Moved cells", on=dt.date(2026, 6, 1)
    )
    later = offering(world.jccc, title="Autumn", start=dt.date(2026, 9, 1))
    e2 = enroll(later, p)
    assert e2.continues is None and e2.course_started_on == dt.date(2026, 9, 1)
    assert len(lacking_topics(e2)) == 10
    assert Enrollment.objects.filter(offender=p).count() == 2


def test_facility_of_attendance_new_facility_fixture(world):
    """A P&P office offering works like an institution's."""
    office = FacilityFactory(name="Jefferson City P&P", code="PP09", kind="district_office", district=world.d9)
    o = offering(office)
    p = world.supervised
    e = enroll(o, p)
    attend_all(o, p)
    assert services.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 6, 1)).ended_on


def test_kept_progress_follows_marks_corrections_and_voids(world):
    """The course's kept hours on a topic (``CourseProgress``), and the statewide question reading them,
    after a mark, a correction to late, one to absent, a void, and a make-up in another class."""
    from classes.models import CourseProgress
    from classes.progress import lacking_counts

    o, acc_class = offering(world.jccc), offering(world.acc, title="ACC")
    p = inmate(world.jccc, "2000300")
    e = enroll(o, p)
    first = o.sessions.order_by("date")[0]

    def kept():
        return CourseProgress.objects.get(course=e.course, topic_id=first.topic_id).credited

    assert CourseProgress.objects.filter(course=e.course).count() == 10 and kept() == Decimal("0.00")
    assert lacking_counts([e.pk])[first.topic_id] == 1
    entry = mark(first, p)
    assert kept() == Decimal("4.00") and first.topic_id not in lacking_counts([e.pk])
    mark(first, p, AttendanceStatus.LATE, hours=Decimal("3.00"))
    assert kept() == Decimal("3.00") and lacking_counts([e.pk])[first.topic_id] == 1
    mark(first, p, AttendanceStatus.ABSENT)
    assert kept() == Decimal("0.00")
    entry = mark(first, p)
    services.attendance_void(entry=Attendance.objects.get(pk=entry.pk), user=world.admin, reason="Wrong person")
    assert kept() == Decimal("0.00")
    mark(acc_class.sessions.get(topic_id=first.topic_id), p)  # a make-up at another facility
    assert kept() == Decimal("4.00") and first.topic_id not in lacking_counts([e.pk])


def test_django_admin_shows_attendance_and_enrollments_but_never_changes_them(db, client):
    """The services keep each course's progress and void entries with a reason: the admin site may not
    add or change attendance or enrollments behind them."""
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root.classes", "root@example.org", "x")
    client.force_login(admin_user)
    for model in ("attendance", "enrollment"):
        assert client.get(f"/django-admin/classes/{model}/").status_code == 200
        assert client.get(f"/django-admin/classes/{model}/add/").status_code == 403
