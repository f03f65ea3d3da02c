"""Background jobs: a registry declared in code, one ``job_run`` service that records every run.

A job is a function ``(run_date) -> rows`` that is idempotent for its date. Apps register theirs
from their ``jobs.py`` or ``tasks.py``; the beat schedule is read from here by ``load_schedule``.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

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


def _claim(name: str, run_date: dt.date, user) -> JobRun:
    """Insert the running row; the partial unique constraint makes a second start for the date fail."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=name, run_date=run_date, triggered_by=user)
    except IntegrityError:
        stale_before = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        abandoned = JobRun.objects.filter(
            job=name, run_date=run_date, outcome=JobOutcome.RUNNING, started_at__lt=stale_before
        ).update(outcome=JobOutcome.FAILED, finished_at=timezone.now(), error="Abandoned: ran past the time limit.")
        if not abandoned:
            raise JobAlreadyRunning(f"{name} is already running for {run_date}") from None
        with transaction.atomic():
            return JobRun.objects.create(job=name, run_date=run_date, triggered_by=user)


def job_run(*, name: str, run_date: dt.date | None = None, user=None) -> JobRun:
    """Run one job for one date and record the run. Failures are recorded, not raised."""
    if name not in JOBS:
        raise UnknownJob(name)
    run_date = run_date or timezone.localdate()
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
