"""Run a background job by hand: ``manage.py run_job NAME [--date YYYY-MM-DD]``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from core.choices import JobOutcome
from core.jobs import JOBS, JobAlreadyRunning, job_run


class Command(BaseCommand):
    help = "Run a registered job for a date (today in America/Chicago when --date is absent)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job; leave it out to list the jobs.")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="As-of date, YYYY-MM-DD.")

    def handle(self, *args, name=None, date=None, **options):
        if not name:
            for job in sorted(JOBS.values(), key=lambda j: j.name):
                self.stdout.write(f"{job.name:28} {job.schedule_display:18} {job.description}")
            return
        if name not in JOBS:
            raise CommandError(f"Unknown job {name!r}. Jobs: {', '.join(sorted(JOBS))}.")
        try:
            run = job_run(name=name, run_date=date)
        except JobAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        if run.outcome != JobOutcome.SUCCESS:
            self.stderr.write(run.error)
            raise CommandError(f"{name} for {run.run_date} failed.")
        self.stdout.write(self.style.SUCCESS(f"{name} for {run.run_date}: {run.rows} rows in {run.duration}."))
