"""Reads for donations: stock on hand (derived, never stored), availability for a donation, and the
figures of the dashboards and of the season harvest and donations reports.

Stock is dated. On any day, a facility's produce of one crop on hand is what it harvested up to
that day minus what it gave and what spoiled up to that day; items likewise (produced minus given).
A donation dated D may take no more than the smallest balance from D onwards, so no later gift
is left uncovered. Harvest figures come from ``gardens.selectors`` only.

``user`` narrows every figure to the user's scope; ``user=None`` means statewide and unscoped,
for public figures and for the rules inside services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone

from core.models import Facility, Organization
from core.money import ZERO as ZERO_USD
from core.money import quantize
from core.querysets import VIEW
from core.units import ZERO_LB, one_decimal, to_tons
from core.workers import dated_between, hours_by_person
from gardens import selectors as garden_selectors

from .choices import ItemCategory
from .models import (
    Donation,
    DonationLine,
    Fundraiser,
    FundraiserPurchase,
    Item,
    ProductionLog,
    ProductionWorker,
    Spoilage,
)


def _sum_lb(name):
    return Coalesce(Sum(name), Value(ZERO_LB), output_field=DecimalField(max_digits=14, decimal_places=1))


def _sum_usd(name):
    return Coalesce(Sum(name), Value(ZERO_USD), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum_int(name):
    return Coalesce(Sum(name), Value(0), output_field=IntegerField())


def _scoped(qs, user):
    return qs if user is None else qs.restrict(user, VIEW)


def donations(user=None):
    """Donations that count (not voided), in scope."""
    return _scoped(Donation.objects.active(), user)


def donation_lines(user=None):
    """Lines of donations that count, in scope."""
    return _scoped(DonationLine.objects.filter(donation__voided_at__isnull=True), user)


def production(user=None):
    return _scoped(ProductionLog.objects.active(), user)


def spoilage(user=None):
    return _scoped(Spoilage.objects.active(), user)


# Dated balances -------------------------------------------------------------------------------
def first_negative(flows: dict[dt.date, Decimal]) -> tuple[dt.date, Decimal] | None:
    """The first day on which the running balance of dated flows is below zero, with that balance."""
    balance = Decimal(0)
    for day in sorted(flows):
        balance += flows[day]
        if balance < 0:
            return day, balance
    return None


def available_on(flows: dict[dt.date, Decimal], day: dt.date) -> Decimal:
    """What can leave on ``day`` without any day's balance from then on falling below zero."""
    balance = sum((v for d, v in flows.items() if d <= day), Decimal(0))
    lowest = balance
    for later in sorted(d for d in flows if d > day):
        balance += flows[later]
        lowest = min(lowest, balance)
    return lowest


def _add(flows: dict, key, day, amount):
    flows[key][day] = flows[key].get(day, 0) + amount


def produce_flows(*, facility_id: int, crop_ids: Iterable[int] | None = None) -> dict[int, dict[dt.date, Decimal]]:
    """Per crop at one facility (every crop when ``crop_ids`` is None): pounds in (harvests) and out
    (donations, spoilage), by day. Unscoped: for rules and for a page that checked the facility's scope."""
    crop_ids = None if crop_ids is None else list(crop_ids)
    flows: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for crop_id, days in garden_selectors.harvested_pounds_by_day(facility_id=facility_id, crop_ids=crop_ids).items():
        for day, pounds in days.items():
            _add(flows, crop_id, day, pounds)
    given = DonationLine.objects.filter(
        donation__facility_id=facility_id, donation__voided_at__isnull=True, crop__isnull=False
    )
    spoiled = Spoilage.objects.active().filter(facility_id=facility_id)
    if crop_ids is not None:
        given = given.filter(crop_id__in=crop_ids)
        spoiled = spoiled.filter(crop_id__in=crop_ids)
    given = given.order_by().values("crop_id", "donation__date").annotate(pounds=_sum_lb("weight_lb"))
    for row in given:
        _add(flows, row["crop_id"], row["donation__date"], -row["pounds"])
    spoiled = spoiled.order_by().values("crop_id", "date").annotate(pounds=_sum_lb("weight_lb"))
    for row in spoiled:
        _add(flows, row["crop_id"], row["date"], -row["pounds"])
    return flows


def item_flows(*, facility_id: int, item_ids: Iterable[int] | None = None) -> dict[int, dict[dt.date, Decimal]]:
    """Per item at one facility (every item when ``item_ids`` is None): made (production) and given
    (donations), by day. Unscoped."""
    flows: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    made = ProductionLog.objects.active().filter(facility_id=facility_id)
    given = DonationLine.objects.filter(
        donation__facility_id=facility_id, donation__voided_at__isnull=True, item__isnull=False
    )
    if item_ids is not None:
        item_ids = list(item_ids)
        made = made.filter(item_id__in=item_ids)
        given = given.filter(item_id__in=item_ids)
    made = made.order_by().values("item_id", "date").annotate(n=_sum_int("quantity"))
    for row in made:
        _add(flows, row["item_id"], row["date"], Decimal(row["n"]))
    given = given.order_by().values("item_id", "donation__date").annotate(n=_sum_int("quantity"))
    for row in given:
        _add(flows, row["item_id"], row["donation__date"], -Decimal(row["n"]))
    return flows


def produce_available(*, facility_id: int, crop_id: int, on: dt.date) -> Decimal:
    return one_decimal(available_on(produce_flows(facility_id=facility_id, crop_ids=[crop_id]).get(crop_id, {}), on))


def item_available(*, facility_id: int, item_id: int, on: dt.date) -> int:
    return int(available_on(item_flows(facility_id=facility_id, item_ids=[item_id]).get(item_id, {}), on))


@dataclass(frozen=True)
class Available:
    key: int
    label: str
    amount: Decimal


def available_to_give(*, facility: Facility, on: dt.date) -> tuple[list[Available], list[Available]]:
    """What a donation from ``facility`` dated ``on`` may take: (produce by crop, items by item).

    The caller has checked the user may see the facility.
    """
    produce = {k: available_on(v, on) for k, v in produce_flows(facility_id=facility.pk).items()}
    items = {k: available_on(v, on) for k, v in item_flows(facility_id=facility.pk).items()}
    crop_names = dict(garden_selectors.crops(active_only=False).filter(pk__in=list(produce)).values_list("pk", "name"))
    item_names = dict(Item.objects.filter(pk__in=list(items)).values_list("pk", "name"))
    return (
        sorted(
            (Available(k, crop_names[k], one_decimal(v)) for k, v in produce.items() if v > 0), key=lambda a: a.label
        ),
        sorted((Available(k, item_names[k], v) for k, v in items.items() if v > 0), key=lambda a: a.label),
    )


# Stock on hand --------------------------------------------------------------------------------
@dataclass(frozen=True)
class StockRow:
    facility: Facility
    key: int
    label: str
    category: str
    came_in: Decimal  # harvested or produced
    given: Decimal
    spoiled: Decimal
    on_hand: Decimal


def _facility_ids(user, facility=None) -> list[int] | None:
    if facility is not None:
        return [facility.pk]
    if user is None:
        return None
    return list(Facility.objects.restrict(user, VIEW).values_list("pk", flat=True))


def produce_on_hand(*, user, facility=None, on: dt.date | None = None, include_empty: bool = False) -> list[StockRow]:
    """Produce on hand per facility and crop on ``on`` (today by default). Five queries, whatever the size."""
    on = on or timezone.localdate()
    facility_ids = _facility_ids(user, facility)
    came = garden_selectors.harvested_pounds(user=user, facility_ids=facility_ids, through=on)
    lines = donation_lines(user).filter(crop__isnull=False, donation__date__lte=on)
    spoiled_qs = spoilage(user).filter(date__lte=on)
    if facility_ids is not None:
        lines = lines.filter(donation__facility_id__in=facility_ids)
        spoiled_qs = spoiled_qs.filter(facility_id__in=facility_ids)
    given = {
        (r["donation__facility_id"], r["crop_id"]): r["pounds"]
        for r in lines.order_by().values("donation__facility_id", "crop_id").annotate(pounds=_sum_lb("weight_lb"))
    }
    spoiled = {
        (r["facility_id"], r["crop_id"]): r["pounds"]
        for r in spoiled_qs.order_by().values("facility_id", "crop_id").annotate(pounds=_sum_lb("weight_lb"))
    }
    keys = set(came) | set(given) | set(spoiled)
    facilities = Facility.objects.in_bulk({f for f, _ in keys})
    crops = garden_selectors.crops(active_only=False).in_bulk({c for _, c in keys})
    rows = []
    for key in keys:
        c, g, s = came.get(key, ZERO_LB), given.get(key, ZERO_LB), spoiled.get(key, ZERO_LB)
        on_hand = one_decimal(c - g - s)
        if on_hand == 0 and not include_empty:
            continue
        crop = crops[key[1]]
        rows.append(
            StockRow(
                facility=facilities[key[0]],
                key=crop.pk,
                label=crop.name,
                category=crop.get_category_display(),
                came_in=one_decimal(c),
                given=one_decimal(g),
                spoiled=one_decimal(s),
                on_hand=on_hand,
            )
        )
    return sorted(rows, key=lambda r: (r.facility.code, r.label))


def items_on_hand(*, user, facility=None, on: dt.date | None = None, include_empty: bool = False) -> list[StockRow]:
    """Items on hand per facility and item on ``on``. Four queries, whatever the size."""
    on = on or timezone.localdate()
    facility_ids = _facility_ids(user, facility)
    made_qs = production(user).filter(date__lte=on)
    lines = donation_lines(user).filter(item__isnull=False, donation__date__lte=on)
    if facility_ids is not None:
        made_qs = made_qs.filter(facility_id__in=facility_ids)
        lines = lines.filter(donation__facility_id__in=facility_ids)
    made = {
        (r["facility_id"], r["item_id"]): r["n"]
        for r in made_qs.order_by().values("facility_id", "item_id").annotate(n=_sum_int("quantity"))
    }
    given = {
        (r["donation__facility_id"], r["item_id"]): r["n"]
        for r in lines.order_by().values("donation__facility_id", "item_id").annotate(n=_sum_int("quantity"))
    }
    keys = set(made) | set(given)
    facilities = Facility.objects.in_bulk({f for f, _ in keys})
    items = Item.objects.in_bulk({i for _, i in keys})
    labels = dict(ItemCategory.choices)
    rows = []
    for key in keys:
        m, g = made.get(key, 0), given.get(key, 0)
        if m - g == 0 and not include_empty:
            continue
        item = items[key[1]]
        rows.append(
            StockRow(
                facility=facilities[key[0]],
                key=item.pk,
                label=item.name,
                category=labels.get(item.category, ""),
                came_in=Decimal(m),
                given=Decimal(g),
                spoiled=Decimal(0),
                on_hand=Decimal(m - g),
            )
        )
    return sorted(rows, key=lambda r: (r.facility.code, r.label))


@dataclass(frozen=True)
class OnHandTotals:
    pounds: Decimal
    items: int


def on_hand_totals(*, user, on: dt.date | None = None) -> OnHandTotals:
    """Produce (lb) and items on hand in the user's scope: the same records as the stock page,
    summed without the per-crop breakdown (five queries)."""
    on = on or timezone.localdate()
    harvested = sum(garden_selectors.harvested_pounds(user=user, through=on).values(), ZERO_LB)
    given = (
        donation_lines(user)
        .filter(donation__date__lte=on)
        .aggregate(pounds=_sum_lb("weight_lb"), items=_sum_int("quantity"))
    )
    spoiled = spoilage(user).filter(date__lte=on).aggregate(pounds=_sum_lb("weight_lb"))["pounds"]
    made = production(user).filter(date__lte=on).aggregate(items=_sum_int("quantity"))["items"]
    return OnHandTotals(pounds=one_decimal(harvested - given["pounds"] - spoiled), items=made - given["items"])


# Donation figures ----------------------------------------------------------------------------
@dataclass(frozen=True)
class DonationTotals:
    donations: int = 0
    pounds: Decimal = ZERO_LB
    items: int = 0
    value: Decimal = ZERO_USD
    recipients: int = 0

    @property
    def tons(self) -> Decimal:
        return to_tons(self.pounds)


def donation_totals(*, user, start: dt.date | None, end: dt.date | None, facility=None) -> DonationTotals:
    """Counts come from donations and amounts from their lines: two aggregates, no double counting."""
    qs = donations(user).between(start, end)
    if facility is not None:
        qs = qs.filter(facility=facility)
    lines = donation_lines(user).filter(donation__in=qs.values("pk"))
    head = qs.aggregate(n=Count("pk"), recipients=Count("recipient", distinct=True))
    body = lines.aggregate(pounds=_sum_lb("weight_lb"), items=_sum_int("quantity"), value=_sum_usd("estimated_value"))
    return DonationTotals(
        donations=head["n"],
        recipients=head["recipients"],
        pounds=one_decimal(body["pounds"]),
        items=body["items"],
        value=quantize(body["value"]),
    )


@dataclass(frozen=True)
class RecipientRow:
    recipient_id: int
    name: str
    county: str
    donations: int
    pounds: Decimal
    items: int
    value: Decimal

    @property
    def tons(self) -> Decimal:
        return to_tons(self.pounds)


def _season_lines(user, start, end, facility=None):
    lines = donation_lines(user).filter(donation__date__gte=start, donation__date__lte=end)
    if facility is not None:
        lines = lines.filter(donation__facility=facility)
    return lines


def by_recipient(*, user, start: dt.date, end: dt.date, facility=None, limit: int | None = None) -> list[RecipientRow]:
    rows = (
        _season_lines(user, start, end, facility)
        .order_by()
        .values("donation__recipient_id", "donation__recipient__name", "donation__recipient__county")
        .annotate(
            donations=Count("donation", distinct=True),
            pounds=_sum_lb("weight_lb"),
            items=_sum_int("quantity"),
            value=_sum_usd("estimated_value"),
        )
        .order_by("-value", "-pounds", "donation__recipient__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        RecipientRow(
            recipient_id=r["donation__recipient_id"],
            name=r["donation__recipient__name"],
            county=r["donation__recipient__county"],
            donations=r["donations"],
            pounds=one_decimal(r["pounds"]),
            items=r["items"],
            value=quantize(r["value"]),
        )
        for r in rows
    ]


def by_county(*, user, start: dt.date, end: dt.date, facility=None) -> list[dict]:
    rows = (
        _season_lines(user, start, end, facility)
        .order_by()
        .values("donation__recipient__county")
        .annotate(
            donations=Count("donation", distinct=True),
            recipients=Count("donation__recipient", distinct=True),
            pounds=_sum_lb("weight_lb"),
            items=_sum_int("quantity"),
            value=_sum_usd("estimated_value"),
        )
        .order_by("donation__recipient__county")
    )
    return [
        {
            "county": r["donation__recipient__county"],
            "donations": r["donations"],
            "recipients": r["recipients"],
            "pounds": one_decimal(r["pounds"]),
            "tons": to_tons(r["pounds"]),
            "items": r["items"],
            "value": quantize(r["value"]),
        }
        for r in rows
    ]


def produce_by_recipient(*, user, start: dt.date, end: dt.date, facility=None) -> list[RecipientRow]:
    """Where the produce went: pounds given per recipient (item lines left out)."""
    rows = (
        _season_lines(user, start, end, facility)
        .filter(crop__isnull=False)
        .order_by()
        .values("donation__recipient_id", "donation__recipient__name", "donation__recipient__county")
        .annotate(
            donations=Count("donation", distinct=True), pounds=_sum_lb("weight_lb"), value=_sum_usd("estimated_value")
        )
        .order_by("-pounds", "donation__recipient__name")
    )
    return [
        RecipientRow(
            recipient_id=r["donation__recipient_id"],
            name=r["donation__recipient__name"],
            county=r["donation__recipient__county"],
            donations=r["donations"],
            pounds=one_decimal(r["pounds"]),
            items=0,
            value=quantize(r["value"]),
        )
        for r in rows
    ]


def items_by_category(*, user, start: dt.date, end: dt.date, facility=None) -> list[dict]:
    """Items given, by kind (category) and by item."""
    rows = (
        _season_lines(user, start, end, facility)
        .filter(item__isnull=False)
        .order_by()
        .values("item__category")
        .annotate(items=_sum_int("quantity"), value=_sum_usd("estimated_value"))
        .order_by("-items")
    )
    labels = dict(ItemCategory.choices)
    return [
        {
            "category": labels.get(r["item__category"], r["item__category"]),
            "items": r["items"],
            "value": quantize(r["value"]),
        }
        for r in rows
    ]


def spoiled_pounds(*, user, start: dt.date, end: dt.date, facility=None) -> Decimal:
    qs = spoilage(user).between(start, end)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return one_decimal(qs.aggregate(t=_sum_lb("weight_lb"))["t"])


def production_totals(*, user, start: dt.date, end: dt.date, facility=None) -> dict:
    qs = production(user).between(start, end)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs.aggregate(items=_sum_int("quantity"), hours=_sum_lb("volunteer_hours"), entries=Count("pk"))


def fundraiser_totals(*, user, year: int) -> dict:
    """Goal, money raised and money spent on gifts by the fundraisers that started in ``year``."""
    qs = _scoped(Fundraiser.objects.all(), user).filter(start_date__year=year)
    head = qs.aggregate(n=Count("pk"), goal=_sum_usd("goal"), raised=_sum_usd("raised"))
    spent = _scoped(FundraiserPurchase.objects.all(), user).filter(fundraiser__in=qs.values("pk"))
    return {
        "fundraisers": head["n"],
        "goal": quantize(head["goal"]),
        "raised": quantize(head["raised"]),
        "spent": quantize(spent.aggregate(t=_sum_usd("amount"))["t"]),
    }


def recipients_for(user):
    """Organizations a donation can go to (shared by every facility)."""
    return Organization.objects.restrict(user, VIEW).filter(active=True)


# Participation: the people named on production entries, and their hours -----------------------------------
HOURS = Decimal("0.01")
ParticipationItem = garden_selectors.ParticipationItem


def standing_workers(user=None):
    """Named workers of standing production entries, scoped when ``user`` is given."""
    qs = ProductionWorker.objects.filter(production__voided_at__isnull=True)
    return qs.restrict(user, VIEW) if user is not None else qs


def participation_hours(offender_ids, *, user=None, start=None, end=None) -> dict[int, Decimal]:
    """Hours each person worked on standing production entries (one query), from ``start`` to ``end``."""
    return hours_by_person(standing_workers(user), offender_ids, path="production__date", start=start, end=end)


def participation_items(offender, user) -> list[ParticipationItem]:
    """The production entries ``offender`` was named on, as ``user`` may see them, newest first (one query)."""
    qs = (
        standing_workers(user)
        .filter(offender=offender)
        .select_related("production__facility", "production__item")
        .order_by("-production__date", "-production_id")
    )
    return [
        ParticipationItem(
            date=w.production.date,
            what=f"Craft production: {w.production.item.name}",
            hours=w.hours,
            where=f"{w.production.shop} ({w.production.facility.code})",
            url=w.production.get_absolute_url(),
            source=f"donations.ProductionWorker:{w.pk}",
            sort_key=(w.production.date.isoformat(), w.production_id),
        )
        for w in qs
    ]


def participation_by_facility(*, user, start=None, end=None, by: str = "month") -> list[dict]:
    """Hours and people (distinct) on standing production entries by facility and month (or year)."""
    trunc = TruncYear if by == "year" else TruncMonth
    rows = (
        dated_between(standing_workers(user), start, end, path="production__date")
        .order_by()
        .annotate(period=trunc("production__date"))
        .values("production__facility__code", "production__facility__name", "period")
        .annotate(people=Count("offender_id", distinct=True), hours=Sum("hours"))
        .order_by("production__facility__code", "period")
    )
    return [
        {
            "facility": r["production__facility__code"],
            "facility_name": r["production__facility__name"],
            "period": r["period"],
            "people": r["people"],
            "hours": r["hours"].quantize(HOURS),
        }
        for r in rows
    ]
