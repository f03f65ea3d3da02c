"""Places and partners: districts, facilities and the organizations that receive or host."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.choices import AgencyStatus, FacilityKind, OrganizationKindCode, Region, Role
from core.querysets import ADD, ALL, CHANGE, VIEW, RestrictedQuerySet


def _admin_only(user, action):
    return ALL if user.role == Role.ADMINISTRATOR else None


class District(models.Model):
    """A Probation and Parole district, numbered as the department numbers them."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=20, choices=Region.choices)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"District {self.number} ({self.name})"

    def get_absolute_url(self):
        return reverse("core:district_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        # Districts are reference data every signed-in role needs to read.
        if action == VIEW and user.role:
            return ALL
        return _admin_only(user, action)


class Facility(models.Model):
    """An institution, a P&P district office or a community supervision center."""

    name = models.CharField(max_length=150, unique=True)
    code = models.CharField(
        max_length=10,
        unique=True,
        help_text="The department's short code, such as JCCC.",
    )
    town = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=FacilityKind.choices, default=FacilityKind.INSTITUTION)
    region = models.CharField(max_length=20, choices=Region.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        help_text="For a district office or a community supervision center: the district it serves.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z0-9]{2,10}$"),
                name="%(app_label)s_%(class)s_code_format",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("core:facility_detail", args=[self.pk])

    def clean(self):
        if self.code:
            self.code = self.code.strip().upper()

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW:
            if user.role == Role.FACILITY_STAFF:
                return models.Q(pk__in=user.facility_ids)
            return ALL if user.role else None
        return _admin_only(user, action)


class OrganizationKind(models.Model):
    """One kind an organization can be (an organization can be several: a church that runs a pantry)."""

    code = models.CharField(max_length=30, unique=True, choices=OrganizationKindCode.choices)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A partner: food banks, shelters, schools, nonprofits and community service agencies.

    Organizations are shared by every facility; what a facility gave one is scoped by the facility.
    """

    name = models.CharField(max_length=200)
    kinds = models.ManyToManyField(OrganizationKind, related_name="organizations")
    agency_status = models.CharField(
        "service agency status",
        max_length=20,
        choices=AgencyStatus.choices,
        blank=True,
        help_text="Required when the organization hosts community service.",
    )
    address = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)
    county = models.CharField(max_length=60)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[kinds])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "county"], name="%(app_label)s_%(class)s_unique_name_county"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:organization_detail", args=[self.pk])

    def validate_kinds(self, kinds):
        """The kinds are many-to-many, so forms call this with the chosen kinds before saving."""
        codes = {k.code for k in kinds}
        if not codes:
            raise ValidationError({"kinds": "Choose at least one kind."})
        if OrganizationKindCode.SERVICE_AGENCY in codes and not self.agency_status:
            raise ValidationError({"agency_status": "A community service agency must be non-profit or tax-supported."})
        if OrganizationKindCode.SERVICE_AGENCY not in codes and self.agency_status:
            raise ValidationError(
                {"agency_status": "Only a community service agency has a non-profit or tax-supported status."}
            )

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW:
            return ALL if user.role else None
        if action == ADD and user.role in (Role.ADMINISTRATOR, Role.FACILITY_STAFF):
            return ALL
        if action == CHANGE:
            return _admin_only(user, action)
        return None
