"""The nightly jobs of community service: the check of the orders' credited totals (02:05) and the pace
check (02:15, America/Chicago): ``manage.py run_job hours_check --date D``, ``... community_service``."""

import datetime as dt

from core.jobs import register_job

from .services import hours_check, pace_snapshot_run


@register_job(
    "hours_check",
    description="Checks each community service order's running total of credited hours against its hour logs "
    "before the pace check reads them; sets any difference right and alerts the administrators.",
    hour=2,
    minute=5,
)
def hours_check_job(run_date: dt.date) -> int:
    return hours_check(run_date)


@register_job(
    "community_service",
    description="Community service pace of every open order (expected, credited, behind, projected completion), "
    "alerts and officer e-mails for orders newly behind or past due.",
    hour=2,
    minute=15,
)
def community_service(run_date: dt.date) -> int:
    return pace_snapshot_run(as_of=run_date)
