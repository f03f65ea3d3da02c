"""Garden plots, the crop catalog, seasons and harvests (weights in pounds, one decimal)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.entries import EntryQuerySet, VoidableEntry
from core.fields import WeightField
from core.models import Facility, Offender
from core.money import MoneyField
from core.querysets import RestrictedQuerySet, catalog_scope_q, facility_scope_q
from core.units import LB_PER_TON

from .choices import CropCategory

# One entry over this is almost always a typing slip (ounces, or a whole season's total).
MAX_HARVEST_LB = Decimal("5000")
# Nobody works more than this in a day in a garden.
MAX_HOURS_PER_VOLUNTEER = Decimal("12")
# One named person's hours on one entry (a harvest here, a production entry in donations): a day at most.
MAX_WORKER_HOURS = Decimal("16")
WORKER_HOURS_STEP = Decimal("0.01")
POUND = Decimal("0.1")


class Garden(models.Model):
    """A garden plot at a facility, where harvests are weighed."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="gardens")
    name = models.CharField(max_length=100, help_text="As staff call it, for example: East garden, Greenhouse 2.")
    size_acres = models.DecimalField(
        "size (acres)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    active = models.BooleanField(default=True, help_text="Uncheck when the plot is no longer planted.")
    note = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["facility__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility.code})"

    def get_absolute_url(self):
        return reverse("gardens:garden_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class Crop(models.Model):
    """A crop in the catalog every facility picks from."""

    name = models.CharField(max_length=60, unique=True)
    category = models.CharField(max_length=20, choices=CropCategory.choices)
    value_per_lb = MoneyField(
        "estimated value per pound",
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Used to estimate the value of a donation of this crop.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(value_per_lb__gte=0), name="%(app_label)s_%(class)s_value_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("gardens:crop_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class Season(models.Model):
    """A growing season: a year, its dates and the statewide goal in tons."""

    year = models.PositiveSmallIntegerField(unique=True)
    start_date = models.DateField()
    end_date = models.DateField()
    goal_tons = models.DecimalField(
        "goal (tons)", max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="%(app_label)s_%(class)s_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(goal_tons__gt=0), name="%(app_label)s_%(class)s_goal_positive"),
        ]

    def __str__(self):
        return f"{self.year} season"

    def get_absolute_url(self):
        return reverse("gardens:season_detail", args=[self.pk])

    @property
    def goal_lb(self) -> Decimal:
        return self.goal_tons * LB_PER_TON

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The season ends before it starts."
        if self.year and self.start_date and self.start_date.year != self.year:
            errors["start_date"] = f"A {self.year} season starts in {self.year}."
        if errors:
            raise ValidationError(errors)

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class Harvest(VoidableEntry):
    """One crop weighed at one garden on one day. Corrected with history, voided with a reason, never deleted."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="harvests")
    garden = models.ForeignKey(Garden, on_delete=models.PROTECT, related_name="harvests")
    crop = models.ForeignKey(Crop, on_delete=models.PROTECT, related_name="harvests")
    date = models.DateField()
    weight_lb = WeightField("weight (lb)", max_digits=7, decimal_places=1, validators=[MinValueValidator(POUND)])
    volunteers = models.PositiveSmallIntegerField(
        "offender volunteers", default=0, help_text="How many offender volunteers worked this harvest."
    )
    volunteer_hours = models.DecimalField(
        max_digits=6, decimal_places=1, default=Decimal("0.0"), validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(max_length=300, blank=True)
    # A row imported from a file: a digest of its values and of how many identical rows came before it
    # in the file (gardens.importers). The same file imported twice posts once.
    import_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "import_key"],
                condition=~Q(import_key=""),
                name="%(app_label)s_%(class)s_imported_once",
            ),
            models.CheckConstraint(condition=Q(weight_lb__gt=0), name="%(app_label)s_%(class)s_weight_positive"),
            models.CheckConstraint(
                condition=Q(volunteer_hours__gte=0), name="%(app_label)s_%(class)s_hours_not_negative"
            ),
            *VoidableEntry.Meta.constraints,
        ]
        indexes = [
            models.Index(fields=["facility", "date"]),
            models.Index(fields=["crop", "date"]),
            # The list's default order among the rows it shows (void ones are hidden).
            models.Index(
                fields=["-date", "-id"], condition=Q(voided_at__isnull=True), name="gardens_harvest_live_newest"
            ),
        ]

    def __str__(self):
        return f"{self.crop.name}, {self.weight_lb} lb, {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("gardens:harvest_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.weight_lb is not None and self.weight_lb > MAX_HARVEST_LB:
            errors["weight_lb"] = (
                f"{self.weight_lb:,} lb in one entry is not plausible (the limit is {MAX_HARVEST_LB:,} lb). "
                "Check the weight is in pounds, or split it into one entry per crop and day."
            )
        self._check_date(errors)
        if self.garden_id and self.facility_id and self.garden.facility_id != self.facility_id:
            errors["garden"] = "This garden belongs to another facility."
        if self.volunteer_hours and not self.volunteers:
            errors["volunteers"] = "Enter how many volunteers worked those hours."
        elif (
            self.volunteers
            and self.volunteer_hours
            and self.volunteer_hours > self.volunteers * MAX_HOURS_PER_VOLUNTEER
        ):
            errors["volunteer_hours"] = (
                f"{self.volunteer_hours} hours is more than {MAX_HOURS_PER_VOLUNTEER} hours for each of "
                f"{self.volunteers} volunteer(s)."
            )
        if errors:
            raise ValidationError(errors)


class HarvestWorker(models.Model):
    """A person named on a harvest, with the hours they worked on it (optional: a harvest may name nobody).

    Written only through ``services.harvest_workers_set``, which checks that the person is held at the
    harvest's facility and that the named people and hours stay within the harvest's volunteers and
    volunteer hours. It follows its harvest's scope; a void harvest's workers count nowhere.
    """

    harvest = models.ForeignKey(Harvest, on_delete=models.PROTECT, related_name="workers")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(WORKER_HOURS_STEP), MaxValueValidator(MAX_WORKER_HOURS)],
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["harvest", "offender__last_name", "offender__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["harvest", "offender"], name="%(app_label)s_%(class)s_once_per_harvest"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_WORKER_HOURS), name="%(app_label)s_%(class)s_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["offender", "harvest"], name="gardens_worker_offender")]

    def __str__(self):
        return f"{self.offender}: {self.hours} hours"

    def get_absolute_url(self):
        return self.harvest.get_absolute_url()

    @classmethod
    def scope_q(cls, user, action):
        return Harvest.scope_q(user, action, prefix="harvest__")
