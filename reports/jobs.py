"""Nightly jobs of the reports app, run and recorded by core's job runner."""

from __future__ import annotations

import datetime as dt

from core.jobs import register_job


@register_job(
    "brochure",
    description="Rebuild the public brochure PDF from the live figures (served at /brochure.pdf).",
    hour=3,
    minute=0,
)
def brochure(run_date: dt.date) -> int:
    """Idempotent: each run stores a fresh build, and only the newest is served."""
    from core.choices import JobOutcome
    from core.models import JobRun

    from .services import brochure_build

    run = JobRun.objects.filter(job="brochure", run_date=run_date, outcome=JobOutcome.RUNNING).first()
    brochure_build(user=run.triggered_by if run else None)
    return 1


@register_job(
    "reports_cleanup",
    description="Delete generated report files past their expiry and close runs abandoned past the time limit.",
    hour=3,
    minute=15,
)
def reports_cleanup(run_date: dt.date) -> int:
    from .services import generated_reports_expire

    return generated_reports_expire()
