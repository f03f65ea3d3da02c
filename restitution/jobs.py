"""The nightly compliance job (02:00 America/Chicago): ``manage.py run_job compliance --date D``."""

import datetime as dt

from core.jobs import register_job

from .services import compliance_snapshot_run


@register_job(
    "compliance",
    description="Restitution and CVCF compliance snapshot of every open obligation, alerts and officer emails "
    "for new delinquencies.",
    hour=2,
    minute=0,
)
def compliance(run_date: dt.date) -> int:
    return compliance_snapshot_run(as_of=run_date)
