"""The completion rule of the Impact of Crime on Victims classes, read two ways.

A person's course is a chain of enrollments: the first one, and each one that continues it after a
transfer (``Enrollment.continues``); the course's id is its first enrollment's (``Enrollment.course``).
Every attendance entry counts for the course the person was in when it was marked (``Attendance.course``:
in their own class, or in any other class making up a topic). A course that ends (completed, withdrawn,
failed) takes its hours with it: starting again is a new course.

For an enrollment of course C on curriculum version V:

- for each session of V (topic T, hours H): credited(T) = the hours of C's standing attendance entries
  (not void) on topic T, **in any offering at any facility** (make-ups and transfers: progress follows the
  person, not the class). Present and late credit hours; absent, excused and
  "not held" credit none, so a session the facility did not hold counts against nobody: it is simply
  owed again, like any topic not yet covered;
- T is covered when credited(T) >= H; what the person still lacks is every topic not covered, with
  H - credited(T) hours;
- the enrollment may be completed when every topic of V is covered and, where V has a post-test, the
  post-test is recorded.

The version is the enrollment's (kept from the course's first enrollment across transfers), so a
version revised mid-course changes nothing for those already in it: the topics of their version count,
made up in an offering of any version that covers them.

``evaluate`` is the rule as written, in Python (the reference the tests hold the SQL to). In SQL, each
course's credited hours per topic of its version are kept in ``CourseProgress`` by the services (the sum
of its standing entries, counted again at each mark, correction and void); ``PROGRESS_SQL`` and
``LACKING_SQL`` read it for every active enrollment at once or for some, for the statewide view, the
grid, the API and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TopicProgress:
    topic_id: int
    position: int
    needed: Decimal
    credited: Decimal

    @property
    def covered(self) -> bool:
        return self.credited >= self.needed

    @property
    def lacking(self) -> Decimal:
        return max(ZERO, self.needed - self.credited)


@dataclass(frozen=True)
class Progress:
    topics: tuple[TopicProgress, ...]
    needs_posttest: bool

    @property
    def lacking(self) -> tuple[TopicProgress, ...]:
        return tuple(t for t in self.topics if not t.covered)

    @property
    def hours_needed(self) -> Decimal:
        return sum((t.needed for t in self.topics), ZERO)

    @property
    def hours_credited(self) -> Decimal:
        return sum((min(t.credited, t.needed) for t in self.topics), ZERO)

    @property
    def complete(self) -> bool:
        return not self.lacking and not self.needs_posttest


def evaluate(
    *,
    sessions: list[tuple[int, int, Decimal]],
    attendance: list[tuple[int, int, Decimal, bool]],
    course: int,
    has_posttest: bool,
    posttest_recorded: bool,
) -> Progress:
    """The rule as written. ``sessions``: (position, topic id, hours) of the version; ``attendance``:
    (topic id, course, hours credited, void) of every entry of the person, anywhere."""
    credited: dict[int, Decimal] = {}
    for topic_id, entry_course, hours, void in attendance:
        if void or entry_course != course:
            continue
        credited[topic_id] = credited.get(topic_id, ZERO) + hours
    topics = tuple(
        TopicProgress(topic_id=t, position=p, needed=h, credited=credited.get(t, ZERO)) for p, t, h in sorted(sessions)
    )
    return Progress(topics=topics, needs_posttest=has_posttest and not posttest_recorded)


# The same in SQL. What each course has credited on each topic of its version is kept in
# ``classes_courseprogress`` (``models.CourseProgress``) by the services that write attendance and start
# courses (``course_start``, ``recount`` below), so "who still lacks which topics" reads only the rows not
# yet covered (a partial index) beside the active enrollments. Asked of the attendance itself, every
# active enrollment's topics had to be produced and compared with its course's sums (4 million pairs at
# 500,000 enrollments: five times the bare GROUP BY over attendance, benchmarks/classes.py).
PROGRESS_SQL = """
    SELECT e.id, p.position, p.topic_id, p.needed, p.credited
      FROM classes_enrollment e
      JOIN classes_courseprogress p ON p.course = e.course
     WHERE e.status = 'enrolled' {enrollment_filter}
"""

LACKING_SQL = PROGRESS_SQL + " AND p.credited < p.needed"

# A course's standing credited hours on a topic, from attendance: the rule's sum, in one place.
_CREDITED = """COALESCE((SELECT SUM(a.hours) FROM classes_attendance a
                          WHERE a.course = {course} AND a.topic_id = {topic}
                            AND a.voided_at IS NULL AND a.hours > 0), 0)"""

# A new course: a row per topic of its version (a course continued after a transfer has them already).
_START_SQL = f"""
    INSERT INTO classes_courseprogress (course, topic_id, position, needed, credited)
    SELECT %(course)s, cs.topic_id, cs.position, cs.hours, {_CREDITED.format(course="%(course)s", topic="cs.topic_id")}
      FROM classes_curriculumsession cs
     WHERE cs.version_id = %(version)s
    ON CONFLICT (course, topic_id) DO NOTHING
"""

# After a write to attendance: the sums of these courses on these topics, counted again.
_RECOUNT_SQL = f"""
    UPDATE classes_courseprogress p SET credited = {_CREDITED.format(course="p.course", topic="p.topic_id")}
     WHERE p.course = ANY(%(courses)s) AND p.topic_id = ANY(%(topics)s)
"""

# Every course from scratch, set-based: the data migration's statement, and the benchmark's after its
# build (which writes attendance in SQL, not through the services).
REBUILD_SQL = """
    INSERT INTO classes_courseprogress (course, topic_id, position, needed, credited)
    SELECT c.course, cs.topic_id, cs.position, cs.hours, COALESCE(t.hours, 0)
      FROM (SELECT DISTINCT course, version_id FROM classes_enrollment WHERE course IS NOT NULL) c
      JOIN classes_curriculumsession cs ON cs.version_id = c.version_id
      LEFT JOIN (SELECT course, topic_id, SUM(hours) AS hours FROM classes_attendance
                  WHERE voided_at IS NULL AND hours > 0 GROUP BY course, topic_id) t
             ON t.course = c.course AND t.topic_id = cs.topic_id
"""


def course_start(*, course: int, version_id: int) -> None:
    """Rows for a course's topics (its version's), with what it already has credited: one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_START_SQL, {"course": course, "version": version_id})


def recount(*, courses, topics) -> None:
    """Count again the standing hours of ``courses`` on ``topics`` after a mark, correction or void."""
    with connection.cursor() as cursor:
        cursor.execute(_RECOUNT_SQL, {"courses": list(courses), "topics": list(topics)})


def rebuild() -> int:
    """Write every course's progress again from attendance (one transaction). Returns the rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM classes_courseprogress")
        cursor.execute(REBUILD_SQL)
        return cursor.rowcount


def _filters(enrollment_ids):
    if enrollment_ids is None:
        return {"enrollment_filter": ""}, []
    return {"enrollment_filter": "AND e.id = ANY(%s)"}, [list(enrollment_ids)]


def progress_rows(enrollment_ids=None, *, lacking_only: bool = False) -> list[tuple]:
    """(enrollment id, position, topic id, hours needed, hours credited) for active enrollments (all
    of them, or those named); only the topics not covered with ``lacking_only``."""
    fmt, params = _filters(enrollment_ids)
    sql = (LACKING_SQL if lacking_only else PROGRESS_SQL).format(**fmt)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def progress_by_enrollment(enrollment_ids) -> dict[int, list[TopicProgress]]:
    """Each active enrollment's topics with hours needed and credited, in the version's order."""
    out: dict[int, list[TopicProgress]] = {pk: [] for pk in enrollment_ids}
    for pk, position, topic_id, needed, credited in sorted(progress_rows(enrollment_ids)):
        out[pk].append(TopicProgress(topic_id=topic_id, position=position, needed=needed, credited=credited))
    return out


def lacking_counts(enrollment_ids=None) -> dict[int, int]:
    """Per topic, how many active enrollments (all, or those named) still lack it: one statement."""
    fmt, params = _filters(enrollment_ids)
    sql = f"SELECT topic_id, COUNT(*) FROM ({LACKING_SQL.format(**fmt)}) lacking GROUP BY topic_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
