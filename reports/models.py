"""Generated report files, the brochure (its text blocks and built files), photos and historical baselines."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.models import Facility
from core.querysets import ALL, VIEW, RestrictedQuerySet

from .choices import BrochurePage, PhotoStatus, ReportFormat, ReportStatus


def _administrators(user, action, *, auditors_read: bool = True):
    if user.role == Role.ADMINISTRATOR:
        return ALL
    if auditors_read and action == VIEW and user.role == Role.AUDITOR:
        return ALL
    return None


def _generated_upload_to(instance, filename):
    return f"reports/generated/{instance.key}/{filename}"


class GeneratedReport(models.Model):
    """A report run in the background into a stored file that its owner downloads until it expires.

    ``params`` holds the parameter form's raw data; the task validates it again as the owner, so the
    report is built with the owner's scope. Progress is stored on the row, so the page can show it
    whatever the Celery broker or result backend.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.CharField("report", max_length=80)
    title = models.CharField(max_length=200)
    fmt = models.CharField("format", max_length=5, choices=ReportFormat.choices)
    params = models.JSONField(default=dict, blank=True)
    params_display = models.CharField("parameters", max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent done."
    )
    progress_note = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=_generated_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY) | (~Q(file="") & Q(expires_at__isnull=False)),
                name="%(app_label)s_%(class)s_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_fmt_display()}, {self.created_at:%b %-d, %Y})"

    def get_absolute_url(self):
        return reverse("reports:generated_detail", args=[self.key])

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED, ReportStatus.EXPIRED)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @classmethod
    def scope_q(cls, user, action):
        # Administrators see every run (they may re-run any report anyway); everyone else their own.
        if user.role == Role.ADMINISTRATOR and action == VIEW:
            return ALL
        return Q(user_id=user.pk) if user.role or user.is_superuser else None


class FigureBaseline(models.Model):
    """A program's total from before RJ Admin, for one figure: "since records began" = baseline + records.

    For example the completions of the victims class since 1998, counted from paper rosters. The
    value is in the figure's own unit (tons, dogs, people).
    """

    figure = models.CharField(
        max_length=80, unique=True, help_text="The figure this total adds to, as the apps registered it."
    )
    value = models.DecimalField(
        "total before RJ Admin", max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )
    as_of = models.DateField(
        "counted up to", help_text="The last day the total counts; RJ Admin's records take over after it."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the number comes from (ledgers, an annual report...)."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["figure"]
        verbose_name = "historical baseline"
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="%(app_label)s_%(class)s_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.figure}: {self.value} up to {self.as_of:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("reports:figurebaseline_list")

    @classmethod
    def scope_q(cls, user, action):
        return _administrators(user, action)


class BrochureBlock(models.Model):
    """One editable text block of the brochure and the public page (a program's section)."""

    key = models.SlugField(max_length=40, unique=True, help_text="Which program section this is.")
    title = models.CharField(max_length=120)
    body = models.TextField(
        help_text="Plain text. A blank line starts a paragraph; lines starting with “- ” make a list."
    )
    page = models.PositiveSmallIntegerField(choices=BrochurePage.choices, default=BrochurePage.FRONT)
    order = models.PositiveSmallIntegerField(default=100)
    show = models.BooleanField("show on the brochure and the public page", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["page", "order", "key"]
        verbose_name = "brochure text block"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:brochure_admin")

    @classmethod
    def scope_q(cls, user, action):
        return _administrators(user, action)


def _brochure_upload_to(instance, filename):
    return f"reports/brochure/{instance.key}/{filename}"


class BrochureBuild(models.Model):
    """A built brochure PDF. The newest is what ``/brochure.pdf`` serves, without recomputing anything."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=_brochure_upload_to, max_length=300)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pages = models.PositiveSmallIntegerField()
    size = models.PositiveBigIntegerField()
    type_size = models.DecimalField("type size (pt)", max_digits=4, decimal_places=1, default=Decimal("9.5"))
    figures = models.JSONField(default=dict, blank=True, help_text="The figures as printed, by slug.")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-built_at", "-pk"]
        get_latest_by = "built_at"

    def __str__(self):
        return f"Brochure built {self.built_at:%b %-d, %Y %H:%M}"

    @classmethod
    def scope_q(cls, user, action):
        return _administrators(user, action)


class PhotoQuerySet(RestrictedQuerySet):
    def public(self):
        """What anonymous visitors may see: approved by an administrator who confirmed consent."""
        return self.filter(status=PhotoStatus.APPROVED, consent_confirmed=True)


def _photo_upload_to(instance, filename):
    return f"reports/photos/{instance.key}/{filename}"


class Photo(models.Model):
    """A photo attached to a program record (a harvest, a donation, a fundraiser, a dog, a class).

    The stored image is a re-encoded copy: no EXIF, GPS or camera data survives the upload. It is
    public only once an administrator approves it and confirms consent.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The facility of the record it shows, which gives the photo its scope.",
    )
    image = models.FileField(upload_to=_photo_upload_to, max_length=300)
    thumbnail = models.FileField(upload_to=_photo_upload_to, max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True, help_text="Shown under the photo. Never a person's name.")
    alt_text = models.CharField(
        "description", max_length=250, help_text="What the photo shows, for people who cannot see it."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PENDING)
    consent_confirmed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    on_brochure = models.BooleanField("on the brochure", default=False)
    history = HistoricalRecords()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PhotoStatus.APPROVED) | Q(consent_confirmed=True, reviewed_by__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(on_brochure=False) | Q(status=PhotoStatus.APPROVED),
                name="%(app_label)s_%(class)s_brochure_is_approved",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text

    def get_absolute_url(self):
        return reverse("reports:photo_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == PhotoStatus.APPROVED and self.consent_confirmed

    @classmethod
    def scope_q(cls, user, action):
        if user.role == Role.ADMINISTRATOR:
            return ALL
        if action == VIEW and user.role == Role.AUDITOR:
            return ALL
        if user.role == Role.AUDITOR or not user.role:
            return None
        own = Q(uploaded_by_id=user.pk)
        if action == VIEW and user.role == Role.FACILITY_STAFF:
            return own | Q(facility_id__in=user.facility_ids)
        if action == VIEW:
            return own
        # Uploaders may correct their caption until an administrator has reviewed the photo.
        return own & Q(status=PhotoStatus.PENDING)
