"""Operational records: job runs, CSV import batches, alerts and the access audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.choices import ImportStatus, JobOutcome, Role
from core.querysets import ALL, VIEW, RestrictedQuerySet


class JobRun(models.Model):
    """One run of a background job for one date: when, how many rows, and how it ended."""

    job = models.CharField(max_length=60)
    run_date = models.DateField(help_text="The date the job ran for (its 'as of' date).")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=JobOutcome.choices, default=JobOutcome.RUNNING)
    error = models.TextField(blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # The lock that makes a job safe to start twice at once: one running row per job and date.
            models.UniqueConstraint(
                fields=["job", "run_date"],
                condition=Q(outcome="running"),
                name="%(app_label)s_%(class)s_one_running_per_date",
            ),
        ]

    def __str__(self):
        return f"{self.job} for {self.run_date} ({self.get_outcome_display()})"

    @property
    def duration(self):
        if self.finished_at and self.started_at:
            return self.finished_at - self.started_at
        return None

    @classmethod
    def scope_q(cls, user, action):
        if user.role == Role.ADMINISTRATOR:
            return ALL
        if action == VIEW and user.role == Role.AUDITOR:
            return ALL
        return None


class ImportBatch(models.Model):
    """An uploaded CSV file, kept from its preview to its commit so nothing is lost in between.

    The dry run's findings are stored once in ``preview`` (sealed like the file for a sensitive
    importer): the preview page reads them and never runs the file again. A large file is checked and
    committed by a Celery task that writes ``progress`` as it goes (see ``core.imports``)."""

    kind = models.CharField(max_length=40)
    filename = models.CharField(max_length=255)
    content = models.TextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField(null=True, blank=True)
    preview = models.TextField(blank=True, help_text="What the dry run found (JSON; sealed as the file is).")
    progress = models.PositiveSmallIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the file's current step.")
    error = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.kind} import {self.filename}"

    def get_absolute_url(self):
        return reverse("core:import_preview", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)

    @classmethod
    def scope_q(cls, user, action):
        if user.role in (Role.ADMINISTRATOR, Role.AUDITOR) and action == VIEW:
            return ALL
        if user.role == Role.ADMINISTRATOR:
            return ALL
        # Anyone else sees only their own uploads.
        return Q(uploaded_by_id=user.pk) if user.role else None


class Alert(models.Model):
    """A message for one user raised by a job or a rule (a delinquency, an overdue condition)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    key = models.CharField(
        max_length=200,
        help_text="What the alert is about, so a re-run raises it only once (job:date:object).",
    )
    read_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="%(app_label)s_%(class)s_unique_user_key"),
        ]
        indexes = [
            # The nightly jobs ask which alerts of a night were already raised, by key or key prefix
            # (``key__startswith``, ``key__in``), across users: pattern ops serve both.
            models.Index(fields=["key"], name="core_alert_key_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action):
        return Q(user_id=user.pk)


class AuditEvent(models.Model):
    """Who looked at or exported what, when: the access log that history alone does not give."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=30)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.user} {self.action} {self.object_type} {self.object_id}"

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW and user.role in (Role.ADMINISTRATOR, Role.AUDITOR):
            return ALL
        return None
