"""People: staff users with their role and scope, offenders and their court cases."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from core.choices import DISTRICT_ROLES, OffenderStatus, OffenseClass, Role
from core.querysets import ADD, ALL, CHANGE, VIEW, RestrictedQuerySet

from .places import District, Facility


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A staff member. The role says what they do; facilities or district say where."""

    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    facilities = models.ManyToManyField(
        Facility,
        blank=True,
        related_name="staff",
        help_text="Facility staff: the facilities they work in.",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Probation officers, district supervisors and board coordinators: their district.",
    )
    phone = models.CharField(max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[facilities])

    objects = RestrictedUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in DISTRICT_ROLES)) | Q(district__isnull=False),
                name="%(app_label)s_%(class)s_district_role_has_district",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("core:user_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.role in DISTRICT_ROLES and not self.district_id:
            raise ValidationError({"district": f"A {self.get_role_display().lower()} must have a district."})

    @cached_property
    def facility_ids(self) -> list[int]:
        """The facilities this user works in, read once per request."""
        if not self.pk:
            return []
        return list(self.facilities.values_list("pk", flat=True))

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def can_see_victim_contacts(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMINISTRATOR, Role.VICTIM_SERVICES)

    @classmethod
    def scope_q(cls, user, action):
        if user.role == Role.ADMINISTRATOR:
            # An administrator who is not a superuser must not edit a superuser's account (its e-mail
            # and a password reset would hand them Django admin); superusers bypass scope anyway.
            return ALL if action == VIEW else Q(is_superuser=False)
        if action == VIEW:
            if user.role == Role.AUDITOR:
                return ALL
            if user.role == Role.DISTRICT_SUPERVISOR:
                return Q(district_id=user.district_id) | Q(pk=user.pk)
            return Q(pk=user.pk) if user.role else None
        return None


class Offender(models.Model):
    """A person under the department's care: incarcerated in a facility or supervised in a district."""

    doc_id = models.CharField(
        "DOC ID",
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{5,12}$", "A DOC ID is 5 to 12 digits.")],
    )
    last_name = models.CharField(max_length=80)
    first_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    status = models.CharField(max_length=20, choices=OffenderStatus.choices)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offenders",
        help_text="Where an incarcerated person is held.",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offenders",
        help_text="The district that supervises a person on probation or parole.",
    )
    supervising_officer = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    supervision_end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "doc_id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OffenderStatus.INCARCERATED) | Q(facility__isnull=False),
                name="%(app_label)s_%(class)s_incarcerated_has_facility",
            ),
            models.CheckConstraint(
                condition=~Q(status=OffenderStatus.SUPERVISED) | Q(district__isnull=False),
                name="%(app_label)s_%(class)s_supervised_has_district",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "supervising_officer"]),
            # The list's default order (by name), so a page reads 25 rows instead of sorting all.
            models.Index(fields=["last_name", "first_name", "doc_id"], name="core_offender_name_order"),
            # Search (``q``: any part of the DOC ID or a name, case-insensitive) through pg_trgm.
            *[
                GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=f"core_offender_{column}_trgm")
                for column in ("doc_id", "last_name", "first_name")
            ],
        ]

    def __str__(self):
        return f"{self.last_name}, {self.first_name} ({self.doc_id})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    # Tabs beside Details and History on the person's pages: (tab, label, URL name).
    detail_tabs = [
        ("record", "Restorative record", "core:offender_record"),
        ("timeline", "Timeline", "core:offender_timeline"),
    ]

    def get_absolute_url(self):
        return reverse("core:offender_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status == OffenderStatus.INCARCERATED and not self.facility_id:
            errors["facility"] = "An incarcerated person must have a facility."
        if self.status == OffenderStatus.SUPERVISED and not self.district_id:
            errors["district"] = "A supervised person must have a district."
        if self.supervising_officer_id and self.district_id:
            officer = self.supervising_officer
            if officer.district_id != self.district_id:
                errors["supervising_officer"] = f"{officer} works in another district."
        if self.supervising_officer_id and not self.district_id:
            errors["district"] = "Choose the district of the supervising officer."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action, prefix=""):
        """Who may see or change an offender; ``prefix`` lets related models reuse the rule."""
        p = prefix
        role = user.role
        if role == Role.ADMINISTRATOR:
            return ALL
        if action == VIEW:
            if role in (Role.AUDITOR, Role.VICTIM_SERVICES):
                return ALL
            if role == Role.FACILITY_STAFF:
                return Q(**{f"{p}facility_id__in": user.facility_ids})
            if role in (Role.DISTRICT_SUPERVISOR, Role.BOARD_COORDINATOR):
                return Q(**{f"{p}district_id": user.district_id})
        if role == Role.PROBATION_OFFICER and action in (VIEW, ADD, CHANGE):
            return Q(**{f"{p}supervising_officer_id": user.pk, f"{p}district_id": user.district_id})
        if role == Role.DISTRICT_SUPERVISOR and action in (ADD, CHANGE):
            return Q(**{f"{p}district_id": user.district_id})
        return None


class CourtCase(models.Model):
    """A sentencing court's case: what restitution, community service and boards hang from."""

    court = models.CharField(max_length=120, help_text="For example: 19th Judicial Circuit (Cole County).")
    case_number = models.CharField(max_length=40)
    county = models.CharField(max_length=60)
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="cases")
    offense = models.CharField(max_length=200, blank=True)
    offense_class = models.CharField(max_length=20, choices=OffenseClass.choices)
    sentencing_date = models.DateField()
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sentencing_date", "case_number"]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_number"], name="%(app_label)s_%(class)s_unique_case"),
        ]

    def __str__(self):
        return f"{self.case_number} ({self.court})"

    def get_absolute_url(self):
        return reverse("core:courtcase_detail", args=[self.pk])

    def clean(self):
        if self.sentencing_date and self.offender_id and self.sentencing_date < self.offender.date_of_birth:
            raise ValidationError({"sentencing_date": "The sentencing date is before the date of birth."})

    @classmethod
    def scope_q(cls, user, action):
        return Offender.scope_q(user, action, prefix="offender__")
