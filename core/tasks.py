"""Celery tasks of core: thin wrappers that call one service."""

import datetime as dt

from celery import shared_task

from core.jobs import job_run


@shared_task(acks_late=True, name="core.run_job")
def run_job_task(name: str, run_date: str | None = None, user_id: int | None = None) -> dict:
    """Run a registered job for a date (ISO string; today in America/Chicago when absent)."""
    from core.models import User

    user = User.objects.filter(pk=user_id).first() if user_id else None
    run = job_run(name=name, run_date=dt.date.fromisoformat(run_date) if run_date else None, user=user)
    return {"id": run.pk, "outcome": run.outcome, "rows": run.rows}


@shared_task(name="core.ping")
def ping() -> str:
    return "pong"


@shared_task(acks_late=True, name="core.deliver_offender_events")
def deliver_offender_events_task() -> int:
    """Every few minutes (beat): run the offender event deliveries that are due (retries, leftovers)."""
    from core.events import deliver

    return deliver()


@shared_task(acks_late=True, name="core.import_batch")
def import_batch_task(batch_id: int) -> dict:
    """Check or commit one large CSV upload (progress is written on the batch as it goes)."""
    from core.imports import import_batch_work

    batch = import_batch_work(batch_id=batch_id)
    return {"id": batch_id, "status": batch.status if batch else "already taken"}
