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
from .models import Enrollment, Referral

PROGRAM = "classes"
TITLE = "Impact of Crime on Victims class"


# Each active enrollment of the people: its topics, how many still lack hours, and whether one of those is
# not scheduled in the person's offering between the day after D and the end of supervision (the first
# session of each offering and topic still to come, joined by hash rather than looked up a row at a time).
# From the progress the services keep (``CourseProgress``).
PROGRESS_SQL = """
WITH people AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(ends)s::date[]) AS x(offender_id, end_on)
), next AS (
    SELECT offering_id, topic_id, MIN(date) AS first_on
      FROM classes_scheduledsession WHERE date > %(d)s GROUP BY offering_id, topic_id
)
SELECT e.id, e.offender_id, COUNT(*) AS topics,
       COUNT(*) FILTER (WHERE p.credited < p.needed) AS lacking,
       COALESCE(BOOL_OR(p.credited < p.needed
                        AND (n.first_on IS NULL OR (x.end_on IS NOT NULL AND n.first_on > x.end_on))), false) AS late
  FROM classes_enrollment e
  JOIN people x ON x.offender_id = e.offender_id
  JOIN classes_courseprogress p ON p.course = e.course
  LEFT JOIN next n ON n.offering_id = e.offering_id AND n.topic_id = p.topic_id
 WHERE e.status = 'enrolled'
 GROUP BY e.offender_id, e.id
"""


def _progress(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, tuple[int, int, int, bool]]:
    """``{enrollment id: (offender id, topics, lacking, late)}`` of the people's active enrollments (one query)."""
    from django.db import connection

    ids = list(people)
    with connection.cursor() as cursor:
        cursor.execute(PROGRESS_SQL, {"ids": ids, "ends": [people[i] for i in ids], "d": as_of})
        return {row[0]: row[1:] for row in cursor.fetchall()}


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
    progress = _progress({offender.pk: offender.supervision_end_date}, as_of) if enrollments else {}
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
        _, topics, left, late = progress.get(e.pk, (offender.pk, 0, 0, False))
        done = topics - left
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


def unmet(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """Each active enrollment not yet complete (late when a lacking topic is not scheduled before the end
    of supervision), and each person still waiting and not enrolled: two queries."""
    found: dict[int, list[Unmet]] = defaultdict(list)
    for offender_id, _, left, late in _progress(people, as_of).values():
        if left:
            found[offender_id].append(Unmet(PROGRAM, f"Class: {left} topic{'s' if left != 1 else ''} left", late))
    waiting = (
        Referral.objects.filter(offender_id__any=list(people), status=ReferralStatus.WAITING)
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
