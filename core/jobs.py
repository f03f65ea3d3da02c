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
import json
import logging
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.audit import audit_log
from core.choices import JobOutcome, OffenderStatus
from core.dates import format_date, format_days
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


READINESS_DAYS = 90
READINESS_BATCH = 100_000  # people a pass: each program's engine runs once a pass


@register_job(
    "supervision_review",
    description="Discharge readiness: for everyone whose supervision ends within 90 days, what they still owe "
    "each program and what will not be met by the end date at today's pace; one alert and one e-mail per "
    "officer for the people newly in that window or newly at risk.",
    hour=1,
    minute=45,
)
def supervision_review(run_date: dt.date) -> int:
    """Store each such person's readiness for the night (``core.models.Readiness``, what the programs'
    restorative providers say is unmet: ``core.restorative.unmet_for``, a batch of people at a time),
    replacing an earlier run's rows of that night. Each officer gets one alert and one e-mail listing
    their people who entered the window since the night before, or who are newly at risk; the alert is
    keyed by officer and night, so a rerun raises and sends nothing twice."""
    from core.bulk import copy_rows
    from core.models import Readiness
    from core.restorative import unmet_for

    horizon = run_date + dt.timedelta(days=READINESS_DAYS)
    people = list(
        Offender.objects.filter(
            status=OffenderStatus.SUPERVISED, supervision_end_date__gte=run_date, supervision_end_date__lte=horizon
        )
        .order_by("pk")
        .values_list("pk", "supervision_end_date", "supervising_officer_id", "district_id", "first_name", "last_name")
    )
    previous_night = (
        Readiness.objects.filter(as_of__lt=run_date).order_by("-as_of").values_list("as_of", flat=True).first()
    )
    before = {
        pk: (end, late)
        for pk, end, late in Readiness.objects.filter(as_of=previous_night).values_list(
            "offender_id", "supervision_end_date", "late"
        )
    }
    news: dict[int, list[str]] = {}
    with transaction.atomic():
        Readiness.objects.filter(as_of=run_date).delete()
        for start in range(0, len(people), READINESS_BATCH):
            batch = people[start : start + READINESS_BATCH]
            unmet = unmet_for({p[0]: p[1] for p in batch}, run_date)
            rows = []
            for pk, end, officer, district, first, last in batch:
                items = unmet.get(pk, [])
                late = any(i.late for i in items)
                listed = [{"program": i.program, "text": i.text, "late": i.late} for i in items]
                rows.append((run_date, pk, end, officer, district, json.dumps(listed), len(items), late))
                seen = before.get(pk)
                if officer is None or (seen is not None and seen[0] == end and (seen[1] or not late)):
                    continue
                what = "; ".join(i.text + (" (will not be met in time)" if i.late else "") for i in items)
                news.setdefault(officer, []).append(
                    f"{first} {last}, supervision ends {format_date(end)}: {what or 'nothing left to do'}"
                )
            copy_rows(
                Readiness,
                [
                    "as_of",
                    "offender_id",
                    "supervision_end_date",
                    "officer_id",
                    "district_id",
                    "unmet",
                    "unmet_count",
                    "late",
                ],
                rows,
            )
        created = _readiness_alerts(run_date, news)
    _readiness_emails(run_date, created)
    return len(people)


def _readiness_alerts(run_date: dt.date, news: dict[int, list[str]]) -> dict[int, list[str]]:
    """One alert per officer with news; returns the officers' lines whose alert is new tonight."""
    from django.urls import reverse

    from core.services import NewAlert, alerts_create

    if not news:
        return {}
    keys = {officer: f"supervision_review:{run_date.isoformat()}:{officer}" for officer in news}
    done = set(Alert.objects.filter(key__in=list(keys.values())).values_list("key", flat=True))
    fresh = {officer: lines for officer, lines in news.items() if keys[officer] not in done}
    link = reverse("core:readiness")
    alerts_create(
        [
            NewAlert(
                user_id=officer,
                title=f"{len(lines)} of your people end supervision within {format_days(READINESS_DAYS)}: "
                "check what is left",
                body="\n".join(lines),
                link=link,
                key=keys[officer],
            )
            for officer, lines in fresh.items()
        ]
    )
    return fresh


def _readiness_emails(run_date: dt.date, fresh: dict[int, list[str]]) -> None:
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string

    from core.models import User

    if not fresh:
        return
    messages = []
    for officer in User.objects.filter(pk__in=list(fresh), is_active=True).exclude(email=""):
        lines = fresh[officer.pk]
        messages.append(
            EmailMessage(
                subject=f"RJ Admin: {len(lines)} of your people end supervision within {format_days(READINESS_DAYS)}",
                body=render_to_string(
                    "core/email/readiness.txt",
                    {
                        "officer": officer,
                        "as_of": run_date,
                        "lines": lines,
                        "site_url": settings.SITE_URL,
                        "within": format_days(READINESS_DAYS),
                    },
                ),
                to=[officer.email],
            )
        )
    try:  # an outage never undoes the night's rows (the alerts stay)
        get_connection().send_messages(messages)
    except Exception:
        log.exception("Could not e-mail %d officers about discharge readiness", len(messages))


@register_job(
    "retention",
    description="Let the nightly jobs' own rows go by the retention rule (core.retention): snapshot nights "
    "older than SNAPSHOT_NIGHTS_KEPT except the first of each month for SNAPSHOT_MONTHS_KEPT months, and "
    "readiness rows as old except each person's last before discharge.",
    hour=4,
    minute=30,
)
def retention(run_date: dt.date) -> int:
    """Idempotent for its date: a rerun finds nothing more to let go. Returns partitions dropped plus rows
    deleted."""
    from core.retention import readiness_prune, snapshots_prune

    return snapshots_prune(run_date) + readiness_prune(run_date)
