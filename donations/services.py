"""Writes with rules for donations, craft production and spoilage.

Every write that takes something out of stock (a donation, spoilage) or lowers what came in
(a corrected or voided production entry; in gardens, a corrected or voided harvest) locks the
facility, checks the dated stock and refuses to leave any day's balance below zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Facility, Organization
from core.money import quantize
from core.services import entry_void, lock_facilities
from core.services import set_history as _set_history
from core.units import one_decimal
from core.workers import named_workers_check, workers_set

from . import selectors
from .choices import DonationPurpose
from .models import Donation, DonationLine, Item, ProductionLog, ProductionWorker, Spoilage


class ShortageError(ValidationError):
    """More was asked for than is on hand. ``shortages`` maps ("crop" or "item", id) to what is available."""

    def __init__(self, messages: list[str], shortages: dict[tuple[str, int], Decimal]):
        self.shortages = shortages
        super().__init__(messages)


def _fmt_lb(value) -> str:
    return f"{one_decimal(value):,} lb"


# Stock checks ---------------------------------------------------------------------------------
def stock_check_produce(*, facility_id: int, crop_ids) -> None:
    """Raise when any day's produce balance of these crops at this facility is below zero."""
    flows = selectors.produce_flows(facility_id=facility_id, crop_ids=crop_ids)
    problems, shortages = [], {}
    names = dict(
        selectors.garden_selectors.crops(active_only=False).filter(pk__in=list(crop_ids)).values_list("pk", "name")
    )
    for crop_id in sorted(crop_ids):
        negative = selectors.first_negative(flows.get(crop_id, {}))
        if negative is not None:
            day, balance = negative
            shortages[("crop", crop_id)] = balance
            problems.append(
                f"This would leave {_fmt_lb(balance)} of {names.get(crop_id, 'a crop')} on hand on {day:%b %-d, %Y}: "
                "more would have been given away or spoiled than was harvested by then."
            )
    if problems:
        raise ShortageError(problems, shortages)


def stock_check_items(*, facility_id: int, item_ids) -> None:
    """Raise when any day's balance of these items at this facility is below zero."""
    flows = selectors.item_flows(facility_id=facility_id, item_ids=item_ids)
    names = dict(Item.objects.filter(pk__in=list(item_ids)).values_list("pk", "name"))
    problems, shortages = [], {}
    for item_id in sorted(item_ids):
        negative = selectors.first_negative(flows.get(item_id, {}))
        if negative is not None:
            day, balance = negative
            shortages[("item", item_id)] = balance
            problems.append(
                f"This would leave {int(balance)} {names.get(item_id, 'items')} on hand on {day:%b %-d, %Y}: "
                "more would have been given away than was made by then."
            )
    if problems:
        raise ShortageError(problems, shortages)


def _require_available(*, facility: Facility, day: dt.date, produce: dict, items: dict) -> None:
    """Before taking ``produce`` {crop: pounds} and ``items`` {item: quantity} out on ``day``: is it there?"""
    problems, shortages = [], {}
    if produce:
        flows = selectors.produce_flows(facility_id=facility.pk, crop_ids=[c.pk for c in produce])
        for crop, pounds in sorted(produce.items(), key=lambda p: p[0].name):
            available = selectors.available_on(flows.get(crop.pk, {}), day)
            if pounds > available:
                shortages[("crop", crop.pk)] = max(available, Decimal(0))
                problems.append(
                    f"{crop.name}: {_fmt_lb(pounds)} asked for, but only {_fmt_lb(max(available, 0))} "
                    f"{'is' if available > 0 else 'was'} on hand at {facility.code} on {day:%b %-d, %Y}."
                )
    if items:
        flows = selectors.item_flows(facility_id=facility.pk, item_ids=[i.pk for i in items])
        for item, quantity in sorted(items.items(), key=lambda p: p[0].name):
            available = selectors.available_on(flows.get(item.pk, {}), day)
            if quantity > available:
                shortages[("item", item.pk)] = max(available, Decimal(0))
                problems.append(
                    f"{item.name}: {quantity:,} asked for, but only {int(max(available, 0)):,} "
                    f"on hand at {facility.code} on {day:%b %-d, %Y}."
                )
    if problems:
        raise ShortageError(problems, shortages)


# Donations ------------------------------------------------------------------------------------
@transaction.atomic
def donation_create(
    *,
    user,
    facility: Facility,
    recipient: Organization,
    date: dt.date,
    produce: list[tuple] = (),
    items: list[tuple] = (),
    purpose: str = DonationPurpose.DISTRIBUTION,
    acknowledged: bool = False,
    acknowledged_on: dt.date | None = None,
    note: str = "",
    reference: str = "",
) -> Donation:
    """Give produce [(crop, pounds)] and items [(item, quantity)] to an organization, within stock.

    Each line's estimated value is fixed now from the catalog (crop value per pound, item value each).
    """
    produce = [(c, Decimal(w)) for c, w in produce if c is not None]
    items = [(i, int(q)) for i, q in items if i is not None]
    if not produce and not items:
        raise ValidationError("A donation needs at least one line of produce or items.")
    if not recipient.active:
        raise ValidationError({"recipient": f"{recipient} is no longer active."})
    lock_facilities([facility.pk])
    donation = Donation(
        facility=facility,
        recipient=recipient,
        date=date,
        purpose=purpose,
        acknowledged=acknowledged or bool(acknowledged_on),
        acknowledged_on=acknowledged_on,
        note=(note or "").strip(),
        reference=(reference or "").strip(),
        entered_by=user,
    )
    donation.full_clean()
    wanted_produce: dict = defaultdict(Decimal)
    for crop, pounds in produce:
        wanted_produce[crop] += pounds
    wanted_items: dict = defaultdict(int)
    for item, quantity in items:
        wanted_items[item] += quantity
    _require_available(facility=facility, day=date, produce=wanted_produce, items=wanted_items)
    _set_history(donation, user)
    donation.save()
    lines = [
        DonationLine(
            donation=donation, crop=crop, weight_lb=pounds, estimated_value=quantize(pounds * crop.value_per_lb)
        )
        for crop, pounds in produce
    ] + [
        DonationLine(
            donation=donation,
            item=item,
            quantity=quantity,
            estimated_value=quantize(quantity * item.estimated_value),
        )
        for item, quantity in items
    ]
    for line in lines:
        line.full_clean()
        _set_history(line, user)
        line.save()
    # The rule once more on what is now written (another writer was kept out by the lock).
    if wanted_produce:
        stock_check_produce(facility_id=facility.pk, crop_ids={c.pk for c in wanted_produce})
    if wanted_items:
        stock_check_items(facility_id=facility.pk, item_ids={i.pk for i in wanted_items})
    return donation


EDITABLE = ("recipient", "purpose", "acknowledged", "acknowledged_on", "note")


@transaction.atomic
def donation_update(*, donation: Donation, user, **changes) -> Donation:
    """Change what does not move stock: recipient, purpose, acknowledgement, note. Lines are fixed."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            f"A donation's {', '.join(sorted(unknown))} cannot be changed: void it and enter it again."
        )
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if donation.voided_at is not None:
        raise ValidationError("A void donation cannot be changed.")
    for name, value in changes.items():
        setattr(donation, name, value)
    if donation.acknowledged_on:
        donation.acknowledged = True
    donation.full_clean()
    _set_history(donation, user, "Updated")
    donation.save()
    return donation


@transaction.atomic
def donation_void(*, donation: Donation, user, reason: str) -> Donation:
    """Void a donation with a reason: it stays (receipt and history) and its lines go back into stock."""
    return entry_void(entry=donation, user=user, reason=reason, noun="donation")


# Craft production -----------------------------------------------------------------------------
@transaction.atomic
def production_record(
    *,
    user,
    facility: Facility,
    shop: str,
    item: Item,
    quantity: int,
    date: dt.date,
    volunteer_hours: Decimal = Decimal("0"),
    note: str = "",
) -> ProductionLog:
    """Record what a shop or program made on a day."""
    entry = ProductionLog(
        facility=facility,
        shop=(shop or "").strip(),
        item=item,
        quantity=quantity,
        date=date,
        volunteer_hours=volunteer_hours or Decimal("0"),
        note=(note or "").strip(),
        entered_by=user,
    )
    entry.full_clean()
    _set_history(entry, user)
    entry.save()
    return entry


PRODUCTION_CORRECTABLE = ("facility", "shop", "item", "quantity", "date", "volunteer_hours", "note")


@transaction.atomic
def production_correct(*, entry: ProductionLog, user, reason: str = "", **changes) -> ProductionLog:
    """Correct a production entry; refused if it would leave items given that were never made."""
    unknown = set(changes) - set(PRODUCTION_CORRECTABLE)
    if unknown:
        raise TypeError(f"Cannot correct {', '.join(sorted(unknown))}")
    current = ProductionLog.objects.get(pk=entry.pk)
    new_facility = changes.get("facility", current.facility)
    lock_facilities([current.facility_id, new_facility.pk])
    current = ProductionLog.objects.select_for_update().get(pk=entry.pk)
    if current.voided_at is not None:
        raise ValidationError("A void entry cannot be corrected.")
    before = (current.facility_id, current.item_id)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    named_workers_check(
        current,
        before_facility_id=before[0],
        volunteers=None,
        field="facility",
        noun="entry",
        elsewhere="another facility",
    )
    _set_history(current, user, reason or "Corrected")
    current.save()
    for facility_id, item_id in {before, (current.facility_id, current.item_id)}:
        stock_check_items(facility_id=facility_id, item_ids={item_id})
    return current


@transaction.atomic
def production_void(*, entry: ProductionLog, user, reason: str) -> ProductionLog:
    """Void a production entry with a reason. Refused if items on hand would go negative."""
    entry = entry_void(entry=entry, user=user, reason=reason)
    stock_check_items(facility_id=entry.facility_id, item_ids={entry.item_id})
    return entry


# Who worked on a production entry: the rules are the harvests' (gardens.services) -------------------
@transaction.atomic
def production_workers_set(*, entry: ProductionLog, user, workers, reason: str = "") -> list[ProductionWorker]:
    """Name who worked on a production entry and their hours (``{person or id: hours}``, or pairs); replaces
    the list. Refused, with nothing stored, on the same rules as a harvest's workers
    (``core.workers.workers_problems``): a production entry counts no volunteers, so only its volunteer
    hours bound the named hours. A void entry is final."""
    return workers_set(
        model=ProductionLog,
        entry=entry,
        worker_model=ProductionWorker,
        parent_field="production",
        user=user,
        workers=workers,
        reason=reason,
        counts_volunteers=False,
        noun="entry",
        void_message="A void entry cannot be corrected.",
    )


# Spoilage -------------------------------------------------------------------------------------
@transaction.atomic
def spoilage_record(*, user, facility: Facility, crop, date: dt.date, weight_lb: Decimal, reason: str) -> Spoilage:
    """Take produce that went bad out of stock (no more than is on hand)."""
    lock_facilities([facility.pk])
    entry = Spoilage(
        facility=facility, crop=crop, date=date, weight_lb=weight_lb, reason=(reason or "").strip(), entered_by=user
    )
    entry.full_clean()
    _require_available(facility=facility, day=date, produce={crop: Decimal(weight_lb)}, items={})
    _set_history(entry, user)
    entry.save()
    stock_check_produce(facility_id=facility.pk, crop_ids={crop.pk})
    return entry


@transaction.atomic
def spoilage_void(*, entry: Spoilage, user, reason: str) -> Spoilage:
    """Void a spoilage entry with a reason: the produce counts as on hand again."""
    return entry_void(entry=entry, user=user, reason=reason)
