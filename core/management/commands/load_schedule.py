"""Load the beat schedule declared in code (core.jobs) into django-celery-beat's database scheduler."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.jobs import JOBS
from core.registry import FrequentTaskEntry, registry

PREFIX = "rjadmin:"
# Frequent tasks that are not dated jobs (no JobRun row each time); the apps add theirs to the registry.
FREQUENT = [FrequentTaskEntry("offender_events", "core.deliver_offender_events", 5)]


class Command(BaseCommand):
    help = "Create or update one periodic task per scheduled job; remove those no longer declared."

    @transaction.atomic
    def handle(self, *args, **options):
        declared = set()
        for job in JOBS.values():
            if job.hour is None:
                continue
            name = f"{PREFIX}{job.name}"
            declared.add(name)
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute=str(job.minute),
                hour=str(job.hour),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="America/Chicago",
            )
            PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": "core.run_job",
                    "crontab": schedule,
                    "interval": None,
                    "args": json.dumps([job.name]),
                    "enabled": True,
                    "description": job.description,
                },
            )
        for entry in [*FREQUENT, *registry.frequent_tasks.values()]:
            name = f"{PREFIX}{entry.slug}"
            declared.add(name)
            every, _ = IntervalSchedule.objects.get_or_create(every=entry.minutes, period=IntervalSchedule.MINUTES)
            PeriodicTask.objects.update_or_create(
                name=name,
                defaults={"task": entry.task, "interval": every, "crontab": None, "args": "[]", "enabled": True},
            )
        removed, _ = PeriodicTask.objects.filter(name__startswith=PREFIX).exclude(name__in=declared).delete()
        self.stdout.write(
            f"Schedule loaded: {len(declared)} job(s); {removed} stale entr{'y' if removed == 1 else 'ies'} removed."
        )
