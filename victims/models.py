"""Victims: the record (kind, cases, flags) apart from the protected identity and contact, and the read log.

Who sees what (docs/victims.md): identity and contact only victim services and administrators
(``VictimIdentity.scope_q``); a supervising officer sees that a victim of their person's case exists,
never who or where (``Victim.scope_q``); auditors read the records and the read log, never identity;
every other role nothing (404). ``__str__`` never carries a name, so no message, history line or
dropdown can leak one.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.choices import Role
from core.conflicts import normalize_address, normalize_email, normalize_name, normalize_phone
from core.models import CourtCase, Offender
from core.money import MoneyField
from core.querysets import ADD, ALL, VIEW, RestrictedQuerySet

from .choices import (
    AttemptOutcome,
    BoardMode,
    Channel,
    Consent,
    Language,
    LossCategory,
    MatchStatus,
    NoticeStatus,
    Permanence,
    ReadSource,
    ReadWhat,
    ReceivedMethod,
    Seriousness,
    StatementStatus,
    StatutoryCategory,
    VictimKind,
)
from .crypto import EncryptedDateField, EncryptedTextField, keyed_hash

PROTECTED_ROLES = {Role.ADMINISTRATOR, Role.VICTIM_SERVICES}
# The list of every victim: the offices that keep the records, and auditors (without identity).
LIST_ROLES = {*PROTECTED_ROLES, Role.AUDITOR}


def can_read_identity(user) -> bool:
    """Victim services and administrators (and superusers) read a victim's identity and contact."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.role in PROTECTED_ROLES)
    )


def new_reference() -> str:
    """An opaque reference (no sequence, nothing derived from the person): safe to show any role."""
    return "V-" + secrets.token_hex(5).upper()


class Victim(models.Model):
    """A crime victim (a person or an organization) on one or more court cases.

    Holds nothing that identifies or locates the victim: that is ``VictimIdentity``. A family member
    who speaks for a deceased or minor victim is a ``Victim`` of their own with ``represents`` set.
    """

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    kind = models.CharField(max_length=12, choices=VictimKind.choices, default=VictimKind.PERSON)
    cases = models.ManyToManyField(CourtCase, related_name="victims", blank=True)
    represents = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        help_text="For a family member speaking for a deceased or minor victim: that victim.",
    )
    relationship = models.CharField(
        max_length=60, blank=True, help_text="A representative's relationship to the victim, such as mother."
    )
    deceased = models.BooleanField(default=False)
    minor = models.BooleanField(default=False)
    do_not_contact = models.BooleanField(default=False, help_text="The victim asked not to be contacted.")
    redact_all = models.BooleanField(
        default=False, help_text="Leave every identifying detail out of every document, whatever the offense."
    )
    statutory_category = models.CharField(
        "RSMo 595.226 category",
        max_length=20,
        choices=StatutoryCategory.choices,
        blank=True,
        help_text="Victims of a sexual offense, domestic assault or stalking: court records redact them.",
    )
    notification_requested_on = models.DateField(
        "written request for notification received",
        null=True,
        blank=True,
        help_text="For an offense that gives no automatic right (RSMo 595.209): the date of the victim's "
        "written request to be notified.",
    )
    notify_by_email = models.BooleanField("notify by e-mail", default=False)
    notify_by_mail = models.BooleanField("notify by letter", default=False)
    notify_by_phone = models.BooleanField("notify by phone", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[cases])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(represents__isnull=True) | ~Q(relationship=""),
                name="%(app_label)s_%(class)s_representative_has_relationship",
            ),
            models.CheckConstraint(
                condition=~Q(represents=models.F("pk")), name="%(app_label)s_%(class)s_not_own_representative"
            ),
        ]

    def __str__(self):
        return f"Victim {self.reference}"

    def get_absolute_url(self):
        return reverse("victims:victim_detail", args=[self.pk])

    def clean(self):
        if self.represents_id and not self.relationship:
            raise ValidationError({"relationship": "Say how the representative is related to the victim."})
        if self.represents_id and self.represents_id == self.pk:
            raise ValidationError({"represents": "A victim cannot represent themselves."})

    @property
    def redacted(self) -> bool:
        """Court documents leave out every identifying detail (RSMo 595.226 or the victim's wish)."""
        return self.redact_all or bool(self.statutory_category)

    @classmethod
    def scope_q(cls, user, action):
        if user.role in PROTECTED_ROLES:
            return ALL
        if action != VIEW:
            return None
        if user.role == Role.AUDITOR:
            return ALL
        if user.role == Role.PROBATION_OFFICER:
            # The officer supervising a person on one of the victim's cases: existence, never identity.
            offenders = Offender.objects.filter(Offender.scope_q(user, VIEW)).values("pk")
            links = cls.cases.through.objects.filter(courtcase__offender__in=offenders).values("victim_id")
            return Q(pk__in=links)
        return None


class VictimIdentity(models.Model):
    """Who a victim is and how to reach them: only victim services and administrators read it.

    Address, phone, e-mail, date of birth and employer are ciphertext in the database
    (victims.crypto); the ``*_hash`` columns hold a keyed hash of the normalized address, phone and
    e-mail so the conflict check can match them without decrypting. A Safe at Home participant has
    only the designated address stored (a database constraint), and no reason is asked.
    """

    victim = models.OneToOneField(Victim, on_delete=models.PROTECT, related_name="identity")
    name = models.CharField(max_length=200, help_text="A person's full name, or an organization's name.")
    name_normalized = models.CharField(max_length=200, editable=False, db_index=False)
    safe_at_home = models.BooleanField(
        "Safe at Home participant", default=False, help_text="RSMo 589.660: use the designated address only."
    )
    designated_address = EncryptedTextField(
        blank=True, help_text="The Safe at Home designated address on the participant's card."
    )
    safe_at_home_card_verified = models.BooleanField("Safe at Home card seen", default=False)
    safe_at_home_card_expires = models.DateField("Safe at Home card expires", null=True, blank=True)
    address = EncryptedTextField("home address", blank=True)
    mailing_address = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    alternate_phone = EncryptedTextField(blank=True)
    email = EncryptedTextField("e-mail", blank=True)
    date_of_birth = EncryptedDateField(blank=True, null=False, default="")
    employer = EncryptedTextField(blank=True)
    designated_address_hash = models.CharField(max_length=64, blank=True, editable=False)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    mailing_address_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    alternate_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    HASHED = {
        "designated_address": normalize_address,
        "address": normalize_address,
        "mailing_address": normalize_address,
        "phone": normalize_phone,
        "alternate_phone": normalize_phone,
        "email": normalize_email,
    }

    class Meta:
        verbose_name_plural = "victim identities"
        constraints = [
            models.CheckConstraint(
                condition=Q(safe_at_home=False)
                | Q(address="", mailing_address="", safe_at_home_card_verified=True)
                & ~Q(designated_address="")
                & Q(safe_at_home_card_expires__isnull=False),
                name="%(app_label)s_%(class)s_safe_at_home_designated_only",
            ),
        ]
        indexes = [
            GinIndex(fields=["name_normalized"], opclasses=["gin_trgm_ops"], name="victims_identity_name_trgm"),
            *[
                models.Index(fields=[f"{field}_hash"], name=f"victims_id_{short}_hash")
                for field, short in (
                    ("designated_address", "desig"),
                    ("address", "addr"),
                    ("mailing_address", "mail"),
                    ("phone", "phone"),
                    ("alternate_phone", "altph"),
                    ("email", "email"),
                )
            ],
        ]

    def __str__(self):
        return f"Identity of victim {self.victim.reference}" if self.victim_id else "Identity of a victim"

    def get_absolute_url(self):
        return self.victim.get_absolute_url()

    def clean(self):
        errors = {}
        if self.safe_at_home:
            if not self.designated_address:
                errors["designated_address"] = "Enter the designated address on the Safe at Home card."
            if not self.safe_at_home_card_verified:
                errors["safe_at_home_card_verified"] = "Check the Safe at Home card before saving."
            if not self.safe_at_home_card_expires:
                errors["safe_at_home_card_expires"] = "Enter the date the Safe at Home card expires."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.safe_at_home:
            # Only the designated address is kept for a participant: a real address is never stored.
            self.address = ""
            self.mailing_address = ""
        self.name_normalized = normalize_name(self.name)
        for field, normalize in self.HASHED.items():
            setattr(self, f"{field}_hash", keyed_hash(normalize(getattr(self, field) or "")))
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, user, action):
        return ALL if user.role in PROTECTED_ROLES else None


class ReadLog(models.Model):
    """One read of a victim's identity, a statement or an attachment: who, when, which, from where.

    Append-only: written by ``victims.services.read_log`` and never changed.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="reads")
    what = models.CharField(max_length=12, choices=ReadWhat.choices)
    record_id = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=8, choices=ReadSource.choices)
    path = models.CharField(max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["victim", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.get_what_display()} of {self.victim.reference} read by {self.user}"

    @classmethod
    def scope_q(cls, user, action):
        if action == VIEW and user.role in (*PROTECTED_ROLES, Role.AUDITOR):
            return ALL
        return None


def new_match_reference() -> str:
    return "C-" + secrets.token_hex(6).upper()


class ConflictMatch(models.Model):
    """A person being added near an offender (a board member, an adopter, a worksite contact...) who
    may be one of that offender's victims: found by the conflict check (victims.conflicts), reviewed
    by victim services, who clear or confirm it.

    The caller gets only ``reference`` (shared by the matches of one check), never which victim or why.
    What the person being added gave is kept here, the contact details encrypted, for the review.
    """

    reference = models.CharField(max_length=16, db_index=True, editable=False)
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="conflict_matches")
    person_name = models.CharField("name given", max_length=200, blank=True)
    person_address = EncryptedTextField("address given", blank=True)
    person_phone = EncryptedTextField("phone given", blank=True)
    person_email = EncryptedTextField("e-mail given", blank=True)
    matched_on = models.CharField(max_length=60, help_text="What matched: name, address, phone, e-mail.")
    similarity = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MatchStatus.OPEN, reviewed_at__isnull=True)
                | ~Q(status=MatchStatus.OPEN) & Q(reviewed_at__isnull=False),
                name="%(app_label)s_%(class)s_reviewed_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "-found_at"])]

    def __str__(self):
        return f"Possible conflict {self.reference}"

    def get_absolute_url(self):
        return reverse("victims:conflictmatch_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        # Who the match is about is identity: victim services and administrators only.
        return ALL if user.role in PROTECTED_ROLES else None


# Impact statements ---------------------------------------------------------------------------------
BOARD_SHARED_MODES = (BoardMode.ATTEND, BoardMode.WRITTEN_SHARED, BoardMode.WRITTEN_BOARD_ONLY)


def statement_scope_q(user, action, prefix=""):
    """Statements, their losses and attachments: victim services and administrators; auditors read;
    the supervising officer reads those on their person's cases (content and losses, never contact),
    except one written for a board only;
    a board coordinator reads those the victim shared with a board, in their district."""
    p = prefix
    if user.role in PROTECTED_ROLES:
        return ALL
    if action != VIEW:
        return None
    if user.role == Role.AUDITOR:
        return ALL
    # A statement the victim sent online is victim services' to review before anyone else reads it.
    recorded = Q(**{f"{p}status": StatementStatus.RECORDED})
    if user.role == Role.PROBATION_OFFICER:
        # What a victim wrote for a board only never reaches the court side (DESIGN.md).
        return (
            recorded
            & Offender.scope_q(user, VIEW, prefix=f"{p}case__offender__")
            & ~Q(**{f"{p}board_mode": BoardMode.WRITTEN_BOARD_ONLY})
        )
    if user.role == Role.BOARD_COORDINATOR:
        return (
            recorded
            & Q(**{f"{p}consent": Consent.BOARD, f"{p}board_mode__in": BOARD_SHARED_MODES})
            & Offender.scope_q(user, VIEW, prefix=f"{p}case__offender__")
        )
    return None


class ImpactStatement(models.Model):
    """A victim impact statement (RSMo 217.762) on one case: what the crime did to the victim's life.

    Holds no contact or locating data: that stays in ``VictimIdentity``.
    """

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="statements")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    method = models.CharField("received by", max_length=10, choices=ReceivedMethod.choices)
    physical_injury = models.TextField(blank=True)
    injury_seriousness = models.CharField(max_length=20, choices=Seriousness.choices, default=Seriousness.NONE)
    injury_permanence = models.CharField(max_length=10, choices=Permanence.choices, default=Permanence.NONE)
    psychological_harm = models.TextField(blank=True)
    welfare_changes = models.TextField("changes to personal welfare and family relationships", blank=True)
    counselling_requested = models.BooleanField(default=False)
    view_on_sentence = models.TextField("the victim's view on the sentence", blank=True)
    statement_text = models.TextField("the statement in the victim's words", blank=True)
    consent = models.CharField("shared with", max_length=10, choices=Consent.choices, default=Consent.COURT_ONLY)
    board_mode = models.CharField(
        "taking part in a reparation board", max_length=20, choices=BoardMode.choices, blank=True
    )
    status = models.CharField(
        max_length=8, choices=StatementStatus.choices, default=StatementStatus.RECORDED, editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=Consent.COURT_ONLY, board_mode="") | Q(consent=Consent.BOARD) & ~Q(board_mode=""),
                name="%(app_label)s_%(class)s_board_mode_with_board_consent",
            ),
        ]

    def __str__(self):
        return f"Impact statement of {self.victim.reference} received {self.received_on:%b %-d, %Y}"

    def get_absolute_url(self):
        return reverse("victims:statement_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.consent == Consent.BOARD and not self.board_mode:
            errors["board_mode"] = "Choose how the victim takes part in the board."
        if self.consent == Consent.COURT_ONLY and self.board_mode:
            errors["board_mode"] = "Leave this empty when the statement is for the court only."
        if self.victim_id and self.case_id and not self.victim.cases.filter(pk=self.case_id).exists():
            errors["case"] = "Choose one of the victim's cases."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_q(cls, user, action):
        return statement_scope_q(user, action)


class EconomicLoss(models.Model):
    """One item of the victim's economic loss: its category, amount and documentation."""

    statement = models.ForeignKey(ImpactStatement, on_delete=models.PROTECT, related_name="losses")
    category = models.CharField(max_length=12, choices=LossCategory.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = MoneyField()
    documentation = models.CharField(
        max_length=200, blank=True, help_text="What backs it: a bill, a receipt, an estimate (attach it below)."
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["statement_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} ${self.amount:,}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "Enter an amount above zero."})

    def get_absolute_url(self):
        return self.statement.get_absolute_url()

    @classmethod
    def scope_q(cls, user, action):
        return statement_scope_q(user, action, prefix="statement__")


def _attachment_upload_to(instance, filename):
    # A random name: nothing of the victim or the original file name in a path.
    return f"victims/attachments/{instance.key}"


class StatementAttachment(models.Model):
    """A document of a statement (PDF, JPEG, PNG, audio), its type read from its bytes.

    Stored through the configured storage under a random name and served only through
    ``victims:attachment_download``, which logs each read.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    statement = models.ForeignKey(ImpactStatement, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=_attachment_upload_to, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    title = models.CharField(max_length=120, help_text="What the document is, such as: hospital bill.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["statement_id", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("victims:attachment_download", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        return statement_scope_q(user, action, prefix="statement__")


# The court report's victim section -------------------------------------------------------------------
def _section_upload_to(instance, filename):
    return f"victims/court-sections/{instance.key}.pdf"


class CourtReportSection(models.Model):
    """One produced version of the victim section of a case's court report (sentencing assessment or
    pre-sentence investigation): drafts as many as needed, one final kept. The defendant reads the
    whole report (RSMo 557.026): it never carries contact or locating data (victims.report)."""

    DRAFT, FINAL = "draft", "final"
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=5, choices=[(DRAFT, "Draft"), (FINAL, "Final")])
    file = models.FileField(upload_to=_section_upload_to, max_length=200)
    statements = models.PositiveIntegerField(default=0)
    total_loss = MoneyField(default=0)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-produced_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="final"), name="%(app_label)s_%(class)s_one_final_per_case"
            ),
        ]

    def __str__(self):
        return f"Victim section ({self.get_status_display().lower()}) of case {self.case.case_number}"

    def get_absolute_url(self):
        return reverse("victims:section_pdf", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        if user.role in PROTECTED_ROLES:
            return ALL
        if action == VIEW and user.role == Role.AUDITOR:
            return ALL
        if user.role == Role.PROBATION_OFFICER and action in (VIEW, ADD):
            return Offender.scope_q(user, VIEW, prefix="case__offender__")
        return None


class VictimPayee(models.Model):
    """A restitution payee (restitution.Payee) that receives money for this victim: victim services
    sees what was paid to it and what was disbursed (through restitution.selectors). The key is on
    this side: victims stands on restitution, never the other way round."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="payee_links")
    payee = models.ForeignKey("restitution.Payee", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["victim_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["victim", "payee"], name="%(app_label)s_%(class)s_once"),
        ]

    def __str__(self):
        return f"Payee link of {self.victim.reference}"

    def get_absolute_url(self):
        return self.victim.get_absolute_url()

    @classmethod
    def scope_q(cls, user, action):
        # Which payee is a victim can identify them: victim services and administrators only.
        return ALL if user.role in PROTECTED_ROLES else None


class Notification(models.Model):
    """One notice a victim is owed about an offender event (release to supervision, discharge, escape,
    death, a parole hearing), on one channel the victim chose. Made by the offender-event handler
    (``services.notifications_for_event``), once per event, victim and channel. An e-mail is sent by a
    Celery task and retried with backoff; a letter is printed (``victims:notification_letter``) and
    marked mailed; a call is made and recorded by hand. Every try is a ``NotificationAttempt``.

    ``body`` is what the victim is told about the offender: it never holds the victim's contact."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="notifications")
    event = models.ForeignKey("core.OffenderEvent", on_delete=models.PROTECT, related_name="+")
    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    status = models.CharField(max_length=9, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "victim", "channel"], name="%(app_label)s_%(class)s_once"),
            models.CheckConstraint(
                condition=Q(status=NoticeStatus.PENDING, completed_at__isnull=True)
                | ~Q(status=NoticeStatus.PENDING) & Q(completed_at__isnull=False),
                name="%(app_label)s_%(class)s_completed_when_not_pending",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=NoticeStatus.PENDING, channel=Channel.EMAIL),
                name="victims_notice_email_due",
            ),
            models.Index(fields=["status", "channel", "-created_at"], name="victims_notice_status"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.victim.reference}: {self.subject}"

    def get_absolute_url(self):
        return reverse("victims:notification_detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action):
        # Who is told what and how is victim services' work; auditors read it (no contact is in it).
        if user.role in PROTECTED_ROLES:
            return ALL
        if action == VIEW and user.role == Role.AUDITOR:
            return ALL
        return None


class NotificationAttempt(models.Model):
    """One try at a notice: an e-mail sent or refused, a letter mailed, a call and how it went. ``detail``
    holds the mail server's error or the caller's note, never the address or number used."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=12, choices=AttemptOutcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["notification_id", "at", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.at:%Y-%m-%d %H:%M})"

    @classmethod
    def scope_q(cls, user, action):
        return Notification.scope_q(user, action)


class SubmissionLink(models.Model):
    """A link victim services sends a victim to write their impact statement online, without an account:
    signed (``core.links``), expiring, used once. What the victim types is kept as they go (``draft``);
    submitting makes an ImpactStatement in ``draft`` status for victim services to review."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="submission_links")
    case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    draft = models.JSONField(default=dict, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    statement = models.OneToOneField(
        ImpactStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="submission_link"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="%(app_label)s_%(class)s_expires_after_made"
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True, statement__isnull=True)
                | Q(used_at__isnull=False, statement__isnull=False),
                name="%(app_label)s_%(class)s_used_with_its_statement",
            ),
        ]

    def __str__(self):
        return f"Statement link for {self.victim.reference}"

    def get_absolute_url(self):
        return self.victim.get_absolute_url()

    def state(self, now=None) -> str:
        if self.used_at:
            return "Submitted"
        return "Expired" if (now or timezone.now()) >= self.expires_at else "Open"

    @classmethod
    def scope_q(cls, user, action):
        # Who was sent a link names the victim's case: victim services and administrators only.
        return ALL if user.role in PROTECTED_ROLES else None
