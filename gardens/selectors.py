"""Reads that aggregate harvests: season figures for dashboards and reports, and the harvested side of stock.

Dashboards and reports call the same functions, so a panel and a report can never disagree.
``user`` narrows every figure to the user's scope; ``user=None`` means statewide and unscoped,
only for public figures and for rules inside services, never for a request's own data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone

from core.querysets import VIEW
from core.units import ZERO_LB, one_decimal, to_tons
from core.workers import dated_between, hours_by_person

from .models import Crop, Garden, Harvest, HarvestWorker, Season

ZERO = ZERO_LB


def _sum(field_name: str):
    return Coalesce(Sum(field_name), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=1))


# Seasons -------------------------------------------------------------------------------------
def seasons():
    """Every season, newest first (a catalog every role may read)."""
    return Season.objects.all()


def season_for_year(year) -> Season | None:
    try:
        return Season.objects.filter(year=int(year)).first()
    except (TypeError, ValueError):
        return None


def current_season(today: dt.date | None = None) -> Season | None:
    """The season holding ``today``; else the latest that has started; else the first to come."""
    today = today or timezone.localdate()
    started = Season.objects.filter(start_date__lte=today).order_by("-start_date").first()
    return started or Season.objects.order_by("start_date").first()


def previous_season(season: Season) -> Season | None:
    return Season.objects.filter(year__lt=season.year).order_by("-year").first()


def season_end(season: Season, today: dt.date | None = None) -> dt.date:
    """The last day counted so far: the season's end, or today while it runs."""
    today = today or timezone.localdate()
    return min(season.end_date, today)


# Harvests ------------------------------------------------------------------------------------
def harvests(user=None):
    """Harvests that count (not voided) in ``user``'s scope; ``None`` for statewide."""
    qs = Harvest.objects.active()
    return qs if user is None else qs.restrict(user, VIEW)


def season_harvests(*, user, season: Season, through: dt.date | None = None, facility=None):
    qs = harvests(user).between(season.start_date, min(season.end_date, through) if through else season.end_date)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs


@dataclass(frozen=True)
class SeasonTotals:
    """What a season has brought in so far, in the user's scope."""

    season: Season | None
    pounds: Decimal = ZERO
    entries: int = 0
    volunteer_hours: Decimal = ZERO
    facilities: int = 0
    crops: int = 0

    @property
    def tons(self) -> Decimal:
        return to_tons(self.pounds)

    @property
    def goal_tons(self) -> Decimal | None:
        return self.season.goal_tons if self.season else None

    @property
    def percent_of_goal(self) -> Decimal | None:
        if not self.season or not self.season.goal_tons:
            return None
        return one_decimal(self.pounds / self.season.goal_lb * 100)


def season_totals(*, user, season: Season | None, through: dt.date | None = None, facility=None) -> SeasonTotals:
    if season is None:
        return SeasonTotals(season=None)
    row = season_harvests(user=user, season=season, through=through, facility=facility).aggregate(
        pounds=_sum("weight_lb"),
        hours=_sum("volunteer_hours"),
        entries=Count("pk"),
        facilities=Count("facility", distinct=True),
        crops=Count("crop", distinct=True),
    )
    return SeasonTotals(
        season=season,
        pounds=one_decimal(row["pounds"]),
        entries=row["entries"],
        volunteer_hours=one_decimal(row["hours"]),
        facilities=row["facilities"],
        crops=row["crops"],
    )


def year_totals(*, user, year: int) -> SeasonTotals:
    """What was harvested in a calendar year (the annual report's year over year)."""
    row = (
        harvests(user)
        .filter(date__year=year)
        .aggregate(pounds=_sum("weight_lb"), hours=_sum("volunteer_hours"), entries=Count("pk"))
    )
    return SeasonTotals(
        season=None,
        pounds=one_decimal(row["pounds"]),
        entries=row["entries"],
        volunteer_hours=one_decimal(row["hours"]),
    )


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def pounds_by_week(
    *, user, season: Season, through: dt.date | None = None, facility=None
) -> list[tuple[dt.date, Decimal]]:
    """Pounds per week (weeks start on Monday) from the season's first week to its last counted day."""
    last = season_end(season, through)
    daily = (
        season_harvests(user=user, season=season, through=last, facility=facility)
        .order_by()
        .values("date")
        .annotate(pounds=_sum("weight_lb"))
    )
    weeks: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for row in daily:
        weeks[week_start(row["date"])] += row["pounds"]
    out = []
    week = week_start(season.start_date)
    while week <= last:
        out.append((week, one_decimal(weeks.get(week, ZERO))))
        week += dt.timedelta(days=7)
    return out


@dataclass(frozen=True)
class Breakdown:
    """One line of a breakdown: a facility, crop or garden and what it brought in."""

    key: int
    label: str
    pounds: Decimal
    entries: int
    volunteer_hours: Decimal = ZERO
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def tons(self) -> Decimal:
        return to_tons(self.pounds)


def pounds_by_crop(*, user, season: Season, through=None, facility=None, limit: int | None = None) -> list[Breakdown]:
    rows = (
        season_harvests(user=user, season=season, through=through, facility=facility)
        .order_by()
        .values("crop_id", "crop__name", "crop__category")
        .annotate(pounds=_sum("weight_lb"), entries=Count("pk"), hours=_sum("volunteer_hours"))
        .order_by("-pounds", "crop__name")
    )
    if limit:
        rows = rows[:limit]
    labels = dict(Crop._meta.get_field("category").flatchoices)
    return [
        Breakdown(
            key=r["crop_id"],
            label=r["crop__name"],
            pounds=one_decimal(r["pounds"]),
            entries=r["entries"],
            volunteer_hours=one_decimal(r["hours"]),
            detail=labels.get(r["crop__category"], ""),
        )
        for r in rows
    ]


def pounds_by_facility(*, user, season: Season, through=None, facility=None) -> list[Breakdown]:
    rows = (
        season_harvests(user=user, season=season, through=through, facility=facility)
        .order_by()
        .values("facility_id", "facility__code", "facility__name")
        .annotate(pounds=_sum("weight_lb"), entries=Count("pk"), hours=_sum("volunteer_hours"))
        .order_by("-pounds", "facility__code")
    )
    return [
        Breakdown(
            key=r["facility_id"],
            label=r["facility__name"],
            detail=r["facility__code"],
            pounds=one_decimal(r["pounds"]),
            entries=r["entries"],
            volunteer_hours=one_decimal(r["hours"]),
        )
        for r in rows
    ]


def pounds_by_garden(*, user, season: Season, through=None, facility=None) -> list[Breakdown]:
    rows = (
        season_harvests(user=user, season=season, through=through, facility=facility)
        .order_by()
        .values("garden_id", "garden__name", "facility__code")
        .annotate(pounds=_sum("weight_lb"), entries=Count("pk"), hours=_sum("volunteer_hours"))
        .order_by("facility__code", "-pounds", "garden__name")
    )
    return [
        Breakdown(
            key=r["garden_id"],
            label=r["garden__name"],
            detail=r["facility__code"],
            pounds=one_decimal(r["pounds"]),
            entries=r["entries"],
            volunteer_hours=one_decimal(r["hours"]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SeasonComparison:
    """This season to date against the last season to the same day of the season."""

    this: SeasonTotals
    last_to_date: SeasonTotals
    last_total: SeasonTotals
    through: dt.date

    @property
    def change_percent(self) -> Decimal | None:
        if not self.last_to_date.pounds:
            return None
        return one_decimal((self.this.pounds - self.last_to_date.pounds) / self.last_to_date.pounds * 100)


def season_comparison(*, user, season: Season, today: dt.date | None = None, facility=None) -> SeasonComparison:
    through = season_end(season, today)
    last = previous_season(season)
    this = season_totals(user=user, season=season, through=through, facility=facility)
    if last is None:
        empty = SeasonTotals(season=None)
        return SeasonComparison(this=this, last_to_date=empty, last_total=empty, through=through)
    # The same day of the season last year: as many days after its start.
    offset = through - season.start_date
    last_through = min(last.end_date, last.start_date + offset)
    return SeasonComparison(
        this=this,
        last_to_date=season_totals(user=user, season=last, through=last_through, facility=facility),
        last_total=season_totals(user=user, season=last, facility=facility),
        through=through,
    )


# The harvested side of stock (read by donations through these functions only) ---------------
def harvested_pounds(*, user=None, facility_ids=None, through: dt.date | None = None) -> dict[tuple[int, int], Decimal]:
    """Pounds harvested per (facility id, crop id), voids excluded."""
    qs = harvests(user)
    if facility_ids is not None:
        qs = qs.filter(facility_id__in=facility_ids)
    if through is not None:
        qs = qs.filter(date__lte=through)
    rows = qs.order_by().values("facility_id", "crop_id").annotate(pounds=_sum("weight_lb"))
    return {(r["facility_id"], r["crop_id"]): r["pounds"] for r in rows}


def harvested_pounds_by_day(*, facility_id: int, crop_ids=None) -> dict[int, dict[dt.date, Decimal]]:
    """For stock rules: per crop (every crop when ``crop_ids`` is None), the pounds harvested on each day
    at one facility (unscoped)."""
    qs = Harvest.objects.active().filter(facility_id=facility_id)
    if crop_ids is not None:
        qs = qs.filter(crop_id__in=list(crop_ids))
    rows = qs.order_by().values("crop_id", "date").annotate(pounds=_sum("weight_lb"))
    out: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for r in rows:
        out[r["crop_id"]][r["date"]] = r["pounds"]
    return out


def crops(*, active_only: bool = True):
    qs = Crop.objects.all()
    return qs.filter(active=True) if active_only else qs


def crops_by_name() -> dict[str, Crop]:
    return {c.name.lower(): c for c in Crop.objects.all()}


def gardens_for(user, *, action: str = VIEW):
    """Gardens the user may see (or add harvests to, with action="add"), with their facility."""
    return Garden.objects.restrict(user, action).select_related("facility").filter(active=True)


def facility_garden_lookup(facility_ids) -> dict[tuple[int, str], Garden]:
    """(facility id, lower-case garden name) -> garden, for imports."""
    return {
        (g.facility_id, g.name.lower()): g
        for g in Garden.objects.filter(facility_id__in=list(facility_ids)).select_related("facility")
    }


__all__ = [
    "Breakdown",
    "SeasonComparison",
    "SeasonTotals",
    "crops",
    "current_season",
    "harvested_pounds",
    "harvested_pounds_by_day",
    "harvests",
    "pounds_by_crop",
    "pounds_by_facility",
    "pounds_by_garden",
    "pounds_by_week",
    "season_comparison",
    "season_for_year",
    "season_totals",
    "seasons",
]


# Participation: the people named on harvests, and their hours -------------------------------------------
HOURS = Decimal("0.01")


@dataclass(frozen=True)
class ParticipationItem:
    """One entry a person worked on, for their record: newest first."""

    date: dt.date
    what: str  # "Harvest: Tomatoes"
    hours: Decimal
    where: str  # "East garden (JCCC)"
    url: str
    source: str  # "gardens.HarvestWorker:12"
    sort_key: tuple = ()


def standing_workers(user=None):
    """Named workers of standing harvests (a void harvest's count nowhere), scoped when ``user`` is given."""
    qs = HarvestWorker.objects.filter(harvest__voided_at__isnull=True)
    return qs.restrict(user, VIEW) if user is not None else qs


def participation_hours(offender_ids, *, user=None, start=None, end=None) -> dict[int, Decimal]:
    """Hours each person worked on standing harvests (one query), from ``start`` to ``end`` when given."""
    return hours_by_person(standing_workers(user), offender_ids, path="harvest__date", start=start, end=end)


def participation_items(offender, user) -> list[ParticipationItem]:
    """The harvests ``offender`` was named on, as ``user`` may see them, newest first (one query)."""
    qs = (
        standing_workers(user)
        .filter(offender=offender)
        .select_related("harvest__garden__facility", "harvest__crop")
        .order_by("-harvest__date", "-harvest_id")
    )
    return [
        ParticipationItem(
            date=w.harvest.date,
            what=f"Harvest: {w.harvest.crop.name}",
            hours=w.hours,
            where=f"{w.harvest.garden.name} ({w.harvest.garden.facility.code})",
            url=w.harvest.get_absolute_url(),
            source=f"gardens.HarvestWorker:{w.pk}",
            sort_key=(w.harvest.date.isoformat(), w.harvest_id),
        )
        for w in qs
    ]


def participation_by_facility(*, user, start=None, end=None, by: str = "month") -> list[dict]:
    """Hours and people (distinct) on standing harvests by facility and month (or year), scoped to ``user``.

    Rows: ``{"facility": "JCCC", "facility_name": ..., "period": date, "people": n, "hours": Decimal}``."""
    trunc = TruncYear if by == "year" else TruncMonth
    qs = dated_between(standing_workers(user), start, end, path="harvest__date")
    rows = (
        qs.order_by()
        .annotate(period=trunc("harvest__date"))
        .values("harvest__facility__code", "harvest__facility__name", "period")
        .annotate(people=Count("offender_id", distinct=True), hours=Sum("hours"))
        .order_by("harvest__facility__code", "period")
    )
    return [
        {
            "facility": r["harvest__facility__code"],
            "facility_name": r["harvest__facility__name"],
            "period": r["period"],
            "people": r["people"],
            "hours": r["hours"].quantize(HOURS),
        }
        for r in rows
    ]
