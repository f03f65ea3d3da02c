"""Offender events: core tells the programs that a person's status, facility, district or officer
changed, or that a parole hearing was recorded, without any app importing another.

How it flows:

1. A core service that makes such a change calls :func:`emit` inside its transaction. The event is
   a row (``OffenderEvent``), with one ``OffenderEventDelivery`` per registered handler that wants
   that kind: written with the change, rolled back with it.
2. After the commit, :func:`deliver` runs each pending delivery in its own transaction. A handler
   that raises is logged, its transaction rolled back, and the delivery is tried again later
   (backoff: 1 min, 5 min, 30 min, 2 h, 12 h, then given up and administrators alerted). The change
   that emitted the event is already committed: a handler can never undo it.
3. The beat task ``core.deliver_offender_events`` (every 5 minutes, from ``load_schedule``) delivers
   what is due: retries, and anything a crashed process left pending.

Not Django signals: the emitters are named services, and a reader can follow the call.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.choices import DeliveryStatus, OffenderEventKind, Role
from core.models import OffenderEvent, OffenderEventDelivery, User
from core.registry import registry

log = logging.getLogger(__name__)

BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def emit(*, offender, kind: str, before="", after="", user=None, hearing=None) -> OffenderEvent:
    """Record one event of ``offender`` in the current transaction and deliver it after commit."""
    if kind not in OffenderEventKind.values:
        raise ValueError(f"unknown offender event kind {kind!r}")
    event = OffenderEvent.objects.create(
        offender=offender,
        kind=kind,
        before="" if before is None else str(before),
        after="" if after is None else str(after),
        hearing=hearing,
        entered_by=user if user is not None and user.pk else None,
    )
    handlers = [h for h in registry.event_handlers.values() if not h.kinds or kind in h.kinds]
    if handlers:
        OffenderEventDelivery.objects.bulk_create(
            [OffenderEventDelivery(event=event, handler=h.slug) for h in handlers]
        )
        transaction.on_commit(lambda: deliver(event_ids=[event.pk]))
    return event


def emit_changes(*, offender, previous: dict, user=None) -> list[OffenderEvent]:
    """Events for what differs between ``previous`` (``status``, ``facility_id``, ``district_id``,
    ``supervising_officer_id`` before the save) and ``offender`` as saved."""
    fields = [
        ("status", OffenderEventKind.STATUS),
        ("facility_id", OffenderEventKind.FACILITY),
        ("district_id", OffenderEventKind.DISTRICT),
        ("supervising_officer_id", OffenderEventKind.OFFICER),
    ]
    events = []
    for name, kind in fields:
        old, new = previous.get(name), getattr(offender, name)
        if old != new:
            events.append(emit(offender=offender, kind=kind, before=old, after=new, user=user))
    return events


TRACKED = ("status", "facility_id", "district_id", "supervising_officer_id")


def tracked_values(offender) -> dict:
    """The values whose change is an event, read before a save."""
    return {name: getattr(offender, name) for name in TRACKED}


def deliver(*, event_ids=None, now=None) -> int:
    """Run the pending deliveries that are due (of ``event_ids`` only, when given). Returns how many
    were attempted. Each claims its row with ``skip locked``, so two workers never run one twice."""
    now = now or timezone.now()
    attempted = 0
    while True:
        with transaction.atomic():
            qs = OffenderEventDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            if event_ids is not None:
                qs = qs.filter(event_id__in=event_ids)
            delivery = (
                qs.select_for_update(skip_locked=True, of=("self",)).select_related("event").order_by("pk").first()
            )
            if delivery is None:
                return attempted
            attempted += 1
            _attempt(delivery, now)


def _attempt(delivery: OffenderEventDelivery, now) -> None:
    entry = registry.event_handlers.get(delivery.handler)
    delivery.attempts += 1
    if entry is None:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = f"No handler named {delivery.handler!r} is registered any more."
    else:
        try:
            with transaction.atomic():  # a savepoint: the handler's writes go if it fails
                entry.handle(delivery.event)
        except Exception:
            log.exception("Offender event handler %s failed for event %s", delivery.handler, delivery.event_id)
            delivery.last_error = traceback.format_exc()[-4000:]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
                _alert_gave_up(delivery)
            else:
                delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        else:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "delivered_at"])


def _alert_gave_up(delivery: OffenderEventDelivery) -> None:
    from core.services import NewAlert, alerts_create

    admins = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list("pk", flat=True)
    alerts_create(
        [
            NewAlert(
                user_id=pk,
                title=f"An offender event handler gave up: {delivery.handler}",
                body=(
                    f"Event {delivery.event_id} ({delivery.event.get_kind_display()}) failed {delivery.attempts} "
                    "times; the last error is in the log. The change itself was saved."
                ),
                link=reverse("core:jobrun_list"),
                key=f"core:event-delivery:{delivery.pk}",
            )
            for pk in admins
        ]
    )
