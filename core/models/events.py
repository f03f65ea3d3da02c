"""What happens to a person that the programs must react to, and the parole hearings staff record.

An ``OffenderEvent`` is written in the same transaction as the change it describes (an outbox), so
an event exists exactly when its change was committed. ``OffenderEventDelivery`` keeps, for each
handler the apps registered, whether it has run: core.events delivers after commit and retries
what failed, without ever touching the change itself.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.choices import DeliveryStatus, OffenderEventKind, ParoleOutcome, Role
from core.querysets import ALL, VIEW, RestrictedQuerySet

from .people import Offender


class OffenderEvent(models.Model):
    """One change to a person: status, facility, district or officer, or a parole hearing recorded.

    ``before`` and ``after`` are the values' keys (a status, a facility id...) as text; the labels
    are read at display time. Never edited after it is written."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=OffenderEventKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    before = models.CharField(max_length=40, blank=True)
    after = models.CharField(max_length=40, blank=True)
    hearing = models.ForeignKey("ParoleHearing", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["offender", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.offender_id} {self.before} → {self.after}"

    @classmethod
    def scope_q(cls, user, action):
        return Offender.scope_q(user, VIEW, prefix="offender__") if action == VIEW else None


class OffenderEventDelivery(models.Model):
    """Whether one registered handler has run for one event (retried with backoff until it has)."""

    event = models.ForeignKey(OffenderEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="%(app_label)s_%(class)s_unique_handler"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="core_delivery_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.handler} for event {self.event_id}: {self.status}"

    @classmethod
    def scope_q(cls, user, action):
        return ALL if action == VIEW and user.role in (Role.ADMINISTRATOR, Role.AUDITOR) else None


class ParoleHearing(models.Model):
    """A parole board hearing of a person: its date and outcome, entered or imported by staff."""

    offender = models.ForeignKey(Offender, on_delete=models.PROTECT, related_name="parole_hearings")
    hearing_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=ParoleOutcome.choices)
    next_hearing_date = models.DateField(
        null=True, blank=True, help_text="When the board continued the case, or set the next review."
    )
    notes = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-hearing_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offender", "hearing_date"], name="%(app_label)s_%(class)s_one_hearing_a_day"
            ),
            models.CheckConstraint(
                condition=Q(next_hearing_date__isnull=True) | Q(next_hearing_date__gt=models.F("hearing_date")),
                name="%(app_label)s_%(class)s_next_after_hearing",
            ),
        ]

    def __str__(self):
        return f"Parole hearing {self.hearing_date:%b %-d, %Y}: {self.get_outcome_display()}"

    def get_absolute_url(self):
        return reverse("core:offender_timeline", args=[self.offender_id])

    @classmethod
    def scope_q(cls, user, action):
        # Whoever may change the person records their hearings; whoever may see the person sees them.
        return Offender.scope_q(user, action, prefix="offender__")
