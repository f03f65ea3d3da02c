"""The Impact of Crime on Victims class's part of a person's restorative record (``core.restorative``):
the enrollment's topics done and left (from the progress the services keep, ``CourseProgress``), the
certificate's code once completed, or the waiting list. At risk when a topic still lacking is not
scheduled in the person's offering before supervision ends, or when they are still waiting."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from core.dates import format_date
from core.querysets import VIEW
from core.restorative import Block, Fact, Source, Tone, Unmet

from .choices import EnrollmentStatus, ReferralStatus
from .models import CourseProgress, Enrollment, Referral, ScheduledSession

PROGRAM = "classes"
TITLE = "Impact of Crime on Victims class"


def _lacking(courses) -> tuple[dict[int, set[int]], dict[int, list[int]]]:
    """The topics each course still lacks (one query on the kept progress)."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = CourseProgress.objects.filter(course__in=list(courses)).values_list(
        "course", "topic_id", "needed", "credited"
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for course, topic, needed, credited in rows:
        totals[course][0] += 1
        if credited < needed:
            found[course].add(topic)
        else:
            totals[course][1] += 1
    return found, totals


def _unscheduled(enrollments, lacking, ends: dict[int, dt.date | None], as_of: dt.date) -> set[int]:
    """The enrollments with a lacking topic that their offering does not hold between tomorrow and the
    end of the person's supervision (one query)."""
    offered: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for offering, topic, day in (
        ScheduledSession.objects.filter(offering_id__in={e.offering_id for e in enrollments}, date__gt=as_of)
        .order_by("date")
        .values_list("offering_id", "topic_id", "date")
    ):
        offered[offering].setdefault(topic, day)
    late = set()
    for e in enrollments:
        end = ends.get(e.offender_id)
        for topic in lacking.get(e.course, ()):
            day = offered[e.offering_id].get(topic)
            if day is None or (end is not None and day > end):
                late.add(e.pk)
                break
    return late


def summary(offender, user, as_of: dt.date) -> list[Block]:
    enrollments = list(
        Enrollment.objects.restrict(user, VIEW)
        .filter(offender=offender, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED])
        .select_related("offering__facility", "version")
        .order_by("enrolled_on", "pk")
    )
    waiting = list(
        Referral.objects.restrict(user, VIEW)
        .filter(offender=offender, status=ReferralStatus.WAITING)
        .select_related("facility")
        .order_by("referred_on", "pk")
    )
    if not enrollments and not waiting:
        return []
    active = [e for e in enrollments if e.status == EnrollmentStatus.ENROLLED]
    lacking, totals = _lacking({e.course for e in active})
    late_ids = _unscheduled(active, lacking, {offender.pk: offender.supervision_end_date}, as_of) if active else set()
    blocks = []
    for e in enrollments:
        where = e.offering.facility.name
        if e.status == EnrollmentStatus.COMPLETED:
            blocks.append(
                Block(
                    program=PROGRAM,
                    title=TITLE,
                    tone=Tone.DONE,
                    headline=f"Completed on {format_date(e.ended_on)} at {where}.",
                    facts=(Fact("Curriculum", str(e.version)), Fact("Certificate code", e.certificate_code or "—")),
                    sources=(Source(e.ended_on, f"Certificate of completion, code {e.certificate_code}"),),
                    url=e.get_absolute_url(),
                )
            )
            continue
        topics, done = totals.get(e.course, [0, 0])
        left = len(lacking.get(e.course, ()))
        late = e.pk in late_ids
        blocks.append(
            Block(
                program=PROGRAM,
                title=TITLE,
                tone=Tone.AT_RISK if late else Tone.ON_TRACK,
                headline=f"Enrolled at {where} since {format_date(e.enrolled_on)}: {done} of {topics} topics done, "
                f"{left} left.",
                facts=(Fact("Curriculum", str(e.version)), Fact("Topics done", f"{done} of {topics}")),
                projection="A topic still lacking is not scheduled in this class before supervision ends."
                if late
                else "Every topic still lacking is scheduled before supervision ends."
                if left
                else "",
                late=late,
                url=e.get_absolute_url(),
            )
        )
    for r in waiting:
        blocks.append(
            Block(
                program=PROGRAM,
                title=TITLE,
                tone=Tone.AT_RISK,
                headline=f"On the waiting list at {r.facility.name} since {format_date(r.referred_on)}.",
                projection="Not yet enrolled: the class cannot be completed before it starts.",
                late=True,
            )
        )
    return blocks


# Each active enrollment of the people with topics still lacking: how many, and whether one of them is
# not scheduled in the person's offering between the day after D and the end of supervision (the first
# session of each offering and topic still to come, joined by hash rather than looked up a row at a time).
UNMET_SQL = """
WITH people AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(ends)s::date[]) AS x(offender_id, end_on)
), next AS (
    SELECT offering_id, topic_id, MIN(date) AS first_on
      FROM classes_scheduledsession WHERE date > %(d)s GROUP BY offering_id, topic_id
)
SELECT e.offender_id, COUNT(*) AS lacking,
       BOOL_OR(n.first_on IS NULL OR (x.end_on IS NOT NULL AND n.first_on > x.end_on)) AS late
  FROM classes_enrollment e
  JOIN people x ON x.offender_id = e.offender_id
  JOIN classes_courseprogress p ON p.course = e.course AND p.credited < p.needed
  LEFT JOIN next n ON n.offering_id = e.offering_id AND n.topic_id = p.topic_id
 WHERE e.status = 'enrolled'
 GROUP BY e.offender_id, e.id
"""


def unmet(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """Each active enrollment not yet complete (late when a lacking topic is not scheduled before the end
    of supervision), and each person still waiting and not enrolled: two queries."""
    from django.db import connection

    ids = list(people)
    found: dict[int, list[Unmet]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(UNMET_SQL, {"ids": ids, "ends": [people[i] for i in ids], "d": as_of})
        for offender_id, left, late in cursor.fetchall():
            found[offender_id].append(Unmet(PROGRAM, f"Class: {left} topic{'s' if left != 1 else ''} left", late))
    waiting = (
        Referral.objects.filter(offender_id__any=ids, status=ReferralStatus.WAITING)
        .exclude(offender__class_enrollments__status=EnrollmentStatus.ENROLLED)
        .values_list("offender_id", flat=True)
        .distinct()
    )
    for offender_id in waiting:
        found[offender_id].append(Unmet(PROGRAM, "Class: on the waiting list, not yet enrolled", True))
    return found


def durations(user, start: dt.date, end: dt.date):
    """Classes completed in the period: from the start of the course (its first enrollment) to completion."""
    from core.restorative import durations_of

    done = Enrollment.objects.restrict(user, VIEW).filter(
        status=EnrollmentStatus.COMPLETED, ended_on__gte=start, ended_on__lte=end
    )
    return [
        durations_of(done, what="Impact of Crime on Victims class completed", end="ended_on", start="course_started_on")
    ]
