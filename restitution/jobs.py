"""The nightly compliance job (02:00 America/Chicago): ``manage.py run_job compliance --date D``."""

import datetime as dt

from core.jobs import register_job

from .services import compliance_snapshot_run, ledger_check


@register_job(
    "compliance",
    description="Restitution and CVCF compliance snapshot of every open obligation, alerts and officer emails "
    "for new delinquencies.",
    hour=2,
    minute=0,
)
def compliance(run_date: dt.date) -> int:
    return compliance_snapshot_run(as_of=run_date)


@register_job(
    "ledger_check",
    description="Checks each obligation's running paid total against its allocations (the ledger) before the "
    "compliance job reads them; sets any difference right and alerts the administrators.",
    hour=1,
    minute=50,
)
def ledger_check_job(run_date: dt.date) -> int:
    return ledger_check(run_date)
