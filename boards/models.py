"""Reparation boards: boards per district with their citizen members and chairs, referrals of a person
and case, meetings (attendance, recusals, quorum after recusals) and reparative agreements with their
conditions.

Scope: a board coordinator acts on their district's boards and everything hanging from them;
administrators on all; auditors read all; a probation officer reads the referrals of their caseload.
A member's contact is for coordinators and administrators only (``CONTACT_ROLES``). Nothing is
deleted: a member is removed for cause with a reason, a referral is declined with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.models import CourtCase, District, Offender
from core.money import MoneyField
from core.querysets import ADD, ALL, VIEW, RestrictedQuerySet

from .choices import (
    MAX_TERM_YEARS,
    MIN_TERM_YEARS,
    AgreementStatus,
    ConditionKind,
    ConditionStatus,
    MeetingKind,
    Priority,
    ReferralSource,
    ReferralStatus,
    VictimMode,
)

CONTACT_ROLES = frozenset({Role.ADMINISTRATOR, Role.BOARD_COORDINATOR})


def board_scope_q(user, action, *, prefix: str = "") -> Q | None:
    """A board and what hangs from it: the coordinator's district, administrators all, auditors read."""
    if user.role == Role.ADMINISTRATOR:
        return ALL
    if user.role == Role.AUDITOR and action == VIEW:
        return ALL
    if user.role == Role.BOARD_COORDINATOR and user.district_id:
        return Q(**{f"{prefix}district_id": user.district_id})
    return None


def add_years(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bylaws_path(instance, filename):
    return f"boards/bylaws/{instance.pk}/{filename}"


def evidence_path(instance, filename):
    return f"boards/evidence/{instance.agreement_id}/{filename}"


class Board(models.Model):
    """A reparation board of a district, with its coordinator, quorum and bylaws (a PDF)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=120)
    quorum = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="Members present, after recusals, needed to decide."
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="boards_coordinated"
    )
    active = models.BooleanField(default=True)
    bylaws = models.FileField(upload_to=bylaws_path, blank=True, editable=False, db_default="")
    bylaws_uploaded_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["district__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="%(app_label)s_%(class)s_unique_name"),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="%(app_label)s_%(class)s_quorum_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:board_detail", args=[self.pk])

    def clean(self):
        if self.coordinator_id and self.district_id:
            c = self.coordinator
            if not (c.role == Role.BOARD_COORDINATOR and c.district_id == self.district_id):
                raise ValidationError({"coordinator": "Choose a board coordinator of this board's district."})

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        return board_scope_q(user, action, prefix=prefix)


class Member(models.Model):
    """A citizen volunteer on a board: a term of 1 to 3 years (renewed by a new term), trained before a
    first meeting, removed for cause with a reason."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    term_start = models.DateField()
    term_end = models.DateField()
    training_completed_on = models.DateField(
        "training completed", null=True, blank=True, help_text="Required before a first meeting."
    )
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["board", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="%(app_label)s_%(class)s_term"),
            models.CheckConstraint(
                condition=(Q(removed_on__isnull=True) & Q(removal_reason=""))
                | (Q(removed_on__isnull=False) & ~Q(removal_reason="")),
                name="%(app_label)s_%(class)s_removal_has_reason",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:member_detail", args=[self.pk])

    def clean(self):
        if not (self.term_start and self.term_end):
            return
        shortest, longest = add_years(self.term_start, MIN_TERM_YEARS), add_years(self.term_start, MAX_TERM_YEARS)
        if not shortest <= self.term_end <= longest:
            raise ValidationError({"term_end": "A term is 1 to 3 years."})

    def serves_on(self, day) -> bool:
        return self.term_start <= day <= self.term_end and (self.removed_on is None or day < self.removed_on)

    @classmethod
    def scope_q(cls, user, action):
        """Members' contact: coordinators (their district's boards) and administrators only."""
        if user.role not in CONTACT_ROLES:
            return None
        return board_scope_q(user, action, prefix="board__")


class ChairTerm(models.Model):
    """A member chairing the board from ``starts_on`` to ``ends_on``: at most one year without a break
    (``services.chair_appoint``)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="chair_terms")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="chair_terms")
    starts_on = models.DateField()
    ends_on = models.DateField()
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["board", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="%(app_label)s_%(class)s_dates"),
        ]

    def __str__(self):
        return f"{self.member} chairs {self.board}"

    @classmethod
    def scope_q(cls, user, action):
        return board_scope_q(user, action, prefix="board__")


class BoardReferral(models.Model):
    """A person and case referred to a board by the court, P&P or the prosecutor."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="referrals")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="board_referrals")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="board_referrals")
    source = models.CharField(max_length=12, choices=ReferralSource.choices)
    reason = models.CharField(max_length=300)
    referred_on = models.DateField()
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="%(app_label)s_%(class)s_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.PENDING) | Q(decided_on__isnull=False),
                name="%(app_label)s_%(class)s_decided_on",
            ),
        ]

    def __str__(self):
        return f"{self.offender} to {self.board}"

    def get_absolute_url(self):
        return reverse("boards:boardreferral_detail", args=[self.pk])

    def clean(self):
        if self.case_id and self.offender_id and self.case.offender_id != self.offender_id:
            raise ValidationError({"case": "This case is not the person's."})

    @classmethod
    def scope_q(cls, user, action):
        # An officer reads the referrals of their caseload and refers their people (``boards:refer``).
        if user.role == Role.PROBATION_OFFICER:
            return Offender.scope_q(user, VIEW, prefix="offender__") if action in (VIEW, ADD) else None
        return board_scope_q(user, action, prefix="board__")


class Meeting(models.Model):
    """A board meeting about one referral: who was present and who recused themselves."""

    referral = models.ForeignKey(BoardReferral, on_delete=models.PROTECT, related_name="meetings")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    place = models.CharField(max_length=120)
    present = models.ManyToManyField(Member, blank=True, related_name="meetings_attended")
    recused = models.ManyToManyField(Member, blank=True, related_name="meetings_recused")
    kind = models.CharField(
        max_length=10, choices=MeetingKind.choices, default=MeetingKind.INITIAL, db_default=MeetingKind.INITIAL
    )
    person_attended = models.BooleanField("the person attended", default=False, db_default=False)
    victim_mode = models.CharField(
        "the victim's participation", max_length=20, choices=VictimMode.choices, blank=True, db_default=""
    )
    # What the victim lets the person read (an excerpt of their statement, or what they said at the meeting):
    # it may go into the members' packet and the agreement.
    victim_shared_text = models.TextField(
        "what the victim shares with the person", blank=True, db_default="", max_length=4000
    )
    # What the victim wrote for the board only: shown on the meeting's page to the coordinator and
    # administrators, never on any document (the person's agreement, the court's letter, the packet).
    victim_board_only_text = models.TextField(
        "what the victim wrote for the board only", blank=True, db_default="", max_length=4000
    )
    minutes = models.TextField(blank=True, db_default="", max_length=8000)
    history = HistoricalRecords(m2m_fields=[present, recused])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.board}, {self.date}"

    def get_absolute_url(self):
        return reverse("boards:meeting_detail", args=[self.pk])

    @property
    def voting_count(self) -> int:
        recused = set(self.recused.values_list("pk", flat=True))
        return sum(1 for pk in self.present.values_list("pk", flat=True) if pk not in recused)

    @property
    def quorate(self) -> bool:
        """Quorum counted after recusals."""
        return self.voting_count >= self.board.quorum

    @classmethod
    def scope_q(cls, user, action):
        return board_scope_q(user, action, prefix="board__")


class Agreement(models.Model):
    """A reparative agreement, approved at a quorate meeting, with its conditions."""

    referral = models.ForeignKey(BoardReferral, on_delete=models.PROTECT, related_name="agreements")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="agreement")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="agreements")
    approved_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE)
    # Signatures at the meeting, on the tablet: a typed name and a box ticked, with when and on what device.
    person_signed_name = models.CharField(max_length=120, blank=True, db_default="")
    person_signed_at = models.DateTimeField(null=True, blank=True)
    person_signed_device = models.CharField(max_length=300, blank=True, db_default="")
    chair = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    chair_signed_name = models.CharField(max_length=120, blank=True, db_default="")
    chair_signed_at = models.DateTimeField(null=True, blank=True)
    chair_signed_device = models.CharField(max_length=300, blank=True, db_default="")
    mid_term_reviewed_on = models.DateField(null=True, blank=True)
    mid_term_note = models.TextField(blank=True, db_default="", max_length=4000)
    closed_on = models.DateField(null=True, blank=True)
    assessment = models.TextField("the board's assessment", blank=True, db_default="", max_length=8000)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=F("approved_on")), name="%(app_label)s_%(class)s_due"),
            models.CheckConstraint(
                condition=Q(status=AgreementStatus.ACTIVE, closed_on__isnull=True)
                | (~Q(status=AgreementStatus.ACTIVE) & Q(closed_on__isnull=False) & ~Q(assessment="")),
                name="%(app_label)s_%(class)s_closed_with_assessment",
            ),
            models.CheckConstraint(
                condition=Q(person_signed_at__isnull=True) | ~Q(person_signed_name=""),
                name="%(app_label)s_%(class)s_person_signature",
            ),
            models.CheckConstraint(
                condition=Q(chair_signed_at__isnull=True) | (~Q(chair_signed_name="") & Q(chair__isnull=False)),
                name="%(app_label)s_%(class)s_chair_signature",
            ),
        ]

    @property
    def signed(self) -> bool:
        return self.person_signed_at is not None and self.chair_signed_at is not None

    def __str__(self):
        return f"Agreement of {self.approved_on} ({self.referral.offender})"

    def get_absolute_url(self):
        return reverse("boards:agreement_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return board_scope_q(user, action, prefix="board__")


class Condition(models.Model):
    """One condition of an agreement: its kind, what it asks, its due date, met or unmet."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="conditions")
    kind = models.CharField(max_length=16, choices=ConditionKind.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    amount = MoneyField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ConditionStatus.choices, default=ConditionStatus.OPEN)
    met_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=300, blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True, editable=False, db_default="")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ConditionKind.SERVICE_HOURS) | Q(hours__gt=0),
                name="%(app_label)s_%(class)s_hours_for_service",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ConditionKind.RESTITUTION) | Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_for_restitution",
            ),
            models.CheckConstraint(
                condition=Q(status=ConditionStatus.MET, met_on__isnull=False)
                | (~Q(status=ConditionStatus.MET) & Q(met_on__isnull=True)),
                name="%(app_label)s_%(class)s_met_on",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"

    def clean(self):
        errors = {}
        if self.kind == ConditionKind.SERVICE_HOURS and not self.hours:
            errors["hours"] = "Give the hours of community service."
        if self.kind == ConditionKind.RESTITUTION and not self.amount:
            errors["amount"] = "Give the amount to pay."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return board_scope_q(user, action, prefix="agreement__board__")


class MemberConflict(models.Model):
    """A conflict a member declared in one referred case (they know the person or the victim, they work
    with the family): the member must then recuse themselves at every meeting about it
    (``services.meeting_record``). The record stays; what it says is for coordinators and administrators."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="conflicts")
    referral = models.ForeignKey(BoardReferral, on_delete=models.PROTECT, related_name="member_conflicts")
    declared_on = models.DateField()
    description = models.CharField("what the conflict is", max_length=300)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "referral"], name="%(app_label)s_%(class)s_once_a_case"),
        ]

    def __str__(self):
        return f"{self.member}: conflict in {self.referral}"

    @classmethod
    def scope_q(cls, user, action):
        if user.role not in CONTACT_ROLES:
            return None
        return board_scope_q(user, action, prefix="member__board__")
