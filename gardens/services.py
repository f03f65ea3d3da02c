"""Writes with rules for harvests: record a day's harvest, correct an entry, void one with a reason.

Stock (produce on hand) is kept by the donations app, which stands on this one. So that a
correction or a void here can never leave a facility having given away more than it grew,
donations registers a stock check with ``register_stock_check``; every write that lowers what
was harvested runs the registered checks inside its transaction, after the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.services import entry_void, lock_facilities
from core.services import set_history as _set_history
from core.workers import named_workers_check, workers_set

from .models import Crop, Garden, Harvest, HarvestWorker

StockCheck = Callable[..., None]
_stock_checks: list[StockCheck] = []


def register_stock_check(check: StockCheck) -> StockCheck:
    """``check(facility_id=..., crop_ids=...)`` raises ValidationError when produce on hand would go negative."""
    if check not in _stock_checks:
        _stock_checks.append(check)
    return check


def _check_stock(pairs: Iterable[tuple[int, int]]) -> None:
    by_facility: dict[int, set[int]] = {}
    for facility_id, crop_id in pairs:
        by_facility.setdefault(facility_id, set()).add(crop_id)
    for facility_id, crop_ids in sorted(by_facility.items()):
        for check in _stock_checks:
            check(facility_id=facility_id, crop_ids=crop_ids)


@transaction.atomic
def harvest_record(
    *,
    user,
    garden: Garden,
    crop: Crop,
    date: dt.date,
    weight_lb: Decimal,
    volunteers: int = 0,
    volunteer_hours: Decimal = Decimal("0"),
    note: str = "",
    import_key: str = "",
) -> Harvest:
    """Record one crop weighed at one garden on one day. The facility is the garden's. ``import_key``
    marks a row imported from a file (the database refuses the same key twice at one facility)."""
    harvest = Harvest(
        facility_id=garden.facility_id,
        garden=garden,
        crop=crop,
        date=date,
        weight_lb=weight_lb,
        volunteers=volunteers or 0,
        volunteer_hours=volunteer_hours or Decimal("0"),
        note=(note or "").strip(),
        import_key=import_key,
        entered_by=user,
    )
    harvest.full_clean()
    _set_history(harvest, user)
    harvest.save()
    return harvest


class DayEntryError(ValidationError):
    """Some rows of a day's harvest were refused: ``row_errors`` maps row index to its ValidationError."""

    def __init__(self, row_errors: dict[int, ValidationError]):
        self.row_errors = row_errors
        super().__init__(f"{len(row_errors)} row(s) could not be saved.")


@transaction.atomic
def harvest_record_day(*, user, garden: Garden, date: dt.date, rows: list[dict]) -> list[Harvest]:
    """A day's harvest at one garden: every row is saved, or none (``DayEntryError`` names the bad rows)."""
    if not rows:
        raise ValidationError("Add at least one crop.")
    saved, errors = [], {}
    for index, row in enumerate(rows):
        try:
            with transaction.atomic():
                saved.append(harvest_record(user=user, garden=garden, date=date, **row))
        except ValidationError as exc:
            errors[index] = exc
    if errors:
        raise DayEntryError(errors)
    return saved


CORRECTABLE = ("garden", "crop", "date", "weight_lb", "volunteers", "volunteer_hours", "note")


@transaction.atomic
def harvest_correct(*, harvest: Harvest, user, reason: str = "", **changes) -> Harvest:
    """Correct an entry (who may, and until when, is the scope rule). Refused if stock would go negative."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"Cannot correct {', '.join(sorted(unknown))}")
    original = Harvest.objects.get(pk=harvest.pk)
    if original.voided_at is not None:
        raise ValidationError("A voided entry cannot be corrected.")
    new_garden = changes.get("garden", original.garden)
    lock_facilities([original.facility_id, new_garden.facility_id])
    original = Harvest.objects.select_for_update().get(pk=harvest.pk)
    before = (original.facility_id, original.crop_id)
    for name, value in changes.items():
        setattr(original, name, value)
    original.facility_id = original.garden.facility_id
    original.note = (original.note or "").strip()
    original.full_clean()
    named_workers_check(
        original,
        before_facility_id=before[0],
        volunteers=original.volunteers,
        field="garden",
        noun="harvest",
        elsewhere="another facility's garden",
    )
    _set_history(original, user, reason or "Corrected")
    original.save()
    _check_stock({before, (original.facility_id, original.crop_id)})
    return original


@transaction.atomic
def harvest_void(*, harvest: Harvest, user, reason: str) -> Harvest:
    """Void an entry with a reason. It stays, marked void, and counts nowhere. Refused if stock would go negative."""
    harvest = entry_void(entry=harvest, user=user, reason=reason)
    _check_stock({(harvest.facility_id, harvest.crop_id)})
    return harvest


# Who worked: people named on an entry with their hours ---------------------------------------------------
# The same rules serve craft production (donations.services.production_workers_set), which stands on this app.


@transaction.atomic
def harvest_workers_set(
    *, harvest: Harvest, user, workers: Mapping | list[tuple[int, Decimal]], reason: str = ""
) -> list[HarvestWorker]:
    """Name who worked a harvest and their hours (``{person or id: hours}``, or pairs); replaces the list.

    Refused, with nothing stored, when a new person is not held at the harvest's facility, hours are not
    above 0 and at most 16 with two decimals, a person is named twice, or the named people or hours exceed
    the harvest's volunteers or volunteer hours. A void harvest is final."""
    return workers_set(
        model=Harvest,
        entry=harvest,
        worker_model=HarvestWorker,
        parent_field="harvest",
        user=user,
        workers=workers,
        reason=reason,
        counts_volunteers=True,
        noun="harvest",
        void_message="A voided entry cannot be corrected.",
    )


def harvest_day_label(harvest: Harvest, day_harvests: Iterable[Harvest]) -> str:
    """How a harvest is named among its day's at one garden: its crop, and its weight when the day
    weighed that crop twice ("Tomatoes", "Tomatoes (12.5 lb)")."""
    same = sum(1 for h in day_harvests if h.crop_id == harvest.crop_id)
    return harvest.crop.name if same < 2 else f"{harvest.crop.name} ({harvest.weight_lb} lb)"


@transaction.atomic
def harvest_day_workers_set(
    *,
    harvests: list[Harvest],
    user,
    assigned: Mapping[int, list[tuple[int, Decimal]]],
    kept: Iterable[int] = (),
    reason: str = "",
) -> dict[int, list[tuple[int, Decimal]]]:
    """Name who worked a day's harvests at one garden, all at once: ``harvests`` are the day's that the
    caller may change (with their crops), ``assigned`` maps a harvest's id to the (person id, hours) named
    on it, and ``kept`` are people left as they are on every one of these harvests (named on several).

    Each harvest's list becomes exactly its assigned people plus its kept ones, through
    ``harvest_workers_set`` (a harvest whose list does not change is not written). Every refusal, each
    starting with its crop ("Tomatoes: You named 3 people..."), is raised together and nothing is stored.
    Returns each harvest's list as saved: ``{harvest id: [(person id, hours), ...]}``."""
    by_pk = {h.pk: h for h in harvests}
    problems = [f"Harvest #{pk} is not one of this day's harvests." for pk in assigned if pk not in by_pk]
    if problems:
        raise ValidationError(problems)
    labels = {h.pk: harvest_day_label(h, harvests) for h in harvests}
    # Lock the day's harvests in one statement, in id order (as every writer of several entries does).
    locked = {
        h.pk: h for h in Harvest.objects.select_for_update().filter(pk__in=list(by_pk)).order_by("pk").only("voided_at")
    }
    current: dict[int, dict[int, Decimal]] = {pk: {} for pk in by_pk}
    for harvest_id, offender_id, hours in HarvestWorker.objects.filter(harvest_id__in=list(by_pk)).values_list(
        "harvest_id", "offender_id", "hours"
    ):
        current[harvest_id][offender_id] = hours
    kept = set(kept)
    final: dict[int, list[tuple[int, Decimal]]] = {}
    for harvest in sorted(harvests, key=lambda h: h.pk):
        if locked.get(harvest.pk) is None or locked[harvest.pk].voided_at is not None:
            problems.append(f"{labels[harvest.pk]}: this harvest was voided meanwhile; it takes no workers.")
            continue
        wanted = [(int(pk), hours) for pk, hours in assigned.get(harvest.pk, [])]
        wanted += [(pk, hours) for pk, hours in current[harvest.pk].items() if pk in kept]
        final[harvest.pk] = wanted
        now = current[harvest.pk]
        if {pk for pk, _ in wanted} == set(now) and len(wanted) == len(now) and all(now[pk] == h for pk, h in wanted):
            continue  # nothing changes on this harvest
        try:
            harvest_workers_set(harvest=harvest, user=user, workers=wanted, reason=reason)
        except ValidationError as exc:
            problems.extend(f"{labels[harvest.pk]}: {message}" for message in exc.messages)
    if problems:
        raise ValidationError(problems)
    return final
