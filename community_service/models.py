"""Community service: agencies (core Organizations with agency status), court orders of hours,
placements of a person at an agency, hour logs (voidable entries, reported apart from credited)
and the nightly pace snapshot.

Hours are ``Decimal`` with two decimals. Nothing is deleted: an hour log is voided with a reason and
entered again; an order is closed (completed, revoked, converted), never removed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.dates import entry_date_problem, format_date
from core.entries import EntryQuerySet, VoidableEntry
from core.models import CourtCase, Offender, Organization
from core.money import MoneyField
from core.querysets import ALL, VIEW, RestrictedQuerySet, catalog_scope_q

from .choices import (
    MAX_HOURS_PER_DAY,
    LogSource,
    OrderSchedule,
    OrderSource,
    OrderStatus,
    PaceStatus,
    Verification,
    VerificationMethod,
)

HOUR = Decimal("0.01")
# Staff who keep the statewide catalog of agencies.
CATALOG_KEEPERS = {Role.ADMINISTRATOR, Role.DISTRICT_SUPERVISOR}


def hours_field(verbose_name=None, **kwargs):
    """Hours: two decimals, up to 99,999.99."""
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=2, **kwargs)


def _joined(*related):
    """A restricted manager that always joins what the record's name prints (dropdowns, tables)."""

    class Manager(models.Manager.from_queryset(RestrictedQuerySet)):
        def get_queryset(self):
            return super().get_queryset().select_related(*related)

    return Manager()


def person_scope(user, action, prefix: str):
    """Community service records follow their person's scope (an officer's caseload, a supervisor's
    district, statewide for administrators; read-only for auditors and victim services); facility
    staff and agency contacts see none."""
    if user.role == Role.FACILITY_STAFF:
        return None
    return Offender.scope_q(user, action, prefix=prefix)


class Agency(models.Model):
    """A community service agency: a core Organization with agency status (non-profit or tax-supported),
    its EIN, the agreement on file with its dates, the contact who verifies hours, the kinds of work and
    whether minors are present. An agency without a current agreement takes no new placement."""

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="service_agency")
    ein = models.CharField(
        "EIN",
        max_length=10,
        validators=[RegexValidator(r"^\d{2}-\d{7}$", "An EIN is two digits, a dash and seven digits: 43-1234567.")],
    )
    agreement_start = models.DateField("agreement signed on", null=True, blank=True)
    agreement_end = models.DateField(
        "agreement ends on", null=True, blank=True, help_text="Empty when the agreement has no end date."
    )
    verifier_name = models.CharField("contact for verification", max_length=120)
    verifier_email = models.EmailField("contact's e-mail", help_text="The verification link is sent here.")
    kinds_of_work = models.CharField(max_length=300, help_text="For example: sorting donations, grounds upkeep.")
    minors_present = models.BooleanField("minors present at the worksite", default=False)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = _joined("organization")

    class Meta:
        ordering = ["organization__name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_end__isnull=True)
                | Q(agreement_start__isnull=False, agreement_end__gte=F("agreement_start")),
                name="%(app_label)s_%(class)s_agreement_dates",
            ),
        ]

    def __str__(self):
        return self.organization.name

    def get_absolute_url(self):
        return reverse("community_service:agency_detail", args=[self.pk])

    def has_agreement_on(self, day: dt.date) -> bool:
        return bool(
            self.agreement_start
            and self.agreement_start <= day
            and (self.agreement_end is None or day <= self.agreement_end)
        )

    def clean(self):
        errors = {}
        if self.organization_id and not self.organization.agency_status:
            errors["organization"] = (
                "This organization is not marked as a community service agency (non-profit or tax-supported): "
                "edit the organization first."
            )
        if self.agreement_end and not self.agreement_start:
            errors["agreement_start"] = "Enter the date the agreement was signed."
        elif self.agreement_end and self.agreement_start and self.agreement_end < self.agreement_start:
            errors["agreement_end"] = "The agreement ends before it was signed."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW:
            return None if user.role in ("", Role.FACILITY_STAFF) else ALL
        return ALL if user.role in CATALOG_KEEPERS else None


class Order(models.Model):
    """A court's (or a board's) order of community service hours for one person, from one case."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="service_orders")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="service_orders")
    hours_ordered = hours_field(validators=[MinValueValidator(HOUR)])
    ordered_on = models.DateField("order date")
    due_on = models.DateField("due date")
    source = models.CharField(max_length=10, choices=OrderSource.choices, default=OrderSource.COURT)
    fine_rate = MoneyField(
        "fine credit per hour",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="In lieu of a fine: the dollars of fine each hour pays off.",
    )
    schedule = models.CharField(max_length=12, choices=OrderSchedule.choices, default=OrderSchedule.CONCURRENT)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        help_text="A consecutive order: the order it starts after.",
    )
    minors_barred = models.BooleanField(
        "offense bars work near minors",
        default=False,
        help_text="The person may not be placed where minors are present.",
    )
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=300, blank=True)
    # The running total of the order's credited hours (its standing verified logs, of any date), kept
    # from the logs by ``services.credited_totals_refresh`` after every decision and void, under the
    # person's lock, and checked every night (``hours_check``). The pace engine reads it instead of
    # summing every log. The logs are its history.
    credited_total = hours_field("hours credited", default=Decimal("0.00"), editable=False)
    history = HistoricalRecords(excluded_fields=["credited_total"])

    objects = _joined("case")

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_ordered__gt=0), name="%(app_label)s_%(class)s_hours_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("ordered_on")), name="%(app_label)s_%(class)s_due_after_order"
            ),
            models.CheckConstraint(
                condition=(Q(source=OrderSource.FINE) & Q(fine_rate__isnull=False))
                | (~Q(source=OrderSource.FINE) & Q(fine_rate__isnull=True)),
                name="%(app_label)s_%(class)s_fine_has_rate",
            ),
            models.CheckConstraint(
                condition=Q(status=OrderStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=OrderStatus.OPEN) & Q(closed_on__isnull=False)),
                name="%(app_label)s_%(class)s_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(credited_total__gte=0), name="%(app_label)s_%(class)s_credited_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "offender"])]

    def __str__(self):
        return f"{self.hours_ordered} hours, case {self.case.case_number}"

    def get_absolute_url(self):
        return reverse("community_service:order_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.case_id and self.offender_id and self.case.offender_id != self.offender_id:
            errors["case"] = "This case is another person's."
        if self.ordered_on and self.due_on and self.due_on <= self.ordered_on:
            errors["due_on"] = "The due date must be after the order date."
        if problem := entry_date_problem(self.ordered_on):
            errors["ordered_on"] = problem
        if self.source == OrderSource.FINE and self.fine_rate is None:
            errors["fine_rate"] = "An order in lieu of a fine needs the dollars each hour pays off."
        if self.source != OrderSource.FINE and self.fine_rate is not None:
            errors["fine_rate"] = "Only an order in lieu of a fine has a rate: leave it empty."
        if self.schedule == OrderSchedule.CONSECUTIVE and not self.follows_id:
            errors["follows"] = "A consecutive order names the order it starts after."
        if self.follows_id:
            if self.schedule != OrderSchedule.CONSECUTIVE:
                errors["schedule"] = "An order that follows another is consecutive."
            elif self.follows_id == self.pk:
                errors["follows"] = "An order cannot follow itself."
            elif self.offender_id and self.follows.offender_id != self.offender_id:
                errors["follows"] = "The order it follows is another person's."
            elif self.pk and self._follows_itself():
                errors["follows"] = "That order already comes after this one: an order cannot follow its own follower."
        if errors:
            raise ValidationError(errors)

    def _follows_itself(self) -> bool:
        """Whether the chain of orders this one would follow comes back to it."""
        seen, current = {self.pk}, self.follows_id
        while current is not None:
            if current in seen:
                return True
            seen.add(current)
            current = Order.objects.filter(pk=current).values_list("follows_id", flat=True).first()
        return False

    @classmethod
    def scope_q(cls, user, action):
        return person_scope(user, action, "offender__")


class Placement(models.Model):
    """A person placed at an agency to work, from a start date to an end date (empty while it goes on)."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="service_placements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="placements")
    start_on = models.DateField("starts on")
    end_on = models.DateField("ends on", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = _joined("offender", "agency__organization")

    class Meta:
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.offender.full_name} at {self.agency} from {format_date(self.start_on)}"

    def get_absolute_url(self):
        return reverse("community_service:placement_detail", args=[self.pk])

    def covers(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = "The placement ends before it starts."
        if problem := entry_date_problem(self.start_on, future=True):
            errors["start_on"] = problem
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return person_scope(user, action, "offender__")


class VerificationLink(models.Model):
    """A link e-mailed to an agency's contact to approve or reject the pending hours it lists, without
    an account: signed (``services.verification_token``), expiring, used once. What it decided stays
    on each hour log (``verified_through``)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="verification_links")
    logs = models.ManyToManyField("HourLog", related_name="verification_links")
    sent_to = models.EmailField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="%(app_label)s_%(class)s_expires_after_sent"
            ),
        ]

    def __str__(self):
        return f"Verification link to {self.sent_to} ({self.agency})"

    @classmethod
    def scope_q(cls, user, action):
        # Read by the anonymous page through its signed token only; staff see links in the agency's logs.
        if action == VIEW and user.role in CATALOG_KEEPERS | {Role.AUDITOR}:
            return ALL
        return None


def hour_log_sheet_path(instance, filename):
    return f"community_service/sheets/{instance.offender_id}/{filename}"


class HourLog(VoidableEntry):
    """Hours one person worked on one day at their placement, against one order.

    Reported (``hours``) and credited (``credited_hours``) are apart: only verified hours are credited.
    A log is locked once verified or rejected; a correction is a void with a reason plus a new entry.
    """

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="service_hours", editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="hour_logs")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="hour_logs")
    date = models.DateField()
    start_time = models.TimeField("started at", null=True, blank=True)
    end_time = models.TimeField("ended at", null=True, blank=True)
    hours = models.DecimalField(
        "hours reported",
        max_digits=4,
        decimal_places=2,
        blank=True,
        validators=[MinValueValidator(HOUR)],
        help_text="Leave empty when you give the start and end times.",
    )
    task = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=LogSource.choices, default=LogSource.OFFICER, editable=False)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING, editable=False
    )
    credited_hours = models.DecimalField(
        "hours credited", max_digits=4, decimal_places=2, default=Decimal("0.00"), editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    decided_by_name = models.CharField("decided by", max_length=120, blank=True, editable=False)
    method = models.CharField(
        "verified how", max_length=14, choices=VerificationMethod.choices, blank=True, editable=False
    )
    decision_note = models.CharField(max_length=300, blank=True, editable=False)
    sheet = models.FileField("signed sheet", upload_to=hour_log_sheet_path, blank=True, editable=False)
    verified_through = models.ForeignKey(
        VerificationLink, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="decided"
    )
    # Hours the agency reported itself, on its link's page: the link (and so who sent it) and the contact's
    # name as it was then. ``entered_by`` is the officer who sent the link; the officer decides these hours.
    reported_through = models.ForeignKey(
        VerificationLink, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="reported"
    )
    reported_by_name = models.CharField("reported by", max_length=120, blank=True, editable=False)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_HOURS_PER_DAY), name="%(app_label)s_%(class)s_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="%(app_label)s_%(class)s_times_in_order",
            ),
            models.CheckConstraint(
                condition=Q(verification=Verification.VERIFIED, credited_hours=F("hours"))
                | (~Q(verification=Verification.VERIFIED) & Q(credited_hours=0)),
                name="%(app_label)s_%(class)s_credited_only_verified",
            ),
            models.CheckConstraint(
                condition=Q(verification=Verification.PENDING, decided_at__isnull=True, method="")
                | (~Q(verification=Verification.PENDING) & Q(decided_at__isnull=False) & ~Q(method="")),
                name="%(app_label)s_%(class)s_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(source=LogSource.AGENCY, reported_through__isnull=False) & ~Q(reported_by_name="")
                | (~Q(source=LogSource.AGENCY) & Q(reported_through__isnull=True, reported_by_name="")),
                name="%(app_label)s_%(class)s_agency_report_has_link",
            ),
        ]
        indexes = [
            models.Index(fields=["offender", "date"]),
            models.Index(fields=["order", "date"]),
            models.Index(fields=["placement", "verification"]),
            # The pace engine's read: the credited hours of the last 8 weeks (and of any dated after
            # the day it runs for), without the heap.
            models.Index(
                fields=["date"],
                include=["order", "credited_hours"],
                condition=Q(verification=Verification.VERIFIED, voided_at__isnull=True),
                name="cs_hourlog_credited_by_date",
            ),
        ]

    def __str__(self):
        return f"{self.hours} hours on {format_date(self.date)}" if self.date else "Hour log"

    def get_absolute_url(self):
        return reverse("community_service:hourlog_detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.verification != Verification.PENDING

    def clean(self):
        """The rules of one log; those across logs (overlap, 16 hours a day) are in ``services``."""
        errors = {}
        if self.placement_id:
            self.offender_id = self.placement.offender_id
        if (self.start_time is None) != (self.end_time is None):
            errors["end_time" if self.start_time else "start_time"] = (
                "Give both the start and the end time, or neither."
            )
        elif self.start_time and self.end_time:
            if self.end_time <= self.start_time:
                errors["end_time"] = "The end time must be after the start time."
            else:
                minutes = (
                    dt.datetime.combine(dt.date.min, self.end_time) - dt.datetime.combine(dt.date.min, self.start_time)
                ).seconds // 60
                worked = (Decimal(minutes) / 60).quantize(HOUR)
                if self.hours is not None and self.hours != worked:
                    errors["hours"] = f"From the start to the end time is {worked} hours, not {self.hours}."
                self.hours = worked
        if self.hours is None and not errors:
            errors["hours"] = "Enter the hours worked, or the start and end times."
        elif self.hours is not None and self.hours > MAX_HOURS_PER_DAY:
            errors["hours"] = f"At most {MAX_HOURS_PER_DAY} hours can be logged for one day."
        self._check_date(errors)
        if self.date and self.order_id and self.date < self.order.ordered_on:
            errors["date"] = f"This is before the order date ({format_date(self.order.ordered_on)})."
        if self.order_id and self.placement_id and self.order.offender_id != self.placement.offender_id:
            errors["order"] = "This order is another person's than the placement's."
        if self.date and self.placement_id and "date" not in errors and not self.placement.covers(self.date):
            if self.date < self.placement.start_on:
                errors["date"] = f"This is before the placement starts ({format_date(self.placement.start_on)})."
            else:
                errors["date"] = f"The placement ended on {format_date(self.placement.end_on)}."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        q = person_scope(user, action, prefix + "offender__")
        if q is None or action == VIEW:
            return q
        # Nobody changes a void log; a decided one is locked too, but may still be voided (the edit
        # page reads only pending logs: HourLogEditView).
        return q & Q(**{f"{prefix}voided_at__isnull": True})


class HourValueRate(models.Model):
    """What an hour of community service is worth, from a date on (an administrator sets it; the
    statewide value report and the public figure multiply each day's hours by the rate in effect)."""

    effective_on = models.DateField("in effect from", unique=True)
    dollars_per_hour = MoneyField("dollars an hour", validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(max_length=300, blank=True, help_text="For example: the state minimum wage for 2026.")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on"]
        verbose_name = "hour value rate"
        constraints = [
            models.CheckConstraint(condition=Q(dollars_per_hour__gt=0), name="%(app_label)s_%(class)s_rate_positive")
        ]

    def __str__(self):
        return f"${self.dollars_per_hour} an hour from {format_date(self.effective_on)}"

    def get_absolute_url(self):
        return reverse("community_service:hourvaluerate_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class PaceSnapshot(models.Model):
    """One open order's pace as of one date, stored by the nightly job (``community_service.pace``).

    Its primary key is ``(as_of, order)``. Like restitution's snapshot, the table is partitioned by
    ``as_of``, one partition a night (migration ``0006_snapshot_partition_per_night``; Django does not
    know it, and needs not): the job writes a night as a whole and a rerun replaces it
    (``core.partitions.night_write``); a row for a night without a partition is refused. The
    reference to the order carries no database constraint (orders are never deleted, and the job
    writes only ids it has just read). ``previous_status`` is the order's status in the snapshot
    before, so "fell behind" is a property of the row.
    """

    pk = models.CompositePrimaryKey("as_of", "order")
    as_of = models.DateField()
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="snapshots", db_constraint=False, db_index=False
    )
    hours_ordered = hours_field()
    expected = hours_field()
    credited = hours_field()
    behind = hours_field()
    recent = hours_field("credited in the last 8 weeks")
    projected_on = models.DateField("projected completion", null=True, blank=True)
    projected_late = models.BooleanField(default=False)
    after_supervision = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=PaceStatus.choices)
    previous_status = models.CharField(max_length=10, choices=PaceStatus.choices, blank=True, default="")

    objects = RestrictedQuerySet.as_manager()

    NEWLY_OVERDUE = Q(status__in=[PaceStatus.BEHIND, PaceStatus.PAST_DUE]) & ~Q(previous_status=F("status"))

    class Meta:
        ordering = ["-as_of", "order_id"]
        indexes = [
            # Exactly the rows the night's alerts read (few after the first night).
            models.Index(
                fields=["as_of"],
                condition=Q(status__in=["behind", "past_due"]) & ~Q(previous_status=F("status")),
                name="cs_snap_newly_overdue",
            )
        ]

    def __str__(self):
        return f"Order {self.order_id} on {self.as_of}: {self.get_status_display()}"

    @classmethod
    def scope_q(cls, user, action):
        if action != VIEW:
            return None
        return person_scope(user, action, "order__offender__")
