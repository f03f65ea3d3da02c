"""Puppies for Parole: partner shelters, their dogs living at facilities, the dogs' handlers and training,
the Canine Good Citizen test, graduations, and adoptions through the shelter that owns the dog.

Two custodians are kept apart: the **owning shelter** (``Dog.shelter``, never changes hands here) and
the **location** (``Dog.facility`` and ``housing_unit``), which only a ``Movement`` changes. Every move is
a dated movement; the database keeps at most one open movement per dog, one open primary and one open
secondary handler per dog, one exclusive reservation per dog and one open application per dog and
household. Nothing is deleted: entries are voided with a reason, handlers and movements are ended.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.entries import EntryQuerySet, VoidableEntry
from core.models import Facility, Offender, Organization
from core.money import MoneyField
from core.querysets import ALL, VIEW, RestrictedQuerySet, catalog_scope_q, facility_scope_q

from .choices import (
    AT_FACILITY,
    CGC_ITEMS,
    OPEN_APPLICATION,
    ApplicationStatus,
    DogSex,
    DogStatus,
    GoodWith,
    HandlerEndReason,
    HandlerRole,
    HomeType,
    MailKind,
    MailStatus,
    Milestone,
    TaskKind,
    Tenure,
    TrainingLevel,
    VaccineKind,
    ViolationSource,
)

PROGRAM_STAFF = {Role.ADMINISTRATOR, Role.FACILITY_STAFF}


def _joined(*related):
    """A restricted manager that always joins what the record's name prints (dropdowns, tables)."""

    class Manager(models.Manager.from_queryset(RestrictedQuerySet)):
        def get_queryset(self):
            return super().get_queryset().select_related(*related)

    return Manager()


def _open_named(name: str) -> str:
    return f"%(app_label)s_%(class)s_{name}"


class Shelter(models.Model):
    """A partner shelter: a core Organization of kind animal shelter, and the facilities it works with.
    The shelter owns its dogs from intake to adoption; adoptions go through it."""

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="puppies_shelter")
    facilities = models.ManyToManyField(
        Facility, related_name="partner_shelters", blank=True, help_text="The facilities whose handlers train its dogs."
    )
    contact_note = models.CharField(max_length=300, blank=True, help_text="Who at the shelter handles adoptions.")
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[facilities])

    objects = _joined("organization")

    class Meta:
        ordering = ["organization__name"]

    def __str__(self):
        return self.organization.name

    def get_absolute_url(self):
        return reverse("puppies:shelter_detail", args=[self.pk])

    def clean(self):
        if self.organization_id and not self.organization.kinds.filter(code="animal_shelter").exists():
            raise ValidationError(
                {"organization": "This organization is not an animal shelter: add the kind to the organization first."}
            )

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW and user.role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.FACILITY_STAFF):
            return ALL
        return ALL if user.role == Role.ADMINISTRATOR else None


def dog_scope_q(user, action, prefix: str = "") -> Q | None:
    """A dog: the staff of the facility it lives at, and, while it lives at none, the staff of the facilities
    its shelter works with (so they can place it); administrators; auditors read."""
    if user.role == Role.ADMINISTRATOR:
        return ALL
    if action == VIEW and user.role == Role.AUDITOR:
        return ALL
    if user.role == Role.FACILITY_STAFF:
        partners = Shelter.facilities.through.objects.filter(facility_id__in=user.facility_ids).values("shelter_id")
        return Q(**{f"{prefix}facility_id__in": user.facility_ids}) | Q(
            **{f"{prefix}facility__isnull": True, f"{prefix}shelter_id__in": partners}
        )
    return None


class Dog(models.Model):
    """A shelter's dog. Status and location change only through a ``Movement`` (``services.dog_move``)."""

    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="dogs", help_text="The owning shelter.")
    shelter_ref = models.CharField("shelter's ID", max_length=40, help_text="The dog's ID in the shelter's records.")
    name = models.CharField(max_length=60)
    breed = models.CharField(max_length=100, help_text="As the shelter records it: Labrador mix.")
    sex = models.CharField(max_length=10, choices=DogSex.choices)
    birth_estimate = models.DateField("estimated birth date")
    colour = models.CharField(max_length=60)
    intake_on = models.DateField("intake date", help_text="The day the shelter took the dog in.")
    spayed_neutered = models.BooleanField("spayed or neutered", default=False)
    spay_neuter_on = models.DateField("spayed or neutered on", null=True, blank=True)
    behaviour_notes = models.TextField(blank=True, max_length=4000)
    good_with_dogs = models.CharField(max_length=10, choices=GoodWith.choices, default=GoodWith.UNKNOWN)
    good_with_cats = models.CharField(max_length=10, choices=GoodWith.choices, default=GoodWith.UNKNOWN)
    good_with_children = models.CharField(max_length=10, choices=GoodWith.choices, default=GoodWith.UNKNOWN)
    training_level = models.CharField(max_length=20, choices=TrainingLevel.choices, default=TrainingLevel.FOUNDATION)
    bio = models.TextField(
        "short public bio",
        blank=True,
        max_length=800,
        help_text="Shown on the public page: the dog only, never a person's name.",
    )
    released_for_adoption = models.BooleanField(
        "released for adoption by the shelter", default=False, help_text="The public page lists only released dogs."
    )
    status = models.CharField(max_length=20, choices=DogStatus.choices, default=DogStatus.AT_SHELTER, editable=False)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="dogs", editable=False
    )
    housing_unit = models.CharField(max_length=40, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shelter", "shelter_ref"], name=_open_named("unique_shelter_ref")),
            models.CheckConstraint(
                condition=Q(status__in=sorted(AT_FACILITY), facility__isnull=False)
                | (~Q(status__in=sorted(AT_FACILITY)) & Q(facility__isnull=True, housing_unit="")),
                name=_open_named("location_matches_status"),
            ),
            models.CheckConstraint(
                condition=Q(spay_neuter_on__isnull=True) | Q(spayed_neutered=True),
                name=_open_named("spay_date_needs_flag"),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.shelter_ref})"

    def get_absolute_url(self):
        return reverse("puppies:dog_detail", args=[self.pk])

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.birth_estimate and self.birth_estimate > today:
            errors["birth_estimate"] = "The estimated birth date is in the future."
        if self.intake_on and self.intake_on > today:
            errors["intake_on"] = "The intake date is in the future."
        if self.intake_on and self.birth_estimate and self.intake_on < self.birth_estimate:
            errors["intake_on"] = "The intake date is before the estimated birth date."
        if self.spay_neuter_on and not self.spayed_neutered:
            errors["spayed_neutered"] = "Tick this box when you give the date."
        if self.spay_neuter_on and self.spay_neuter_on > today:
            errors["spay_neuter_on"] = "The date is in the future."
        if errors:
            raise ValidationError(errors)

    @property
    def is_reserved(self) -> bool:
        return self.status == DogStatus.RESERVED

    @classmethod
    def scope_q(cls, user, action):
        return dog_scope_q(user, action)


class Vaccination(models.Model):
    """A vaccination from the shelter's health record. A dog enters a facility only with a current rabies one."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="vaccinations")
    kind = models.CharField(max_length=20, choices=VaccineKind.choices)
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Required for rabies (one or three years).")
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = _joined("dog")

    class Meta:
        ordering = ["dog", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("given_on")),
                name=_open_named("expires_after_given"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=VaccineKind.RABIES) | Q(expires_on__isnull=False),
                name=_open_named("rabies_has_expiry"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.given_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:vaccination_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.given_on and self.given_on > timezone.localdate():
            errors["given_on"] = "The date is in the future."
        if self.kind == VaccineKind.RABIES and not self.expires_on:
            errors["expires_on"] = "A rabies vaccination needs the date it expires."
        if self.expires_on and self.given_on and self.expires_on <= self.given_on:
            errors["expires_on"] = "It expires before it was given."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return dog_scope_q(user, action, prefix="dog__")


class Movement(models.Model):
    """One dated stay of a dog in one status (and, at a facility, one housing unit). Open while ``ended_on``
    is empty."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="movements")
    status = models.CharField(max_length=20, choices=DogStatus.choices)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    housing_unit = models.CharField(max_length=40, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = _joined("dog", "facility")

    class Meta:
        ordering = ["dog", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dog"], condition=Q(ended_on__isnull=True), name=_open_named("one_open")),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name=_open_named("ends_after_start"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(AT_FACILITY)) | Q(facility__isnull=False),
                name=_open_named("facility_status_has_facility"),
            ),
        ]

    def __str__(self):
        where = f" at {self.facility.code}" if self.facility_id else ""
        return f"{self.get_status_display()}{where} from {self.started_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:movement_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return dog_scope_q(user, action, prefix="dog__")


class HandlerAssignment(models.Model):
    """A person handling a dog, primary or secondary, from a start to an end. One open of each role per dog."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="handlers")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+", verbose_name="handler")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=HandlerRole.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=HandlerEndReason.choices, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = _joined("dog", "offender", "facility")

    class Meta:
        ordering = ["dog", "role", "-started_on"]
        verbose_name = "handler"
        constraints = [
            models.UniqueConstraint(
                fields=["dog", "role"], condition=Q(ended_on__isnull=True), name=_open_named("one_open_per_role")
            ),
            models.UniqueConstraint(
                fields=["dog", "offender"], condition=Q(ended_on__isnull=True), name=_open_named("one_role_per_person")
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__gte=F("started_on")) & ~Q(end_reason="")),
                name=_open_named("end_has_reason"),
            ),
        ]

    def __str__(self):
        return f"{self.offender.full_name}, {self.get_role_display().lower()} of {self.dog.name}"

    def get_absolute_url(self):
        return reverse("puppies:handlerassignment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class EligibilityRule(models.Model):
    """Who may handle a dog, as administrators set it: offenses that exclude a person, and how many days
    must pass after a conduct violation. Each rule applies from its date until the next one."""

    effective_on = models.DateField(unique=True)
    excluded_offenses = models.TextField(
        help_text="One per line. A person with a court case whose offense contains any of these words is excluded."
    )
    conduct_days = models.PositiveSmallIntegerField(
        "days without a conduct violation",
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Sources disagree between 90 days and a year.",
    )
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conduct_days__gte=1, conduct_days__lte=3650), name=_open_named("days_in_range")
            ),
        ]

    def __str__(self):
        return f"Handler eligibility from {self.effective_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:eligibilityrule_detail", args=[self.pk])

    @property
    def terms(self) -> list[str]:
        return [t.strip().lower() for t in (self.excluded_offenses or "").splitlines() if t.strip()]

    def clean(self):
        if not self.terms:
            raise ValidationError({"excluded_offenses": "Name at least one excluded offense."})

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW and user.role not in (Role.ADMINISTRATOR, Role.AUDITOR, Role.FACILITY_STAFF):
            return None
        return catalog_scope_q(user, action)


class ConductViolation(VoidableEntry):
    """A conduct violation of a person at a facility, recorded by staff or imported. It bars the person from
    handling for the rule's number of days."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    description = models.CharField(max_length=300)
    source = models.CharField(max_length=10, choices=ViolationSource.choices, default=ViolationSource.STAFF)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [*VoidableEntry.Meta.constraints]

    def __str__(self):
        return f"Conduct violation on {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:conductviolation_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self._check_date(errors)
        if errors:
            raise ValidationError(errors)


class ProgramRemoval(models.Model):
    """Staff removed a person from the program (after a conduct violation, say). It ends every dog they
    handle and bars them until it is lifted."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    removed_on = models.DateField()
    reason = models.CharField(max_length=300)
    lifted_on = models.DateField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = _joined("offender", "facility")

    class Meta:
        ordering = ["-removed_on", "-pk"]
        verbose_name = "removal from the program"
        verbose_name_plural = "removals from the program"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name=_open_named("has_reason")),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("removed_on")),
                name=_open_named("lifted_after_removed"),
            ),
        ]

    def __str__(self):
        return f"{self.offender.full_name} removed on {self.removed_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:programremoval_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class TrainingLog(VoidableEntry):
    """A training session: date, handler, skills worked, minutes, notes. Voided with a reason, never deleted.
    The log belongs to the dog: it moves with the dog to its new handlers."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="training_logs")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    skills = models.CharField("skills worked", max_length=200)
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    notes = models.TextField(blank=True, max_length=2000)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            *VoidableEntry.Meta.constraints,
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=600), name=_open_named("minutes_in_range")),
        ]
        indexes = [models.Index(fields=["handler", "date"], name="puppies_traininglog_handler")]

    def __str__(self):
        return f"Training of {self.dog.name} on {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:traininglog_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self._check_date(errors)
        if errors:
            raise ValidationError(errors)


class TrainingMilestone(models.Model):
    """A milestone the dog reached in training (dated, with who recorded it). It belongs to the dog and moves
    with it to new handlers; a level milestone also sets the dog's training level."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="milestones")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    milestone = models.CharField(max_length=20, choices=Milestone.choices)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = _joined("dog", "facility")

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(milestone=Milestone.OTHER) | ~Q(note=""), name=_open_named("other_has_note")
            ),
        ]

    def __str__(self):
        return f"{self.dog.name}: {self.get_milestone_display()} on {self.date:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:trainingmilestone_detail", args=[self.pk])

    def clean(self):
        if self.milestone == Milestone.OTHER and not (self.note or "").strip():
            raise ValidationError({"note": "Say what the milestone is."})

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class CgcAttempt(models.Model):
    """An AKC Canine Good Citizen test: the evaluator, each of the ten items pass or fail, a dismissal with its
    reason. Passed only when all ten pass and the dog was not dismissed (the database holds to it)."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="cgc_attempts")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    evaluator_name = models.CharField("evaluator's name", max_length=120)
    evaluator_akc_number = models.CharField("evaluator's AKC number", max_length=20)
    item_1 = models.BooleanField(CGC_ITEMS[0][1], default=False)
    item_2 = models.BooleanField(CGC_ITEMS[1][1], default=False)
    item_3 = models.BooleanField(CGC_ITEMS[2][1], default=False)
    item_4 = models.BooleanField(CGC_ITEMS[3][1], default=False)
    item_5 = models.BooleanField(CGC_ITEMS[4][1], default=False)
    item_6 = models.BooleanField(CGC_ITEMS[5][1], default=False)
    item_7 = models.BooleanField(CGC_ITEMS[6][1], default=False)
    item_8 = models.BooleanField(CGC_ITEMS[7][1], default=False)
    item_9 = models.BooleanField(CGC_ITEMS[8][1], default=False)
    item_10 = models.BooleanField(CGC_ITEMS[9][1], default=False)
    dismissed = models.BooleanField(default=False, help_text="The evaluator dismissed the dog (growling, biting...).")
    dismissal_reason = models.CharField(max_length=300, blank=True)
    passed = models.BooleanField(default=False, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = _joined("dog", "facility")

    ALL_PASS = Q(**{name: True for name, _ in CGC_ITEMS}, dismissed=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "CGC attempt"
        constraints = [
            models.CheckConstraint(
                condition=(Q(passed=True) & Q(**{name: True for name, _ in CGC_ITEMS}, dismissed=False))
                | (Q(passed=False) & ~Q(**{name: True for name, _ in CGC_ITEMS}, dismissed=False)),
                name="puppies_cgcattempt_passed_iff_all_items",
            ),
            models.CheckConstraint(
                condition=Q(dismissed=False, dismissal_reason="") | (Q(dismissed=True) & ~Q(dismissal_reason="")),
                name="puppies_cgcattempt_dismissal_has_reason",
            ),
        ]

    def __str__(self):
        return f"CGC test of {self.dog.name} on {self.date:%b %-d, %Y}: {'passed' if self.passed else 'not passed'}"

    def get_absolute_url(self):
        return reverse("puppies:cgcattempt_detail", args=[self.pk])

    @property
    def items(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, name)) for name, label in CGC_ITEMS]

    def compute_passed(self) -> bool:
        return all(getattr(self, name) for name, _ in CGC_ITEMS) and not self.dismissed

    def clean(self):
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = "The date is in the future."
        if self.dismissed and not (self.dismissal_reason or "").strip():
            errors["dismissal_reason"] = "Say why the evaluator dismissed the dog."
        if not self.dismissed and (self.dismissal_reason or "").strip():
            errors["dismissal_reason"] = "Give a reason only when the dog was dismissed."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class Graduation(models.Model):
    """A graduation ceremony at a facility: the cohort of dogs that passed the CGC test."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    name = models.CharField("cohort", max_length=100, help_text="As the program names it: Spring 2026 class.")
    dogs = models.ManyToManyField(Dog, related_name="graduations")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[dogs])

    objects = _joined("facility")

    class Meta:
        ordering = ["-date", "facility__code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "date"], name=_open_named("one_per_facility_day")),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility.code}, {self.date:%b %-d, %Y})"

    def get_absolute_url(self):
        return reverse("puppies:graduation_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


class HandlerTask(models.Model):
    """A blocking task on the facility's dashboard: reassign a dog's handler (its handler was transferred,
    released or removed), or return a dog that has no eligible handler left to its shelter."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="tasks")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=TaskKind.choices)
    reason = models.CharField(max_length=300)
    opened_on = models.DateField()
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    source = models.CharField(max_length=60, help_text="What opened it: an offender event, a removal.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = _joined("dog", "facility")

    class Meta:
        ordering = ["resolved_at", "opened_at", "pk"]
        verbose_name = "handler task"
        constraints = [
            models.UniqueConstraint(
                fields=["dog", "kind"], condition=Q(resolved_at__isnull=True), name=_open_named("one_open_per_kind")
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.dog.name}"

    def get_absolute_url(self):
        return reverse("puppies:handlertask_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @classmethod
    def scope_q(cls, user, action):
        return facility_scope_q(user, action)


def application_scope_q(user, action) -> Q | None:
    """Applications and adoptions carry a member of the public's contact: program staff only (the staff of
    the dog's facility, administrators). Victim services read and clear the applications held by the
    conflict check. Auditors, officers and boards see none."""
    if user.role == Role.ADMINISTRATOR:
        return ALL
    if user.role == Role.FACILITY_STAFF:
        return Q(facility_id__in=user.facility_ids)
    if user.role == Role.VICTIM_SERVICES:
        return ~Q(conflict_reference="")
    return None


class AdoptionApplication(models.Model):
    """An application from a member of the public to adopt one dog. At most one open per dog and household;
    an approved one is the dog's exclusive reservation (at most one per dog)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="applications")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    name = models.CharField("your name", max_length=120)
    email = models.EmailField("e-mail")
    phone = models.CharField(max_length=30)
    address = models.CharField("street address", max_length=200)
    town = models.CharField(max_length=100)
    zip_code = models.CharField("ZIP code", max_length=10)
    adults = models.PositiveSmallIntegerField(
        "adults in the household", validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    children = models.PositiveSmallIntegerField(
        "children in the household", default=0, validators=[MaxValueValidator(20)]
    )
    children_ages = models.CharField("children's ages", max_length=100, blank=True)
    other_pets = models.CharField("other pets at home", max_length=300, blank=True)
    home_type = models.CharField("home", max_length=10, choices=HomeType.choices)
    tenure = models.CharField("you", max_length=10, choices=Tenure.choices)
    landlord_name = models.CharField("landlord's name", max_length=120, blank=True)
    landlord_phone = models.CharField("landlord's phone", max_length=30, blank=True)
    about = models.TextField("why this dog, and your experience with dogs", max_length=2000, blank=True)
    household_key = models.CharField(max_length=64, editable=False)
    reserved = models.BooleanField(default=False, editable=False)
    conflict_reference = models.CharField(max_length=80, blank=True, editable=False)
    conflict_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)
    conflict_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    staff_note = models.TextField(blank=True, max_length=2000)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = _joined("dog", "facility")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "adoption application"
        constraints = [
            models.UniqueConstraint(
                fields=["dog", "household_key"],
                condition=Q(status__in=sorted(OPEN_APPLICATION)),
                name=_open_named("one_open_per_household"),
            ),
            models.UniqueConstraint(fields=["dog"], condition=Q(reserved=True), name=_open_named("one_reservation")),
            models.CheckConstraint(
                condition=Q(reserved=False) | Q(status=ApplicationStatus.APPROVED),
                name=_open_named("reserved_is_approved"),
            ),
            models.CheckConstraint(
                condition=~Q(tenure=Tenure.RENT) | ~Q(landlord_name=""), name=_open_named("renter_names_landlord")
            ),
        ]

    def __str__(self):
        return f"Application {str(self.key)[:8]} for {self.dog.name}"

    def get_absolute_url(self):
        return reverse("puppies:adoptionapplication_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION

    @property
    def held(self) -> bool:
        """The conflict check found something and victim services have not cleared it."""
        return bool(self.conflict_reference) and self.conflict_cleared_at is None

    def clean(self):
        errors = {}
        if self.tenure == Tenure.RENT and not (self.landlord_name or "").strip():
            errors["landlord_name"] = "A renter gives the landlord's name (the shelter asks whether dogs are allowed)."
        if self.tenure == Tenure.RENT and not (self.landlord_phone or "").strip():
            errors["landlord_phone"] = "A renter gives the landlord's phone."
        if self.children and not (self.children_ages or "").strip():
            errors["children_ages"] = "Give the children's ages."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return application_scope_q(user, action)


class Adoption(models.Model):
    """A dog adopted through its owning shelter: date, fee, adopter (program staff only), the 30- and 90-day
    follow-ups, and a return with its reason. One standing adoption per dog."""

    dog = models.ForeignKey(Dog, on_delete=models.PROTECT, related_name="adoptions")
    application = models.OneToOneField(AdoptionApplication, on_delete=models.PROTECT, related_name="adoption")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="adoptions")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField()
    fee = MoneyField("adoption fee", validators=[MinValueValidator(0)])
    adopter_name = models.CharField(max_length=120)
    adopter_email = models.EmailField()
    adopter_phone = models.CharField(max_length=30)
    adopter_address = models.CharField(max_length=300)
    followup_30_on = models.DateField("30-day follow-up done on", null=True, blank=True)
    followup_30_note = models.CharField("30-day follow-up", max_length=300, blank=True)
    followup_90_on = models.DateField("90-day follow-up done on", null=True, blank=True)
    followup_90_note = models.CharField("90-day follow-up", max_length=300, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    return_reason = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = _joined("dog", "shelter__organization", "facility")

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dog"], condition=Q(returned_on__isnull=True), name=_open_named("one_standing")
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name=_open_named("fee_not_negative")),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True, return_reason="")
                | (Q(returned_on__gte=F("adopted_on")) & ~Q(return_reason="")),
                name=_open_named("return_has_reason"),
            ),
        ]

    def __str__(self):
        return f"Adoption of {self.dog.name} on {self.adopted_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("puppies:adoption_detail", args=[self.pk])

    @property
    def followup_30_due(self) -> dt.date:
        return self.adopted_on + dt.timedelta(days=30)

    @property
    def followup_90_due(self) -> dt.date:
        return self.adopted_on + dt.timedelta(days=90)

    @classmethod
    def scope_q(cls, user, action):
        if user.role == Role.ADMINISTRATOR:
            return ALL
        if user.role == Role.FACILITY_STAFF:
            return Q(facility_id__in=user.facility_ids)
        return None


class ApplicationMail(models.Model):
    """An e-mail to an applicant, stored before it is sent, so a mail server that is down loses nothing:
    the Celery task sends it, and the nightly job retries what is still waiting."""

    application = models.ForeignKey(AdoptionApplication, on_delete=models.PROTECT, related_name="mails")
    kind = models.CharField(max_length=20, choices=MailKind.choices)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name=_open_named("once_per_kind")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    @classmethod
    def scope_q(cls, user, action):
        return application_scope_q(user, action) if action == VIEW else None


class ApplyThrottle(models.Model):
    """How many applications one address posted in one window (the rate limit, shared by every web worker)."""

    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address_hash", "window_start"], name=_open_named("one_per_window")),
        ]

    def __str__(self):
        return f"{self.count} posts from {self.address_hash[:8]} since {self.window_start:%H:%M}"


class PublicVersion(models.Model):
    """One row: bumped by every write that changes what the public dog pages show, so every web worker's
    cached page is replaced on its next request."""

    counter = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name=_open_named("single_row"))]

    def __str__(self):
        return f"Public dog pages, version {self.counter}"
