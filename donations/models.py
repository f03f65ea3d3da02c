"""Craft production, produce spoilage, donations (with lines and receipts) and fundraisers.

Stock is never stored: produce on hand is harvested (gardens) minus donated minus spoiled, and
items on hand are produced minus donated, each summed by ``donations.selectors`` from these records.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.entries import EntryQuerySet, VoidableEntry
from core.fields import WeightField
from core.models import Facility, Offender, Organization
from core.money import MoneyField
from core.querysets import RestrictedQuerySet, catalog_scope_q, facility_scope_q

from .choices import DonationPurpose, FundraiserPurpose, ItemCategory

POUND = Decimal("0.1")
MAX_LINE_LB = Decimal("20000")  # a full truck; anything over is a typing slip
MAX_QUANTITY = 100_000
# One named person's hours on one production entry: as on a harvest (gardens.models.MAX_WORKER_HOURS).
MAX_WORKER_HOURS = Decimal("16")


class Item(models.Model):
    """What the shops and programs make: quilts, preemie hats, bicycles, birdhouses and the rest."""

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=ItemCategory.choices)
    estimated_value = MoneyField(
        "estimated value (each)",
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What one is worth to the recipient, in dollars. Used on receipts and reports.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="%(app_label)s_%(class)s_value_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("donations:item_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return catalog_scope_q(user, action)


class ProductionLog(VoidableEntry):
    """Items a shop or program made on a day, and the volunteer hours it took."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="production_logs")
    shop = models.CharField(
        "shop or program", max_length=100, help_text="For example: Sewing shop, Bicycle shop, Knitting group."
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="production_logs")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    date = models.DateField()
    volunteer_hours = models.DecimalField(
        max_digits=7, decimal_places=1, default=Decimal("0.0"), validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "production entry"
        verbose_name_plural = "craft production"
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.CheckConstraint(condition=Q(quantity__gt=0), name="%(app_label)s_%(class)s_quantity_positive"),
            models.CheckConstraint(
                condition=Q(volunteer_hours__gte=0), name="%(app_label)s_%(class)s_hours_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["facility", "date"])]

    def __str__(self):
        return f"{self.quantity} × {self.item.name}, {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("donations:productionlog_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self._check_date(errors)
        if self.quantity and self.quantity > MAX_QUANTITY:
            errors["quantity"] = f"More than {MAX_QUANTITY:,} in one entry is not plausible."
        if errors:
            raise ValidationError(errors)


class ProductionWorker(models.Model):
    """A person named on a production entry, with the hours they worked on it (optional).

    Written only through ``services.production_workers_set`` (the person held at the entry's facility,
    their hours, and the named hours within the entry's volunteer hours). It follows its entry's scope;
    a void entry's workers count nowhere.
    """

    production = models.ForeignKey(ProductionLog, on_delete=models.PROTECT, related_name="workers")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_WORKER_HOURS)],
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["production", "offender__last_name", "offender__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["production", "offender"], name="%(app_label)s_%(class)s_once_per_entry"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_WORKER_HOURS), name="%(app_label)s_%(class)s_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["offender", "production"], name="donations_worker_offender")]

    def __str__(self):
        return f"{self.offender}: {self.hours} hours"

    def get_absolute_url(self):
        return self.production.get_absolute_url()

    @classmethod
    def scope_q(cls, user, action):
        return ProductionLog.scope_q(user, action, prefix="production__")


class Spoilage(VoidableEntry):
    """Produce that went bad or was thrown away before it could be given: it leaves the stock."""

    correction_window = False  # never edited: voided and entered again

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="spoilage")
    crop = models.ForeignKey("gardens.Crop", on_delete=models.PROTECT, related_name="spoilage")
    date = models.DateField()
    weight_lb = WeightField("weight (lb)", max_digits=7, decimal_places=1, validators=[MinValueValidator(POUND)])
    reason = models.CharField(max_length=200, help_text="For example: frost, rot in storage, culled.")
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "spoilage entry"
        verbose_name_plural = "spoilage"
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.CheckConstraint(condition=Q(weight_lb__gt=0), name="%(app_label)s_%(class)s_weight_positive"),
        ]

    def __str__(self):
        return f"{self.crop.name}, {self.weight_lb} lb spoiled, {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("donations:spoilage_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self._check_date(errors)
        if errors:
            raise ValidationError(errors)


def _line_sum(expression, output):
    return Coalesce(
        Subquery(
            DonationLine.objects.filter(donation=OuterRef("pk"))
            .order_by()
            .values("donation")
            .annotate(total=Sum(expression))
            .values("total"),
            output_field=output,
        ),
        Value(0, output_field=output),
    )


class DonationQuerySet(EntryQuerySet):
    def with_totals(self):
        """Pounds, items and estimated value of each donation, summed from its lines in the same query."""
        return self.annotate(
            total_lb=_line_sum("weight_lb", DecimalField(max_digits=14, decimal_places=1)),
            total_items=_line_sum("quantity", IntegerField()),
            total_value=_line_sum("estimated_value", DecimalField(max_digits=14, decimal_places=2)),
        )


class Donation(VoidableEntry):
    """A gift from one facility to one organization on one day: lines of produce and of items.

    Lines are fixed once the donation is saved (its receipt may be in the recipient's hands); a
    mistake is corrected by voiding the donation with a reason and entering it again.
    """

    correction_window = False  # only the EDITABLE fields change (donation_update), at any time

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="donations")
    recipient = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="donations_received")
    date = models.DateField()
    purpose = models.CharField(max_length=20, choices=DonationPurpose.choices, default=DonationPurpose.DISTRIBUTION)
    reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="An outside reference, such as a line of an imported file; unique per facility.",
    )
    acknowledged = models.BooleanField("acknowledgement received", default=False)
    acknowledged_on = models.DateField("acknowledged on", null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.UniqueConstraint(
                fields=["facility", "reference"],
                condition=~Q(reference=""),
                name="%(app_label)s_%(class)s_unique_reference",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | Q(acknowledged=True),
                name="%(app_label)s_%(class)s_acknowledged_date_needs_flag",
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "date"]),
            models.Index(fields=["recipient", "date"]),
            # The list's default order among the rows it shows (void ones are hidden).
            models.Index(
                fields=["-date", "-id"], condition=Q(voided_at__isnull=True), name="donations_donation_live_newest"
            ),
        ]

    def __str__(self):
        return f"Donation {self.receipt_number}"

    def get_absolute_url(self):
        return reverse("donations:donation_detail", args=[self.pk])

    @property
    def receipt_number(self) -> str:
        return f"D-{self.pk:06d}" if self.pk else "D-(new)"

    def clean(self):
        errors = {}
        self._check_date(errors)
        if self.acknowledged_on and not self.acknowledged:
            errors["acknowledged"] = "Tick this when you give the date the acknowledgement came."
        if self.acknowledged_on and self.date and self.acknowledged_on < self.date:
            errors["acknowledged_on"] = "The acknowledgement is dated before the donation."
        if errors:
            raise ValidationError(errors)


class DonationLine(models.Model):
    """One line of a donation: pounds of a crop, or a number of items. Its value is fixed when given."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="lines")
    crop = models.ForeignKey("gardens.Crop", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    weight_lb = WeightField(
        "weight (lb)", max_digits=8, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(POUND)]
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="donation_lines")
    quantity = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    estimated_value = MoneyField(default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))])
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["donation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(crop__isnull=False, weight_lb__gt=0, item__isnull=True, quantity__isnull=True)
                    | Q(crop__isnull=True, weight_lb__isnull=True, item__isnull=False, quantity__gt=0)
                ),
                name="%(app_label)s_%(class)s_produce_or_items",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="%(app_label)s_%(class)s_value_not_negative"
            ),
        ]

    def __str__(self):
        if self.crop_id:
            return f"{self.crop.name}: {self.weight_lb} lb"
        return f"{self.item.name}: {self.quantity}"

    @property
    def is_produce(self) -> bool:
        return self.crop_id is not None

    def clean(self):
        if bool(self.crop_id) == bool(self.item_id):
            raise ValidationError("A line is either a crop with its pounds or an item with its quantity.")
        if self.crop_id and not self.weight_lb:
            raise ValidationError({"weight_lb": "Enter the pounds."})
        if self.item_id and not self.quantity:
            raise ValidationError({"quantity": "Enter how many."})
        if self.weight_lb and self.weight_lb > MAX_LINE_LB:
            raise ValidationError({"weight_lb": f"More than {MAX_LINE_LB:,} lb on one line is not plausible."})
        if self.quantity and self.quantity > MAX_QUANTITY:
            raise ValidationError({"quantity": f"More than {MAX_QUANTITY:,} on one line is not plausible."})

    @classmethod
    def scope_q(cls, user, action):
        return Donation.scope_q(user, action, prefix="donation__")


class Fundraiser(models.Model):
    """A drive run by a facility (school supplies, disaster aid): its goal, what it raised, what it bought."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="fundraisers")
    name = models.CharField(max_length=150)
    purpose = models.CharField(max_length=20, choices=FundraiserPurpose.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    goal = MoneyField("goal ($)", validators=[MinValueValidator(Decimal("0"))])
    raised = MoneyField(
        "money raised ($)",
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gte=0), name="%(app_label)s_%(class)s_goal_not_negative"),
            models.CheckConstraint(condition=Q(raised__gte=0), name="%(app_label)s_%(class)s_raised_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("donations:fundraiser_detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The fundraiser ends before it starts."})

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class FundraiserPurchase(models.Model):
    """What a fundraiser's money bought and who it was given to."""

    fundraiser = models.ForeignKey(Fundraiser, on_delete=models.PROTECT, related_name="purchases")
    date = models.DateField()
    description = models.CharField("what was bought", max_length=200)
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    amount = MoneyField("amount spent ($)", validators=[MinValueValidator(Decimal("0"))])
    recipient = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundraiser_gifts",
        help_text="The organization it was given to, if any.",
    )
    given_to = models.CharField(
        "given to (if not an organization)",
        max_length=200,
        blank=True,
        help_text="For example: families of Cole County.",
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "fundraiser purchase"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="%(app_label)s_%(class)s_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(given_to=""), name="%(app_label)s_%(class)s_has_recipient"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"

    def get_absolute_url(self):
        return self.fundraiser.get_absolute_url()

    def clean(self):
        if not self.recipient_id and not (self.given_to or "").strip():
            raise ValidationError({"given_to": "Say who it was given to: an organization, or a description."})

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action, prefix="fundraiser__")
