"""Writes with rules for the classes: curriculum revisions, sessions, referrals and the waiting list,
enrollment (one transaction that cannot overbook), transfers, attendance (one tap per person; voidable),
tests, completion (checked, never by hand), withdrawal, guest speaker bookings with the conflict check.

Enrollment locks the offering's row first, so two requests for its last seat run one after the other
and the second finds the class full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.conflicts import PersonDetails, conflict_check
from core.dates import entry_date_problem, format_date
from core.models import Offender
from core.services import entry_void, set_history

from . import progress
from .choices import (
    AttendanceStatus,
    BookingStatus,
    EnrollmentStatus,
    OfferingStatus,
    ReferralSource,
    ReferralStatus,
)
from .models import (
    COORDINATORS,
    Attendance,
    CurriculumSession,
    CurriculumVersion,
    Enrollment,
    Offering,
    Referral,
    ScheduledSession,
    SpeakerBooking,
    Topic,
    new_certificate_code,
)

ZERO = Decimal("0.00")


def _lock_person(offender_id: int) -> None:
    Offender.objects.select_for_update().filter(pk=offender_id).values_list("pk", flat=True).first()


# The curriculum --------------------------------------------------------------------------------------
@transaction.atomic
def curriculum_create(
    *,
    user,
    name: str,
    number: int,
    effective_on: dt.date,
    sessions: list[tuple[Topic, Decimal]],
    has_pretest: bool = False,
    has_posttest: bool = False,
    note: str = "",
) -> CurriculumVersion:
    """A curriculum version with its ordered sessions (topic, hours), in the order given."""
    if not sessions:
        raise ValidationError({"sessions": "A curriculum has at least one session."})
    topics = [t.pk for t, _ in sessions]
    if len(set(topics)) != len(topics):
        raise ValidationError({"sessions": "Each topic appears once in a version."})
    version = CurriculumVersion(
        name=name,
        number=number,
        effective_on=effective_on,
        has_pretest=has_pretest,
        has_posttest=has_posttest,
        note=note,
    )
    version.full_clean()
    set_history(version, user)
    version.save()
    for position, (topic, hours) in enumerate(sessions, start=1):
        session = CurriculumSession(version=version, position=position, topic=topic, hours=Decimal(hours))
        session.full_clean()
        set_history(session, user)
        session.save()
    return version


MISSOURI = "Impact of Crime on Victims (Missouri)"


@transaction.atomic
def curriculum_missouri(*, user=None) -> CurriculumVersion:
    """Missouri's curriculum, version 1 (the data migration's; made again where a test emptied the tables):
    the ten topics, four hours each."""
    from .choices import MISSOURI_HOURS, MISSOURI_TOPICS

    existing = CurriculumVersion.objects.filter(name=MISSOURI, number=1).first()
    if existing:
        return existing
    topics = [Topic.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in MISSOURI_TOPICS]
    return curriculum_create(
        user=user,
        name=MISSOURI,
        number=1,
        effective_on=dt.date(2026, 1, 1),
        sessions=[(t, MISSOURI_HOURS) for t in topics],
    )


@transaction.atomic
def curriculum_revise(
    *,
    user,
    version: CurriculumVersion,
    effective_on: dt.date,
    sessions: list[tuple[Topic, Decimal]] | None = None,
    has_pretest: bool | None = None,
    has_posttest: bool | None = None,
    note: str = "",
) -> CurriculumVersion:
    """A revision is a new version (the next number): the old one stays, for the enrollments on it, and
    is no longer offered."""
    version = CurriculumVersion.objects.select_for_update().get(pk=version.pk)
    latest = CurriculumVersion.objects.filter(name=version.name).order_by("-number").first()
    if sessions is None:
        sessions = [(s.topic, s.hours) for s in version.sessions.select_related("topic").order_by("position")]
    new = curriculum_create(
        user=user,
        name=version.name,
        number=latest.number + 1,
        effective_on=effective_on,
        sessions=sessions,
        has_pretest=version.has_pretest if has_pretest is None else has_pretest,
        has_posttest=version.has_posttest if has_posttest is None else has_posttest,
        note=note,
    )
    CurriculumVersion.objects.filter(name=version.name).exclude(pk=new.pk).update(active=False)
    return new


# Offerings and sessions ----------------------------------------------------------------------------------
@transaction.atomic
def offering_save(*, offering: Offering, user, facilitators=None) -> Offering:
    """Create or change an offering: an active version for a new one, facilitators who work there."""
    if offering.pk is None and offering.version_id and not offering.version.active:
        raise ValidationError({"version": f"{offering.version} is no longer offered: choose the current version."})
    offering.full_clean()
    if facilitators is not None:
        outside = [u for u in facilitators if offering.facility_id not in u.facility_ids and not u.is_administrator]
        if outside:
            raise ValidationError({"facilitators": f"{outside[0]} does not work at {offering.facility}."})
    set_history(offering, user)
    offering.save()
    if facilitators is not None:
        offering.facilitators.set(facilitators)
    return offering


@transaction.atomic
def session_schedule(
    *,
    user,
    offering: Offering,
    topic: Topic,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    room: str = "",
    hours: Decimal | None = None,
    session: ScheduledSession | None = None,
) -> ScheduledSession:
    """Schedule (or move) a session. Without hours, it credits the version's hours for the topic."""
    if offering.status in (OfferingStatus.FINISHED, OfferingStatus.CANCELLED):
        raise ValidationError({"offering": "This offering is closed."})
    if hours is None:
        planned = offering.version.sessions.filter(topic=topic).first()
        hours = planned.hours if planned else None
    session = session or ScheduledSession()
    session.offering, session.topic, session.date = offering, topic, date
    session.start_time, session.end_time, session.room, session.hours = start_time, end_time, room.strip(), hours
    if session.pk and session.attendance.active().exclude(status=AttendanceStatus.NOT_HELD).exists():
        changed = ScheduledSession.objects.get(pk=session.pk)
        if (changed.topic_id, changed.hours) != (topic.pk, hours):
            raise ValidationError({"topic": "Attendance is recorded: void it before changing the topic or hours."})
    session.full_clean()
    set_history(session, user)
    session.save()
    return session


# Generating an offering's sessions from its curriculum version ----------------------------------------------
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class PlannedSession:
    """One session of the version in a generated schedule: its date, or the session already scheduled
    for its topic in the offering (then nothing is created for it)."""

    position: int
    topic: Topic
    hours: Decimal
    date: dt.date | None
    existing: ScheduledSession | None = None


def sessions_problem(*, offering: Offering, starts_on: dt.date | None, weekdays, start_time, end_time) -> dict:
    """Why a schedule cannot be generated, by field (empty: it can)."""
    errors = {}
    if offering.status in (OfferingStatus.FINISHED, OfferingStatus.CANCELLED):
        errors["starts_on"] = "This offering is closed: no sessions can be added."
    elif starts_on and starts_on < offering.starts_on:
        errors["starts_on"] = (
            f"The class starts on {format_date(offering.starts_on)}: the sessions cannot start before."
        )
    if not weekdays:
        errors["weekdays"] = "Choose at least one weekday."
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = "The session ends before it starts."
    return errors


def sessions_plan(
    *, offering: Offering, starts_on: dt.date, weekdays, start_time: dt.time, end_time: dt.time
) -> list[PlannedSession]:
    """The version's sessions in order, each on the next chosen weekday from ``starts_on`` at
    ``start_time``; a topic the offering already has a session for keeps it (rerunning the generation
    creates no duplicates), and a day already holding a session at that time is passed over."""
    if errors := sessions_problem(
        offering=offering, starts_on=starts_on, weekdays=weekdays, start_time=start_time, end_time=end_time
    ):
        raise ValidationError(errors)
    days = {int(d) for d in weekdays}
    scheduled = list(offering.sessions.select_related("topic").order_by("date", "start_time", "pk"))
    first_by_topic = {}
    for session in scheduled:
        first_by_topic.setdefault(session.topic_id, session)
    taken = {(session.date, session.start_time) for session in scheduled}
    day = starts_on
    plan = []
    for planned in offering.version.sessions.select_related("topic").order_by("position"):
        if planned.topic_id in first_by_topic:
            plan.append(
                PlannedSession(planned.position, planned.topic, planned.hours, None, first_by_topic[planned.topic_id])
            )
            continue
        while day.weekday() not in days or (day, start_time) in taken:
            day += dt.timedelta(days=1)
        plan.append(PlannedSession(planned.position, planned.topic, planned.hours, day))
        day += dt.timedelta(days=1)
    return plan


@transaction.atomic
def sessions_generate(
    *,
    user,
    offering: Offering,
    starts_on: dt.date,
    weekdays,
    start_time: dt.time,
    end_time: dt.time,
    room: str = "",
) -> list[ScheduledSession]:
    """Schedule the offering's sessions from its curriculum version (``sessions_plan``), each through
    ``session_schedule`` (the version's hours for its topic). The offering is locked, so two clicks make
    one schedule; topics already scheduled are left as they are. Refused when there is nothing to add."""
    offering = Offering.objects.select_for_update().select_related("version").get(pk=offering.pk)
    plan = sessions_plan(
        offering=offering, starts_on=starts_on, weekdays=weekdays, start_time=start_time, end_time=end_time
    )
    new = [p for p in plan if p.existing is None]
    if not new:
        raise ValidationError("Every topic of this class's curriculum already has a session: nothing to add.")
    return [
        session_schedule(
            user=user,
            offering=offering,
            topic=p.topic,
            date=p.date,
            start_time=start_time,
            end_time=end_time,
            room=room,
            hours=p.hours,
        )
        for p in new
    ]


# Referrals and the waiting list ---------------------------------------------------------------------------
@transaction.atomic
def referral_create(
    *, user, offender: Offender, facility, source: str, referred_on: dt.date | None = None, note: str = ""
) -> Referral:
    """Put a person on a facility's waiting list (once per facility while waiting)."""
    _lock_person(offender.pk)
    referral = Referral(
        offender=offender,
        facility=facility,
        source=source,
        referred_on=referred_on or timezone.localdate(),
        referred_by=user,
        note=(note or "").strip(),
    )
    referral.full_clean(validate_constraints=False)
    errors = {}
    if problem := entry_date_problem(referral.referred_on):
        errors["referred_on"] = problem
    if Referral.objects.filter(offender=offender, facility=facility, status=ReferralStatus.WAITING).exists():
        errors["offender"] = f"{offender} is already on the waiting list at {facility.code}."
    if Enrollment.objects.filter(offender=offender, status=EnrollmentStatus.COMPLETED).exists():
        errors["offender"] = f"{offender} has already completed the class."
    if errors:
        raise ValidationError(errors)
    set_history(referral, user)
    referral.save()
    return referral


@transaction.atomic
def referral_note(*, referral: Referral, user, note: str) -> Referral:
    """Change a referral's note (its person, facility, source and date stay: cancel and refer again)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.note = (note or "").strip()
    referral.full_clean(validate_constraints=False)
    set_history(referral, user, "Note changed")
    referral.save()
    return referral


@transaction.atomic
def referral_cancel(*, referral: Referral, user, reason: str) -> Referral:
    """Take a person off the waiting list, with the reason."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.WAITING:
        raise ValidationError("Only a waiting referral can be cancelled.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the referral is cancelled."})
    referral.status, referral.closed_reason = ReferralStatus.CANCELLED, reason[:300]
    set_history(referral, user, f"Cancelled: {reason}")
    referral.save()
    return referral


def waiting_list(facility_id: int):
    """A facility's waiting list: the soonest supervision end (release) first, then the oldest referral."""
    from django.db.models import F

    return (
        Referral.objects.filter(facility_id=facility_id, status=ReferralStatus.WAITING)
        .select_related("offender", "facility")
        .order_by(F("offender__supervision_end_date").asc(nulls_last=True), "referred_on", "pk")
    )


# Enrollment ------------------------------------------------------------------------------------------
def _open_transfer(offender_id: int) -> Enrollment | None:
    """The person's course left open by a transfer (ended as transferred, not yet continued)."""
    return (
        Enrollment.objects.filter(
            offender_id=offender_id, status=EnrollmentStatus.TRANSFERRED, continued_by__isnull=True
        )
        .order_by("-ended_on", "-pk")
        .first()
    )


@transaction.atomic
def enrollment_enroll(
    *,
    user,
    offering: Offering,
    offender: Offender | None = None,
    referral: Referral | None = None,
    enrolled_on: dt.date | None = None,
) -> Enrollment:
    """Give a person a seat in an offering, in one transaction that cannot overbook: the offering's
    row is locked, then its seats counted. A person continuing a course after a transfer keeps its
    version and its start; anyone else starts on the offering's version."""
    offering = Offering.objects.select_for_update().select_related("version", "facility").get(pk=offering.pk)
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        offender = referral.offender
        if referral.status != ReferralStatus.WAITING:
            raise ValidationError({"referral": "This referral is no longer waiting."})
        if referral.facility_id != offering.facility_id:
            raise ValidationError({"referral": f"This referral is for {referral.facility.code}."})
    if offender is None:
        raise ValidationError({"offender": "Choose the person."})
    _lock_person(offender.pk)
    enrolled_on = enrolled_on or timezone.localdate()
    if offering.status in (OfferingStatus.FINISHED, OfferingStatus.CANCELLED):
        raise ValidationError({"offering": "This offering is closed."})
    taken = offering.enrollments.filter(status=EnrollmentStatus.ENROLLED).count()
    if taken >= offering.capacity:
        raise ValidationError({"offering": f"The class is full ({offering.capacity} seats)."})
    if Enrollment.objects.filter(offender=offender, status=EnrollmentStatus.ENROLLED).exists():
        raise ValidationError({"offender": f"{offender} is already enrolled in a class."})
    if Enrollment.objects.filter(offender=offender, status=EnrollmentStatus.COMPLETED).exists():
        raise ValidationError({"offender": f"{offender} has already completed the class."})
    previous = _open_transfer(offender.pk)
    enrollment = Enrollment(
        offender=offender,
        offering=offering,
        version=previous.version if previous else offering.version,
        referral=referral,
        continues=previous,
        course=previous.course if previous else None,
        course_started_on=previous.course_started_on if previous else enrolled_on,
        enrolled_on=enrolled_on,
        pretest_score=previous.pretest_score if previous else None,
    )
    if problem := entry_date_problem(enrolled_on, future=True):
        raise ValidationError({"enrolled_on": problem})
    if previous and enrolled_on < previous.ended_on:
        raise ValidationError({"enrolled_on": f"The transfer was on {format_date(previous.ended_on)}."})
    enrollment.full_clean(validate_constraints=False)
    set_history(enrollment, user)
    try:
        with transaction.atomic():
            enrollment.save()
            if enrollment.course is None:  # a new course: its id is its first enrollment's
                enrollment.course = enrollment.pk
                Enrollment.objects.filter(pk=enrollment.pk).update(course=enrollment.pk)
                progress.course_start(course=enrollment.course, version_id=enrollment.version_id)
    except IntegrityError as exc:  # a concurrent enrollment of the same person
        raise ValidationError({"offender": f"{offender} is already enrolled in a class."}) from exc
    if referral is not None:
        referral.status = ReferralStatus.ENROLLED
        set_history(referral, user, f"Enrolled in {offering}")
        referral.save()
    if offering.status == OfferingStatus.PLANNED and enrolled_on >= offering.starts_on:
        offering.status = OfferingStatus.IN_PROGRESS
        offering.save(update_fields=["status"])
    # The person joins the roster of every session from the enrollment on: speakers booked there are checked
    # again (a session already held too: victim services should know who was in the room).
    speakers_recheck(offender=offender, sessions=offering.sessions.filter(date__gte=enrolled_on), user=user)
    return enrollment


def enroll_from_waiting_list(
    *, user, offering: Offering, count: int, enrolled_on: dt.date | None = None
) -> list[Enrollment]:
    """Enroll up to ``count`` people from the facility's waiting list, in its order, as seats allow."""
    done = []
    with transaction.atomic():
        offering = Offering.objects.select_for_update().get(pk=offering.pk)
        free = offering.capacity - offering.enrollments.filter(status=EnrollmentStatus.ENROLLED).count()
        for referral in waiting_list(offering.facility_id)[: max(0, min(count, free))]:
            try:
                with transaction.atomic():
                    done.append(
                        enrollment_enroll(user=user, offering=offering, referral=referral, enrolled_on=enrolled_on)
                    )
            except ValidationError:
                continue  # already in a class elsewhere: left on the list for staff to look at
    return done


@transaction.atomic
def enrollment_end(*, enrollment: Enrollment, user, status: str, reason: str, on: dt.date | None = None) -> Enrollment:
    """Withdrawal or failure with a reason; or transferred (the course continues elsewhere)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError("This enrollment has already ended.")
    if status not in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.FAILED, EnrollmentStatus.TRANSFERRED):
        raise ValidationError({"status": "Choose withdrawn, did not complete or transferred."})
    reason = (reason or "").strip()
    if not reason and status != EnrollmentStatus.TRANSFERRED:
        raise ValidationError({"reason": "Say why the person leaves the class."})
    on = on or timezone.localdate()
    if on < enrollment.enrolled_on:
        raise ValidationError({"on": f"This is before the enrollment ({format_date(enrollment.enrolled_on)})."})
    if problem := entry_date_problem(on):
        raise ValidationError({"on": problem})
    enrollment.status, enrollment.ended_on, enrollment.end_reason = status, on, reason[:300]
    set_history(enrollment, user, f"{EnrollmentStatus(status).label}: {reason}" if reason else None)
    enrollment.save()
    return enrollment


@transaction.atomic
def person_transferred(*, offender: Offender, facility, user, on: dt.date | None = None) -> Referral | None:
    """A person moved to another facility mid-course: the enrollment ends as transferred and the person
    goes on the new facility's waiting list (as a transfer), to finish the topics they lack there.
    Idempotent: nothing happens without an active enrollment elsewhere."""
    active = Enrollment.objects.filter(offender=offender, status=EnrollmentStatus.ENROLLED).first()
    if active is None or active.offering.facility_id == facility.pk:
        return None
    enrollment_end(enrollment=active, user=user, status=EnrollmentStatus.TRANSFERRED, reason=f"To {facility}", on=on)
    existing = Referral.objects.filter(offender=offender, facility=facility, status=ReferralStatus.WAITING).first()
    if existing:
        return existing
    return referral_create(
        user=user, offender=offender, facility=facility, source=ReferralSource.TRANSFER, referred_on=on
    )


@transaction.atomic
def enrollment_test_record(*, enrollment: Enrollment, user, kind: str, score: int) -> Enrollment:
    """Record the pre-test or the post-test score (0 to 100) where the version has one."""
    enrollment = Enrollment.objects.select_for_update().select_related("version").get(pk=enrollment.pk)
    if kind not in ("pretest", "posttest"):
        raise ValidationError({"kind": "Choose the pre-test or the post-test."})
    if kind == "pretest" and not enrollment.version.has_pretest:
        raise ValidationError({"kind": f"{enrollment.version} has no pre-test."})
    if kind == "posttest" and not enrollment.version.has_posttest:
        raise ValidationError({"kind": f"{enrollment.version} has no post-test."})
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError("This enrollment has ended.")
    if score is None or not 0 <= int(score) <= 100:
        raise ValidationError({"score": "A score is from 0 to 100."})
    setattr(enrollment, f"{kind}_score", int(score))
    set_history(enrollment, user, f"{'Pre' if kind == 'pretest' else 'Post'}-test: {score}")
    enrollment.save()
    return enrollment


def enrollment_progress(enrollment: Enrollment) -> progress.Progress:
    """The rule (``classes.progress.evaluate``) for one enrollment, from the database."""
    sessions = list(enrollment.version.sessions.values_list("position", "topic_id", "hours"))
    attendance = [
        (t, c, h, v is not None)
        for t, c, h, v in Attendance.objects.filter(offender_id=enrollment.offender_id).values_list(
            "topic_id", "course", "hours", "voided_at"
        )
    ]
    return progress.evaluate(
        sessions=sessions,
        attendance=attendance,
        course=enrollment.course,
        has_posttest=enrollment.version.has_posttest,
        posttest_recorded=enrollment.posttest_score is not None,
    )


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, user, on: dt.date | None = None) -> Enrollment:
    """Record the completion, only when the rule says so: every topic of the version covered and the
    post-test recorded where there is one. Gives the certificate its verification code."""
    _lock_person(enrollment.offender_id)
    enrollment = Enrollment.objects.select_for_update().select_related("version").get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError("Only an active enrollment can be completed.")
    result = enrollment_progress(enrollment)
    if result.lacking:
        names = dict(Topic.objects.filter(pk__in=[t.topic_id for t in result.lacking]).values_list("pk", "name"))
        lacking = "; ".join(f"{names[t.topic_id]} ({t.lacking} h)" for t in result.lacking)
        raise ValidationError(f"Not complete: still lacks {lacking}.")
    if result.needs_posttest:
        raise ValidationError("Not complete: record the post-test first.")
    on = on or timezone.localdate()
    if problem := entry_date_problem(on):
        raise ValidationError({"on": problem})
    enrollment.status, enrollment.ended_on = EnrollmentStatus.COMPLETED, on
    enrollment.certificate_code = new_certificate_code()
    set_history(enrollment, user, "Completed")
    enrollment.save()
    return enrollment


# Attendance -----------------------------------------------------------------------------------------------
def session_roster(session: ScheduledSession) -> list[Enrollment]:
    """Who is expected at a session: the offering's enrollments active on its date (enrolled then and
    not ended before), and anyone already recorded there for a make-up."""
    enrolled = list(
        session.offering.enrollments.filter(enrolled_on__lte=session.date)
        .exclude(ended_on__lt=session.date)
        .select_related("offender")
    )
    seen = {e.offender_id for e in enrolled}
    makeups = [
        a.enrollment
        for a in session.attendance.active().filter(makeup=True).select_related("enrollment__offender").order_by("pk")
        if a.offender_id not in seen
    ]
    people = enrolled + makeups
    return sorted(people, key=lambda e: (e.offender.last_name, e.offender.first_name, e.offender_id))


@transaction.atomic
def attendance_mark(
    *,
    user,
    session: ScheduledSession,
    offender: Offender,
    status: str,
    hours: Decimal | None = None,
    remark: str = "",
    not_held_reason: str = "",
) -> Attendance:
    """One tap: record (or correct) a person's attendance at a session.

    The person is on the offering's roster, or making up the topic from their active enrollment in
    another offering (any facility) whose version has it. Present credits the session's hours; late the
    hours given (at most the session's, by default all of them); the rest none.
    """
    _lock_person(offender.pk)
    session = ScheduledSession.objects.select_related("offering__version", "topic").get(pk=session.pk)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "Choose present, late, absent, excused or not held."})
    enrollment = (
        session.offering.enrollments.filter(offender=offender, enrolled_on__lte=session.date)
        .exclude(ended_on__lt=session.date)
        .first()
    )
    makeup = False
    if enrollment is None:
        enrollment = Enrollment.objects.filter(offender=offender, status=EnrollmentStatus.ENROLLED).first()
        if enrollment is None:
            raise ValidationError({"offender": f"{offender} is not enrolled in a class."})
        if not enrollment.version.sessions.filter(topic=session.topic).exists():
            raise ValidationError({"offender": f"{session.topic} is not a topic of {offender}'s course."})
        makeup = True
    if session.date < enrollment.course_started_on:
        started = format_date(enrollment.course_started_on)
        raise ValidationError({"offender": f"This session is before {offender}'s course started ({started})."})
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
        if hours is None:
            hours = session.hours
        if hours <= 0 or hours > session.hours:
            raise ValidationError({"hours": f"Between 0.25 and {session.hours} hours for this session."})
    else:
        hours = ZERO
    if status != AttendanceStatus.NOT_HELD:
        not_held_reason = ""
    existing = Attendance.objects.select_for_update().filter(session=session, offender=offender).active().first()
    before = (existing.course, existing.topic_id) if existing else None
    entry = existing or Attendance(session=session, offender=offender, entered_by=user)
    entry.enrollment, entry.course, entry.facility_id = enrollment, enrollment.course, session.offering.facility_id
    entry.topic_id, entry.date, entry.makeup = session.topic_id, session.date, makeup
    entry.status, entry.hours, entry.remark, entry.not_held_reason = (
        status,
        hours,
        (remark or "").strip(),
        not_held_reason,
    )
    entry.full_clean(validate_constraints=False)
    if problem := entry_date_problem(session.date):
        raise ValidationError({"date": problem})
    set_history(entry, user, f"Marked {AttendanceStatus(status).label.lower()}" if existing else None)
    entry.save()
    counted = {(entry.course, entry.topic_id), before or (entry.course, entry.topic_id)}
    progress.recount(courses={c for c, _ in counted}, topics={t for _, t in counted})
    if makeup and existing is None:  # a make-up joins this session's roster
        speakers_recheck(offender=offender, sessions=ScheduledSession.objects.filter(pk=session.pk), user=user)
    return entry


@transaction.atomic
def session_not_held(*, user, session: ScheduledSession, reason: str, remark: str = "") -> int:
    """The facility did not hold the session (lockdown, count, cancelled): everyone on its roster is
    marked "not held", which counts against nobody. Returns how many entries."""
    if not reason:
        raise ValidationError({"reason": "Say why the session was not held."})
    roster = session_roster(session)
    for enrollment in roster:
        attendance_mark(
            user=user,
            session=session,
            offender=enrollment.offender,
            status=AttendanceStatus.NOT_HELD,
            not_held_reason=reason,
            remark=remark,
        )
    return len(roster)


@transaction.atomic
def attendance_void(*, entry: Attendance, user, reason: str) -> Attendance:
    """Void an attendance entry with a reason: it stays, counts nowhere (its course's hours on the topic
    are counted again, the person locked as a mark locks them)."""
    _lock_person(entry.offender_id)
    entry = entry_void(entry=entry, user=user, reason=reason, noun="attendance entry")
    progress.recount(courses=[entry.course], topics=[entry.topic_id])
    return entry


# Guest speakers -------------------------------------------------------------------------------------------
def _roster_offenders(session: ScheduledSession) -> list[Offender]:
    return [e.offender for e in session_roster(session)]


@transaction.atomic
def speaker_book(*, user, speaker, session: ScheduledSession) -> SpeakerBooking:
    """Book a speaker for a session after the platform's conflict check against every person on the
    offering's roster. A possible conflict books nothing usable: the booking stays blocked (with the
    check's references, never why) until victim services clears it."""
    if user.role not in COORDINATORS and not user.is_superuser:
        raise PermissionDenied
    if not speaker.active:
        raise ValidationError({"speaker": "This speaker no longer speaks to classes."})
    if SpeakerBooking.objects.filter(speaker=speaker, session=session).exclude(status=BookingStatus.CANCELLED).exists():
        raise ValidationError({"speaker": "This speaker is already booked for this session."})
    person = PersonDetails.of(name=speaker.name, address=speaker.address, phone=speaker.phone, email=speaker.email)
    references = []
    for offender in _roster_offenders(session):
        result = conflict_check(offender=offender, person=person)
        references.extend(result.references)
    booking = SpeakerBooking(
        speaker=speaker,
        session=session,
        booked_by=user,
        status=BookingStatus.BLOCKED if references else BookingStatus.BOOKED,
        conflict_references=", ".join(references)[:300],
    )
    booking.full_clean()
    set_history(booking, user)
    booking.save()
    return booking


def speakers_recheck(*, offender: Offender, sessions, user) -> list[SpeakerBooking]:
    """Someone joined the roster of ``sessions`` (an enrollment, a make-up) after speakers were booked:
    run the platform's conflict check again between each booked (or blocked) speaker there and this
    person. A hit blocks the booking again with the check's references added (never who or why), even a
    booking victim services had cleared (its clearance was about the people on the roster then), until
    victim services clears it again. Returns the bookings blocked by this person."""
    bookings = (
        SpeakerBooking.objects.select_for_update(of=("self",))
        .filter(session__in=sessions, status__in=[BookingStatus.BOOKED, BookingStatus.BLOCKED])
        .select_related("speaker", "session")
        .order_by("pk")
    )
    blocked = []
    for booking in bookings:
        speaker = booking.speaker
        person = PersonDetails.of(name=speaker.name, address=speaker.address, phone=speaker.phone, email=speaker.email)
        result = conflict_check(offender=offender, person=person)
        if not result.references:
            continue
        known = [r for r in booking.conflict_references.split(", ") if r]
        new = [r for r in result.references if r not in known]
        if booking.status == BookingStatus.BLOCKED and not new:
            continue  # already blocked for this very reference
        references = known + new
        booking.status = BookingStatus.BLOCKED
        booking.conflict_references = ", ".join(references)[:300]
        booking.cleared_by, booking.cleared_at = None, None
        set_history(booking, user, "Blocked again: a person who joined the roster is a possible conflict")
        booking.save()
        blocked.append(booking)
    return blocked


@transaction.atomic
def speaker_booking_clear(*, booking: SpeakerBooking, user, note: str = "") -> SpeakerBooking:
    """Victim services (or an administrator), having reviewed the possible conflict, lets the booking go
    ahead."""
    from core.choices import Role

    if user.role not in (Role.VICTIM_SERVICES, Role.ADMINISTRATOR) and not user.is_superuser:
        raise PermissionDenied
    booking = SpeakerBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.BLOCKED:
        raise ValidationError("Only a blocked booking is cleared.")
    booking.status, booking.cleared_by, booking.cleared_at = BookingStatus.BOOKED, user, timezone.now()
    set_history(booking, user, f"Cleared by victim services{': ' + note if note else ''}")
    booking.save()
    return booking


@transaction.atomic
def speaker_booking_cancel(*, booking: SpeakerBooking, user) -> SpeakerBooking:
    if user.role not in COORDINATORS and not user.is_superuser:
        raise PermissionDenied
    booking = SpeakerBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is already cancelled.")
    booking.status = BookingStatus.CANCELLED
    set_history(booking, user, "Cancelled")
    booking.save()
    return booking
