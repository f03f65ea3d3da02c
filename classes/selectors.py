"""Reads of the classes that pages, reports, other apps and the public figure need. Each takes ``user``
and applies ``.restrict(user)`` (``user=None``: statewide public figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from core.querysets import VIEW

from . import progress
from .choices import CREDITED, AttendanceStatus, EnrollmentStatus, ReferralStatus
from .models import Attendance, Enrollment, Offering, Referral, ScheduledSession, Topic


# The grid: sessions x people, and what each person still lacks --------------------------------------
@dataclass
class GridRow:
    enrollment: Enrollment
    cells: list  # one Attendance or None per session, in the sessions' order
    lacking: list = field(default_factory=list)  # (topic name, hours lacking)
    credited: Decimal = Decimal("0.00")
    needed: Decimal = Decimal("0.00")


def offering_grid(offering: Offering) -> tuple[list[ScheduledSession], list[GridRow]]:
    """The offering's sessions and, per person ever enrolled in it, their entry at each session and what
    their course still lacks (from every offering: make-ups count). A fixed number of queries."""
    sessions = list(offering.sessions.select_related("topic").order_by("date", "start_time", "pk"))
    enrollments = list(
        offering.enrollments.select_related("offender").order_by("offender__last_name", "offender__first_name", "pk")
    )
    entries = {
        (a.session_id, a.offender_id): a
        for a in Attendance.objects.active()
        .filter(session__offering=offering)
        .only("session_id", "offender_id", "status", "hours", "makeup")
    }
    index = {s.pk: i for i, s in enumerate(sessions)}
    rows = []
    active_ids = [e.pk for e in enrollments if e.status == EnrollmentStatus.ENROLLED]
    topic_names = dict(Topic.objects.values_list("pk", "name"))
    progress_of = progress.progress_by_enrollment(active_ids) if active_ids else {}
    for e in enrollments:
        cells = [None] * len(sessions)
        for s in sessions:
            cells[index[s.pk]] = entries.get((s.pk, e.offender_id))
        row = GridRow(enrollment=e, cells=cells)
        for t in progress_of.get(e.pk, []):
            row.needed += t.needed
            row.credited += min(t.credited, t.needed)
            if not t.covered:
                row.lacking.append((topic_names[t.topic_id], t.lacking))
        rows.append(row)
    return sessions, rows


def enrollment_progress_rows(enrollment: Enrollment) -> list[dict]:
    """One enrollment's topics in its version's order: needed, credited, covered (any status)."""
    from .services import enrollment_progress

    result = enrollment_progress(enrollment)
    names = dict(Topic.objects.filter(pk__in=[t.topic_id for t in result.topics]).values_list("pk", "name"))
    return [
        {
            "position": t.position,
            "topic": names[t.topic_id],
            "needed": t.needed,
            "credited": t.credited,
            "covered": t.covered,
            "lacking": t.lacking,
        }
        for t in result.topics
    ]


def person_enrollments(user, offender):
    return (
        Enrollment.objects.restrict(user, VIEW)
        .filter(offender=offender)
        .select_related("offering__facility", "version")
        .order_by("-enrolled_on", "-pk")
    )


def person_attendance(user, offender):
    return (
        Attendance.objects.restrict(user, VIEW)
        .filter(offender=offender)
        .select_related("session__offering__facility", "topic")
        .order_by("-date", "-pk")
    )


def waiting_count(facility_id: int) -> int:
    """How many people wait at a facility (the offering page's figure; the list itself is scoped)."""
    return Referral.objects.filter(facility_id=facility_id, status=ReferralStatus.WAITING).count()


# Today's roster --------------------------------------------------------------------------------------------
def sessions_on(user, day: dt.date):
    """The sessions of ``day`` the user may mark: their facilities' (facilitators first)."""
    return (
        ScheduledSession.objects.restrict(user, VIEW)
        .filter(date=day)
        .select_related("offering__facility", "topic")
        .order_by("start_time", "offering__facility__code", "pk")
    )


# Statewide ------------------------------------------------------------------------------------------------
def lacking_statewide(user) -> list[dict]:
    """For each topic, how many active enrollments (that the user may see) still lack it."""
    from core.choices import STATEWIDE_ROLES

    if user.is_superuser or user.role in STATEWIDE_ROLES:
        counts = progress.lacking_counts()
    else:
        ids = (
            Enrollment.objects.restrict(user, VIEW)
            .filter(status=EnrollmentStatus.ENROLLED)
            .values_list("pk", flat=True)
        )
        counts = progress.lacking_counts(list(ids))
    names = dict(Topic.objects.values_list("pk", "name"))
    return sorted(
        ({"topic": names[t], "people": n} for t, n in counts.items()), key=lambda r: (-r["people"], r["topic"])
    )


def facility_summary(user) -> list[dict]:
    """Per facility: offerings in progress, seats taken, people waiting, completions."""
    offerings = Offering.objects.restrict(user, VIEW)
    rows = {}
    for r in offerings.values("facility__code", "facility__name").annotate(
        running=Count("pk", filter=Q(status="in_progress"), distinct=True),
        enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED), distinct=True),
        completed=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.COMPLETED), distinct=True),
    ):
        rows[r["facility__code"]] = {**r, "waiting": 0}
    waiting = (
        Referral.objects.restrict(user, VIEW)
        .filter(status=ReferralStatus.WAITING)
        .values("facility__code", "facility__name")
        .annotate(n=Count("pk"))
    )
    for r in waiting:
        rows.setdefault(
            r["facility__code"],
            {
                "facility__code": r["facility__code"],
                "facility__name": r["facility__name"],
                "running": 0,
                "enrolled": 0,
                "completed": 0,
            },
        )["waiting"] = r["n"]
    return [rows[k] for k in sorted(rows)]


# Public figures (statewide, no person) --------------------------------------------------------------------
def completions_total() -> int | None:
    n = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).count()
    return n or None


def completions_in_year(year: int) -> int:
    return Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED, ended_on__year=year).count()


def completed(offender_id: int) -> bool:
    """Whether a person has completed the class (for board agreement conditions)."""
    return Enrollment.objects.filter(offender_id=offender_id, status=EnrollmentStatus.COMPLETED).exists()


def completion_for_code(code: str) -> Enrollment | None:
    """The completed enrollment a certificate's code names (for the public verification page)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 12:
        return None
    return (
        Enrollment.objects.filter(certificate_code=code, status=EnrollmentStatus.COMPLETED)
        .select_related("offering__facility", "version")
        .first()
    )


def attendance_rates(user, year: int | None = None) -> list[dict]:
    qs = Attendance.objects.restrict(user, VIEW).active()
    if year:
        qs = qs.filter(date__year=year)
    rows = qs.values("facility__code").annotate(
        entries=Count("pk", filter=~Q(status=AttendanceStatus.NOT_HELD)),
        attended=Count("pk", filter=Q(status__in=[s.value for s in CREDITED])),
        not_held=Count("pk", filter=Q(status=AttendanceStatus.NOT_HELD)),
        makeups=Count("pk", filter=Q(makeup=True)),
    )
    return sorted(rows, key=lambda r: r["facility__code"])


def completed_among(offender_ids) -> set[int]:
    """Which of these people have completed the class, in one query (for board agreement conditions)."""
    return set(
        Enrollment.objects.filter(offender_id__in=list(offender_ids), status=EnrollmentStatus.COMPLETED)
        .values_list("offender_id", flat=True)
        .distinct()
    )
