"""Demo data for the Impact of Crime on Victims classes (fictional, idempotent).

At JCCC: a class finished in the spring (completions with certificates) and a class in progress on
Tuesdays whose session today is on the facilitator's roster (one session lost to a lockdown, some people
absent or late), and a waiting list. At ACC: a class in progress, a person who made up a missed topic in
JCCC's class, and a person transferred from JCCC mid-course who continues there on the same version. A
guest speaker is booked. Everything is seeded once: a second run finds the classes and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.choices import OffenderStatus
from core.models import Facility, Offender, User

from . import services
from .choices import AttendanceStatus, EnrollmentStatus, ReferralSource
from .models import Enrollment, Offering, Speaker

SPRING, TUESDAYS, THURSDAYS = "Spring class", "Tuesday class", "Thursday class"


def _people(facility, n, exclude):
    people = list(
        Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility=facility)
        .exclude(pk__in=exclude)
        .exclude(class_enrollments__isnull=False)
        .exclude(class_referrals__isnull=False)
        .order_by("doc_id")[:n]
    )
    exclude.update(p.pk for p in people)
    return people


def _offering(facility, title, start, user, *, staff, capacity=14, weekly_from=0):
    version = services.curriculum_missouri(user=user)
    offering = services.offering_save(
        offering=Offering(facility=facility, version=version, title=title, capacity=capacity, starts_on=start),
        user=user,
        facilitators=staff,
    )
    for i, cs in enumerate(version.sessions.select_related("topic").order_by("position")):
        services.session_schedule(
            user=user,
            offering=offering,
            topic=cs.topic,
            date=start + dt.timedelta(days=7 * i + weekly_from),
            start_time=dt.time(13, 0),
            end_time=dt.time(17, 0),
            room="Chapel" if facility.code == "JCCC" else "Education building, room 4",
        )
    return offering


@transaction.atomic
def demo_seed(today: dt.date | None = None) -> int:
    """Seed the demo classes; returns how many enrollments it made (0 when they are there already)."""
    today = today or timezone.localdate()
    jccc, acc = Facility.objects.filter(code="JCCC").first(), Facility.objects.filter(code="ACC").first()
    admin = User.objects.filter(username="admin").first()
    if not (jccc and acc and admin) or Offering.objects.filter(facility=jccc, title=TUESDAYS).exists():
        return 0
    available = {
        f.code: Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility=f).count() for f in (jccc, acc)
    }
    if available["JCCC"] < 21 or available["ACC"] < 6:
        return 0  # too few demo people (a small seed): the classes tell their stories only in full
    staff_jccc = list(User.objects.filter(username="staff.jccc"))
    staff_acc = list(User.objects.filter(username="staff.algoa"))
    taken: set[int] = set()
    made = 0

    # Spring: finished, everyone completed but one who withdrew.
    spring_start = today - dt.timedelta(days=7 * 30)
    spring = _offering(jccc, SPRING, spring_start, admin, staff=staff_jccc)
    for i, person in enumerate(_people(jccc, 7, taken)):
        e = services.enrollment_enroll(user=admin, offering=spring, offender=person, enrolled_on=spring_start)
        made += 1
        for j, session in enumerate(spring.sessions.order_by("date")):
            if i == 6 and j > 2:
                break
            services.attendance_mark(user=admin, session=session, offender=person, status=AttendanceStatus.PRESENT)
        if i == 6:
            services.enrollment_end(
                enrollment=e,
                user=admin,
                status=EnrollmentStatus.WITHDRAWN,
                reason="Asked to leave the class",
                on=spring_start + dt.timedelta(days=20),
            )
        else:
            services.enrollment_complete(enrollment=e, user=admin, on=spring_start + dt.timedelta(days=64))
    spring.status = "finished"
    spring.save(update_fields=["status"])

    # Tuesdays at JCCC: six sessions held, today's the seventh (on the roster), one lost to a lockdown.
    tuesdays = _offering(jccc, TUESDAYS, today - dt.timedelta(days=42), admin, staff=staff_jccc)
    sessions = list(tuesdays.sessions.order_by("date"))
    people = _people(jccc, 9, taken)
    for person in people:
        services.enrollment_enroll(user=admin, offering=tuesdays, offender=person, enrolled_on=tuesdays.starts_on)
        made += 1
    for j, session in enumerate(sessions[:6]):
        if j == 3:
            services.session_not_held(user=admin, session=session, reason="lockdown", remark="Facility lockdown")
            continue
        for i, person in enumerate(people):
            if person == people[-1] and j > 3:
                continue  # transferred to ACC after the fourth week (below)
            status = AttendanceStatus.PRESENT
            if (i + j) % 7 == 0:
                status = AttendanceStatus.ABSENT
            elif (i + j) % 11 == 0:
                status = AttendanceStatus.LATE
            elif (i * j) % 13 == 5:
                status = AttendanceStatus.EXCUSED
            services.attendance_mark(
                user=staff_jccc[0] if staff_jccc else admin, session=session, offender=person, status=status
            )

    # Thursdays at ACC, from two days later.
    thursdays = _offering(acc, THURSDAYS, today - dt.timedelta(days=40), admin, staff=staff_acc)
    acc_people = _people(acc, 6, taken)
    for person in acc_people:
        services.enrollment_enroll(user=admin, offering=thursdays, offender=person, enrolled_on=thursdays.starts_on)
        made += 1
    for session in thursdays.sessions.filter(date__lte=today).order_by("date"):
        for i, person in enumerate(acc_people):
            if i == 0 and session.topic.code == "property":
                status = AttendanceStatus.ABSENT  # made up below at JCCC
            else:
                status = AttendanceStatus.PRESENT
            services.attendance_mark(user=admin, session=session, offender=person, status=status)
    # A make-up: the first ACC person attends JCCC's property-crimes session.
    property_at_jccc = tuesdays.sessions.get(topic__code="property")
    services.attendance_mark(
        user=admin, session=property_at_jccc, offender=acc_people[0], status=AttendanceStatus.PRESENT
    )

    # A transfer: the last Tuesday person moves to ACC after four weeks and continues on Thursdays.
    from core.services import offender_transfer

    moved = people[-1]
    offender_transfer(offender=moved, facility=acc, user=admin)
    referral = services.person_transferred(
        offender=moved, facility=acc, user=admin, on=tuesdays.starts_on + dt.timedelta(days=29)
    )
    services.enrollment_enroll(
        user=admin, offering=thursdays, referral=referral, enrolled_on=tuesdays.starts_on + dt.timedelta(days=30)
    )
    made += 1
    for session in thursdays.sessions.filter(date__gt=tuesdays.starts_on + dt.timedelta(days=30), date__lte=today):
        services.attendance_mark(user=admin, session=session, offender=moved, status=AttendanceStatus.PRESENT)

    # The waiting list at JCCC, and a guest speaker booked for next Tuesday.
    for k, person in enumerate(_people(jccc, 5, taken)):
        services.referral_create(
            user=admin,
            offender=person,
            facility=jccc,
            source=ReferralSource.FACILITY if k % 2 else ReferralSource.BOARD,
            referred_on=today - dt.timedelta(days=10 + 9 * k),
        )
    speaker = Speaker.objects.filter(name="Marion Ellsworth").first()
    if speaker is None:
        speaker = Speaker(name="Marion Ellsworth", phone="(573) 555-0190", email="marion.e@example.org")
        speaker.save()
    services.speaker_book(user=admin, speaker=speaker, session=sessions[7])
    assert Enrollment.objects.filter(offering__in=[spring, tuesdays, thursdays]).count() == made
    return made
