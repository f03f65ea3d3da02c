"""The nightly boards job (02:30 America/Chicago): ``manage.py run_job boards --date D``."""

import datetime as dt

from core.jobs import register_job

from .services import nightly_run


@register_job(
    "boards",
    description="Reparation boards: the tracked conditions of every active agreement (community service hours, "
    "the class, restitution paid), alerts for conditions past due and agreements at mid-term.",
    hour=2,
    minute=30,
)
def boards(run_date: dt.date) -> int:
    return nightly_run(as_of=run_date)
