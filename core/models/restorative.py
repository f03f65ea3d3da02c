"""What core keeps of the restorative record (``core.restorative``): the copies of progress reports
officers printed, and the nightly readiness check of the people whose supervision ends soon."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.querysets import ALL, CHANGE, VIEW, RestrictedQuerySet

from .people import Offender


def progress_report_path(instance, filename):
    return f"progress_reports/{timezone.now():%Y/%m}/{instance.offender_id}-{filename}"


class ProgressReport(models.Model):
    """A copy of a progress report as printed: for a court date or a parole hearing (``court``), or the
    plain-language version for the person (``person``). Kept, never deleted, with who and when."""

    class Version(models.TextChoices):
        COURT = "court", "For the court or the parole board"
        PERSON = "person", "For the person"

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="progress_reports")
    version = models.CharField(max_length=10, choices=Version.choices, default=Version.COURT)
    as_of = models.DateField()
    purpose = models.CharField(
        max_length=120, blank=True, help_text="What it is for, as printed on it: a court date, a parole hearing."
    )
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now, editable=False)
    file = models.FileField(upload_to=progress_report_path, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-produced_at", "-pk"]
        indexes = [models.Index(fields=["offender", "-produced_at"])]

    def __str__(self):
        return f"Progress report of {self.as_of:%b %-d, %Y} ({self.get_version_display().lower()})"

    def get_absolute_url(self):
        return reverse("core:progress_report_file", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        """Who produced it, whoever may change the person (their officer, the district's supervisor,
        an administrator) and the auditors see a copy; nobody changes one."""
        if action != VIEW:
            return None
        if user.role in (Role.ADMINISTRATOR, Role.AUDITOR):
            return ALL
        mine = Q(produced_by_id=user.pk)
        change = Offender.scope_q(user, CHANGE, prefix="offender__")
        return mine | change if change is not None else mine


class Readiness(models.Model):
    """One person's discharge readiness on one night (``core.jobs.supervision_review``): their
    supervision ends within ``READINESS_DAYS``; ``unmet`` lists what they still owe, program by
    program (``[{"program", "text", "late"}]``), and ``late`` says whether any of it will not be met by
    the end date at today's pace. A rerun replaces the night's rows."""

    as_of = models.DateField()
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    supervision_end_date = models.DateField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, db_constraint=False
    )
    district_id = models.BigIntegerField(null=True)
    unmet = models.JSONField(default=list)
    unmet_count = models.PositiveSmallIntegerField(default=0)
    late = models.BooleanField(default=False)
    # Kept past the retention window as the person's last row before that end date (core.retention).
    retained = models.BooleanField(default=False, db_default=False)  # a database default: the night is COPYed

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["supervision_end_date", "offender_id"]
        constraints = [
            models.UniqueConstraint(fields=["as_of", "offender"], name="%(app_label)s_%(class)s_one_a_night"),
        ]
        indexes = [
            models.Index(fields=["as_of", "district_id", "supervision_end_date"]),
            # Each person's rows for one end date, newest last: the retention rule's and the discharge report's.
            models.Index(fields=["offender", "supervision_end_date", "as_of"], name="core_readiness_person_end"),
            # The rows the retention rule has still to look at: old ones not yet kept.
            models.Index(fields=["as_of"], condition=models.Q(retained=False), name="core_readiness_to_review"),
        ]

    def __str__(self):
        return f"Readiness on {self.as_of:%b %-d, %Y}"

    @classmethod
    def scope_q(cls, user, action):
        if action != VIEW:
            return None
        return Offender.scope_q(user, VIEW, prefix="offender__")
