"""The nightly pace check (02:15 America/Chicago): ``manage.py run_job community_service --date D``."""

import datetime as dt

from core.jobs import register_job

from .services import pace_snapshot_run


@register_job(
    "community_service",
    description="Community service pace of every open order (expected, credited, behind, projected completion), "
    "alerts and officer e-mails for orders newly behind or past due.",
    hour=2,
    minute=15,
)
def community_service(run_date: dt.date) -> int:
    return pace_snapshot_run(as_of=run_date)
