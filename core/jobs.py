"""Background jobs: a registry declared in code, one ``job_run`` service that records every run.

A job is a function ``(run_date) -> rows`` that is idempotent for its date. Apps register theirs
from their ``jobs.py`` or ``tasks.py``; the beat schedule is read from here by ``load_schedule``.

A run holds a PostgreSQL advisory lock (session level, keyed by job and date) from before its
``JobRun`` row is written until it is finished. A process killed mid-way loses its connection, and
the server frees the lock with it: a "running" row whose lock is free is stale, not running. The
next start takes it over at once, and an administrator can mark it failed from the jobs page.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit_log
from core.choices import JobOutcome, OffenderStatus
from core.models import Alert, JobRun, Offender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[dt.date], int]
    description: str
    hour: int | None = None  # America/Chicago; None: on demand only
    minute: int = 0

    @property
    def schedule_display(self) -> str:
        return "on demand" if self.hour is None else f"daily at {self.hour:02d}:{self.minute:02d}"


JOBS: dict[str, Job] = {}


def register_job(name: str, *, description: str, hour: int | None = None, minute: int = 0):
    def decorator(func):
        JOBS[name] = Job(name=name, func=func, description=description, hour=hour, minute=minute)
        return func

    return decorator


class JobAlreadyRunning(Exception):
    pass


class UnknownJob(KeyError):
    pass


# The advisory lock's first key: "RJ" (0x524A), so no other use of advisory locks can collide with it.
LOCK_CLASS = 0x524A


def run_lock_key(name: str, run_date: dt.date) -> tuple[int, int]:
    """The two int4 keys of the advisory lock of one job and date (the second fits an int4 and an oid)."""
    return LOCK_CLASS, zlib.crc32(f"{name}:{run_date.isoformat()}".encode()) & 0x7FFFFFFF


def _try_lock(name: str, run_date: dt.date) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", run_lock_key(name, run_date))
        return cursor.fetchone()[0]


def _unlock(name: str, run_date: dt.date) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", run_lock_key(name, run_date))


def held_run_locks() -> set[int]:
    """The second keys of the job locks some session holds now (any connection, this one included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objsubid = 2"
            " AND granted",
            [LOCK_CLASS],
        )
        return {row[0] for row in cursor.fetchall()}


def stale_runs(runs) -> set[int]:
    """The ids of those of ``runs`` that say "running" but whose lock no one holds: their process is gone."""
    running = [r for r in runs if r.outcome == JobOutcome.RUNNING]
    if not running:
        return set()
    held = held_run_locks()
    return {r.pk for r in running if run_lock_key(r.job, r.run_date)[1] not in held}


def _claim(name: str, run_date: dt.date, user) -> JobRun:
    """Insert the running row, holding the job's lock (taken by the caller). A running row already
    there was left by a process that died (it held the lock): it is marked failed and taken over."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=name, run_date=run_date, triggered_by=user)
    except IntegrityError:
        JobRun.objects.filter(job=name, run_date=run_date, outcome=JobOutcome.RUNNING).update(
            outcome=JobOutcome.FAILED,
            finished_at=timezone.now(),
            error="Abandoned: the process running it stopped (its lock was free); a new run took over.",
        )
        with transaction.atomic():
            return JobRun.objects.create(job=name, run_date=run_date, triggered_by=user)


def job_run(*, name: str, run_date: dt.date | None = None, user=None) -> JobRun:
    """Run one job for one date and record the run. Failures are recorded, not raised.

    Raises ``JobAlreadyRunning`` when another process holds the job's lock for that date."""
    if name not in JOBS:
        raise UnknownJob(name)
    run_date = run_date or timezone.localdate()
    if not _try_lock(name, run_date):
        raise JobAlreadyRunning(f"{name} is already running for {run_date}")
    try:
        run = _claim(name, run_date, user)
        try:
            # All or nothing for the date: a job that fails half way leaves no half-written rows, and the
            # failure can still be recorded (inside a caller's transaction, a database error would otherwise
            # break it on PostgreSQL).
            with transaction.atomic():
                rows = JOBS[name].func(run_date)
        except Exception:
            log.exception("Job %s for %s failed", name, run_date)
            run.outcome = JobOutcome.FAILED
            run.error = traceback.format_exc()[-5000:]
        else:
            run.outcome = JobOutcome.SUCCESS
            run.rows = rows or 0
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "error", "rows", "finished_at"])
    finally:
        _unlock(name, run_date)
    return run


@transaction.atomic
def job_run_mark_failed(*, run: JobRun, user) -> JobRun:
    """An administrator closes a stale run: one that says "running" but whose process is gone (its lock
    is free). A run still holding its lock is really running and is refused. Written to the audit log."""
    run = JobRun.objects.select_for_update().get(pk=run.pk)
    if run.outcome != JobOutcome.RUNNING:
        raise ValidationError("This run has already ended.")
    if run.pk not in stale_runs([run]):
        raise ValidationError("This run is still running: its process holds the job's lock.")
    run.outcome = JobOutcome.FAILED
    run.finished_at = timezone.now()
    run.error = f"Marked failed by {user}: the process running it had stopped (its lock was free)."
    run.full_clean()
    run.save(update_fields=["outcome", "finished_at", "error"])
    audit_log(user=user, action="jobrun_mark_failed", obj=run, detail=f"{run.job} for {run.run_date.isoformat()}")
    return run


@register_job(
    "supervision_review",
    description="Alert each officer to the people on their caseload whose supervision ends within 60 days.",
    hour=1,
    minute=45,
)
def supervision_review(run_date: dt.date) -> int:
    """Raise one alert per person and end date, so a re-run for any date raises nothing twice."""
    horizon = run_date + dt.timedelta(days=60)
    ending = Offender.objects.filter(
        Q(status=OffenderStatus.SUPERVISED),
        supervising_officer__isnull=False,
        supervision_end_date__gte=run_date,
        supervision_end_date__lte=horizon,
    ).only("pk", "doc_id", "first_name", "last_name", "supervising_officer_id", "supervision_end_date")
    alerts = [
        Alert(
            user_id=o.supervising_officer_id,
            title=f"Supervision of {o.first_name} {o.last_name} ends on {o.supervision_end_date:%b %-d, %Y}",
            body="Check that restitution, community service and classes are complete before discharge.",
            link=o.get_absolute_url(),
            key=f"supervision_review:{o.pk}:{o.supervision_end_date.isoformat()}",
        )
        for o in ending
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)
