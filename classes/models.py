"""Impact of Crime on Victims classes: the curriculum (versions of ordered sessions, one topic each),
offerings at a facility or a P&P office with their scheduled sessions, referrals and the waiting list,
enrollments (which keep the curriculum version they started on), attendance (voidable entries), guest
speakers and their bookings.

Progress follows the person, not the class: a topic is covered by the hours a person attended on it in
any offering, at any facility (``classes.progress``). Nothing is deleted: an attendance entry is
corrected with history or voided with a reason; an enrollment ends as completed, withdrawn, failed or
transferred.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.choices import DISTRICT_ROLES, Role
from core.dates import entry_date_problem, format_date
from core.entries import EntryQuerySet, VoidableEntry, entry_scope_q
from core.models import Facility, Offender
from core.querysets import ALL, VIEW, RestrictedQuerySet, catalog_scope_q, facility_scope_q

from .choices import (
    CREDITED,
    MAX_CAPACITY,
    MAX_SESSION_HOURS,
    AttendanceStatus,
    BookingStatus,
    EnrollmentStatus,
    NotHeldReason,
    OfferingStatus,
    ReferralSource,
    ReferralStatus,
)

# Guest speakers are victim volunteers: their name and contact are for these roles only.
COORDINATORS = frozenset({Role.ADMINISTRATOR, Role.VICTIM_SERVICES})
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def hours_field(verbose_name=None, **kwargs):
    """Class hours: two decimals, up to 999.99."""
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


def new_certificate_code() -> str:
    """Twelve characters from an unambiguous alphabet (about 60 bits): not guessable, easy to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def person_or_facility_q(user, action, *, offender_prefix: str, facility_prefix: str) -> Q | None:
    """A person's class records: facility staff of the facility where they happen, the district roles
    for the people they may see (an officer's caseload, read only), administrators all, auditors read."""
    if user.role in DISTRICT_ROLES:
        return Offender.scope_q(user, VIEW, prefix=offender_prefix) if action == VIEW else None
    return facility_scope_q(user, action, prefix=facility_prefix)


def class_scope_q(user, action, *, prefix: str = "") -> Q | None:
    """Offerings and their sessions: the facility's; victim services read them too, to book speakers."""
    if action == VIEW and user.role == Role.VICTIM_SERVICES:
        return ALL
    return facility_scope_q(user, action, prefix=prefix)


# The curriculum ------------------------------------------------------------------------------------
class Topic(models.Model):
    """A topic a class covers (domestic violence, homicide...): shared by every curriculum version, so
    a topic made up in an offering of a newer version still counts for an older one."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("classes:topic_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class CurriculumVersion(models.Model):
    """One version of the course: its ordered sessions (``CurriculumSession``) and whether it has a
    pre-test and a post-test. A revision is a new version (``services.curriculum_revise``); an
    enrollment keeps the version it started on."""

    name = models.CharField(max_length=120, help_text="For example: Impact of Crime on Victims (Missouri).")
    number = models.PositiveSmallIntegerField("version", validators=[MinValueValidator(1)])
    effective_on = models.DateField("in use from")
    has_pretest = models.BooleanField("has a pre-test", default=False)
    has_posttest = models.BooleanField(
        "has a post-test", default=False, help_text="When checked, completion needs the post-test recorded."
    )
    active = models.BooleanField(default=True, help_text="New offerings use an active version.")
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="%(app_label)s_%(class)s_unique_number"),
        ]

    def __str__(self):
        return f"{self.name}, version {self.number}"

    def get_absolute_url(self):
        return reverse("classes:curriculumversion_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class CurriculumSession(models.Model):
    """One session of a version: its place in the order, its topic and its hours."""

    version = models.ForeignKey(CurriculumVersion, on_delete=models.PROTECT, related_name="sessions")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    hours = hours_field(validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("40"))])
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="%(app_label)s_%(class)s_unique_position"),
            models.UniqueConstraint(fields=["version", "topic"], name="%(app_label)s_%(class)s_unique_topic"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="%(app_label)s_%(class)s_hours_positive"),
        ]

    def __str__(self):
        return f"{self.position}. {self.topic} ({self.hours} h)"

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


# Offerings -----------------------------------------------------------------------------------------
class Offering(models.Model):
    """A class run at a facility or a P&P office on one curriculum version: facilitators, capacity,
    its scheduled sessions."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="class_offerings")
    version = models.ForeignKey(CurriculumVersion, on_delete=models.PROTECT, related_name="offerings")
    title = models.CharField(max_length=120, help_text="As the facility calls it, for example: Spring 2026, Tuesdays.")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)])
    status = models.CharField(max_length=12, choices=OfferingStatus.choices, default=OfferingStatus.PLANNED)
    starts_on = models.DateField()
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="class_offerings", help_text="Staff who lead the class."
    )
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[facilitators])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="%(app_label)s_%(class)s_capacity"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.facility.code})"

    def get_absolute_url(self):
        return reverse("classes:offering_detail", args=[self.pk])

    def clean(self):
        if problem := entry_date_problem(self.starts_on, future=True):
            raise ValidationError({"starts_on": problem})

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        return class_scope_q(user, action, prefix=prefix)


class ScheduledSession(models.Model):
    """One meeting of an offering: date, time, room, the topic it covers and the hours it credits."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="sessions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    start_time = models.TimeField("starts at")
    end_time = models.TimeField("ends at")
    room = models.CharField(max_length=60, blank=True)
    hours = hours_field(
        "hours credited",
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_SESSION_HOURS)],
        help_text="What attending the whole session credits toward its topic.",
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="%(app_label)s_%(class)s_times"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_SESSION_HOURS), name="%(app_label)s_%(class)s_hours"
            ),
        ]
        indexes = [models.Index(fields=["date", "offering"])]

    def __str__(self):
        return f"{self.topic} on {format_date(self.date)}" if self.date else "Session"

    def get_absolute_url(self):
        return reverse("classes:scheduledsession_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "The session ends before it starts."
        if (
            self.offering_id
            and self.topic_id
            and not self.offering.version.sessions.filter(topic_id=self.topic_id).exists()
        ):
            errors["topic"] = f"{self.topic} is not a topic of {self.offering.version}."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return class_scope_q(user, action, prefix="offering__")


# Referral, waiting list, enrollment ----------------------------------------------------------------
class Referral(models.Model):
    """A person referred to the class at a facility (by an officer, facility staff or a board
    agreement): on the facility's waiting list until enrolled or cancelled."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="class_referrals")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="class_referrals")
    source = models.CharField(max_length=10, choices=ReferralSource.choices)
    referred_on = models.DateField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system put the person on the list after a transfer.",
    )
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.WAITING)
    closed_reason = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            # One place on a facility's list at a time.
            models.UniqueConstraint(
                fields=["offender", "facility"],
                condition=Q(status="waiting"),
                name="%(app_label)s_%(class)s_one_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(closed_reason=""), name="%(app_label)s_%(class)s_cancel_reason"
            ),
        ]
        indexes = [models.Index(fields=["facility", "status"])]

    def __str__(self):
        return f"Referral of {self.offender} to {self.facility.code}"

    def get_absolute_url(self):
        return reverse("classes:referral_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        if user.role == Role.PROBATION_OFFICER or user.role == Role.DISTRICT_SUPERVISOR:
            # Officers refer their people; they see the referrals of the people they may see.
            return Offender.scope_q(user, action, prefix="offender__")
        return person_or_facility_q(user, action, offender_prefix="offender__", facility_prefix="")


class Enrollment(models.Model):
    """A seat in an offering for one person, on the curriculum version of their course.

    A person transferred mid-course ends this enrollment as transferred and continues in another
    (``continues``), keeping the version, the course (``course``: its first enrollment's id) and its start:
    every hour of the course counts, wherever it was attended (``classes.progress``). Completion is recorded only by
    ``services.enrollment_complete``, which checks it.
    """

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="class_enrollments")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    version = models.ForeignKey(CurriculumVersion, on_delete=models.PROTECT, related_name="enrollments", editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="enrollments", editable=False
    )
    continues = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="continued_by", editable=False
    )
    course = models.BigIntegerField(
        "course",
        null=True,
        editable=False,
        db_index=True,
        help_text="The first enrollment of the person's course: itself, or the one a transfer continues.",
    )
    course_started_on = models.DateField("course started on", editable=False)
    enrolled_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED, editable=False
    )
    ended_on = models.DateField(null=True, blank=True, editable=False)
    end_reason = models.CharField(max_length=300, blank=True, editable=False)
    pretest_score = models.PositiveSmallIntegerField(
        "pre-test score", null=True, blank=True, validators=[MaxValueValidator(100)], editable=False
    )
    posttest_score = models.PositiveSmallIntegerField(
        "post-test score", null=True, blank=True, validators=[MaxValueValidator(100)], editable=False
    )
    certificate_code = models.CharField(
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        validators=[RegexValidator(f"^[{CODE_ALPHABET}]{{12}}$")],
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on", "-pk"]
        constraints = [
            # A person sits in one class at a time.
            models.UniqueConstraint(
                fields=["offender"], condition=Q(status="enrolled"), name="%(app_label)s_%(class)s_one_active"
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled", ended_on__isnull=True)
                | (~Q(status="enrolled") & Q(ended_on__isnull=False)),
                name="%(app_label)s_%(class)s_ended_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(certificate_code__isnull=False))
                | (~Q(status="completed") & Q(certificate_code__isnull=True)),
                name="%(app_label)s_%(class)s_certificate_on_completion",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["withdrawn", "failed"]) | ~Q(end_reason=""),
                name="%(app_label)s_%(class)s_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(course_started_on__lte=F("enrolled_on")), name="%(app_label)s_%(class)s_course_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "offering"]), models.Index(fields=["offender", "status"])]

    def __str__(self):
        return f"{self.offender} in {self.offering}"

    def get_absolute_url(self):
        return reverse("classes:enrollment_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == EnrollmentStatus.ENROLLED

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        return person_or_facility_q(
            user, action, offender_prefix=f"{prefix}offender__", facility_prefix=f"{prefix}offering__"
        )


# Attendance ----------------------------------------------------------------------------------------
class Attendance(VoidableEntry):
    """One person at one scheduled session: present, late, absent, excused or not held.

    Present and late credit hours toward the session's topic (late: the hours actually attended, at most
    the session's); the others credit none, and "not held" (a lockdown, a count, a cancellation) counts
    against nobody. A person attending a session of an offering they are not enrolled in is making up
    a topic (``makeup``) for their own course. ``offender``, ``course``, ``topic`` and ``date`` are copied
    from the session and the enrollment so the progress query reads one table.
    """

    facility_path = "facility"

    session = models.ForeignKey(ScheduledSession, on_delete=models.PROTECT, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="attendance")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="class_attendance", editable=False)
    course = models.BigIntegerField(editable=False, help_text="The course of the enrollment it counts for.")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", editable=False)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+", editable=False)
    date = models.DateField(editable=False)
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    hours = hours_field("hours credited", default=Decimal("0.00"))
    makeup = models.BooleanField("make-up", default=False, editable=False)
    not_held_reason = models.CharField(max_length=10, choices=NotHeldReason.choices, blank=True)
    remark = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["session__date", "offender__last_name", "pk"]
        verbose_name_plural = "attendance"
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.UniqueConstraint(
                fields=["session", "offender"],
                condition=Q(voided_at__isnull=True),
                name="%(app_label)s_%(class)s_once_per_session",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=[s.value for s in CREDITED]) & Q(hours__gt=0))
                | (~Q(status__in=[s.value for s in CREDITED]) & Q(hours=0)),
                name="%(app_label)s_%(class)s_hours_only_attended",
            ),
            models.CheckConstraint(
                condition=Q(status="not_held") | Q(not_held_reason=""), name="%(app_label)s_%(class)s_reason_not_held"
            ),
        ]
        indexes = [
            # The progress query: standing credited hours per course and topic.
            models.Index(
                fields=["course", "topic"],
                include=["hours"],
                condition=Q(voided_at__isnull=True, hours__gt=0),
                name="classes_att_credited",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.session}" if self.session_id else "Attendance"

    def get_absolute_url(self):
        return reverse("classes:attendance_detail", args=[self.pk])

    @property
    def credits(self) -> bool:
        return self.status in CREDITED

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        if user.role in DISTRICT_ROLES:
            return Offender.scope_q(user, VIEW, prefix=f"{prefix}offender__") if action == VIEW else None
        return entry_scope_q(user, action, prefix=prefix, facility_path="facility")


class CourseProgress(models.Model):
    """A course's standing credited hours on one topic of its version, kept by the services.

    One row per course (``Enrollment.course``) and topic of the course's version, written when the course
    starts (``services.enrollment_enroll``) and brought up to date whenever an entry of the course is
    marked, corrected or voided (``attendance_mark``, ``attendance_void``): ``credited`` is always the sum
    of the course's standing entries on the topic, recounted from attendance (``classes.progress``).
    ``position`` and ``needed`` are the version's for the topic. The pages, the API and the statewide
    question read this table; ``progress.rebuild`` writes it again from attendance.
    """

    pk = models.CompositePrimaryKey("course", "topic")
    course = models.BigIntegerField(help_text="The first enrollment of the course.")
    # Derived rows, written only from ids just read: no database constraint (as the pace snapshots').
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    position = models.PositiveSmallIntegerField()
    needed = hours_field("hours needed")
    credited = models.DecimalField("hours credited", max_digits=7, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name_plural = "course progress"
        indexes = [
            # "Who still lacks which topics": only the topics not yet covered.
            models.Index(fields=["course"], condition=Q(credited__lt=F("needed")), name="classes_progress_lacking"),
        ]

    def __str__(self):
        return f"Course {self.course}, topic {self.topic_id}: {self.credited} of {self.needed} h"


# Guest speakers --------------------------------------------------------------------------------------
class Speaker(models.Model):
    """A victim volunteer who speaks to classes (not a victim's case record). Name and contact are
    read by coordinators only (victim services and administrators); anyone else sees the reference."""

    reference = models.CharField(max_length=12, unique=True, editable=False)
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    address = models.CharField(max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", help_text="The topics they speak on.")
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[topics])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return f"Speaker {self.reference}"

    def get_absolute_url(self):
        return reverse("classes:speaker_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = "S-" + secrets.token_hex(5).upper()
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, user, action):
        return ALL if user.role in COORDINATORS else None


class SpeakerBooking(models.Model):
    """A speaker booked for one session. Booked only after the conflict check against everyone on the
    offering's roster; a possible conflict leaves it blocked until victim services clears it."""

    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(ScheduledSession, on_delete=models.PROTECT, related_name="speaker_bookings")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, editable=False)
    conflict_references = models.CharField(max_length=300, blank=True, editable=False)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-session__date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "session"],
                condition=~Q(status="cancelled"),
                name="%(app_label)s_%(class)s_once_per_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="blocked") | ~Q(conflict_references=""),
                name="%(app_label)s_%(class)s_blocked_has_reference",
            ),
        ]

    def __str__(self):
        return f"Guest speaker {self.speaker.reference}, {self.session}"

    def get_absolute_url(self):
        return reverse("classes:speakerbooking_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        if user.role in COORDINATORS:
            return ALL
        # The facility sees that a speaker comes (reference, status), never who.
        if action == VIEW:
            return facility_scope_q(user, action, prefix="session__offering__")
        return None
