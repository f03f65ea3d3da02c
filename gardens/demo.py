"""Demo data for gardens: seasons 2025 and 2026, garden plots, and a season of harvests at each.

Deterministic (a fixed random seed per facility and year) and idempotent: a facility's season is
seeded only when it has no harvest in that season yet. Statewide the program grows about 100 tons
a season; the demo facilities share roughly that, JCCC and ACC (the demo logins) among the largest.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.choices import OffenderStatus
from core.models import Facility, Offender, User

from .models import Crop, Garden, Harvest, HarvestWorker, Season

SEASONS = [
    # year, start, end, goal in tons
    (2025, dt.date(2025, 4, 1), dt.date(2025, 11, 15), Decimal("100.0")),
    (2026, dt.date(2026, 4, 1), dt.date(2026, 11, 30), Decimal("100.0")),
]

# facility code, gardens (name, acres), share of the statewide season in tons
GARDENS = [
    ("JCCC", [("East garden", "2.50"), ("Greenhouse", "0.25")], 12.0),
    ("ACC", [("North field", "3.00"), ("Raised beds", "0.40")], 14.0),
    ("BCC", [("Main garden", "2.00")], 9.0),
    ("CCC", [("Chillicothe garden", "1.50")], 6.5),
    ("FCC", [("South plots", "2.20"), ("Orchard", "1.00")], 10.0),
    ("MCC", [("Moberly garden", "1.80")], 7.0),
    ("OCC", [("Fordland field", "3.50")], 12.5),
    ("TCC", [("Tipton garden", "1.60")], 6.0),
    ("WMCC", [("Cameron field", "2.40")], 9.5),
    ("SCCC", [("Licking garden", "1.20")], 5.0),
    ("NECC", [("Bowling Green garden", "1.40")], 5.5),
]

# crop name, (first month, last month) it is picked, typical pounds per picking at a 2-acre garden
CROP_SEASONS = [
    ("Lettuce", (4, 6), 25),
    ("Spinach", (4, 5), 20),
    ("Radishes", (4, 6), 15),
    ("Peas", (5, 6), 30),
    ("Onions", (6, 7), 80),
    ("Cabbage", (6, 7), 120),
    ("Zucchini", (6, 8), 90),
    ("Yellow squash", (6, 8), 80),
    ("Cucumbers", (6, 8), 100),
    ("Green beans", (6, 8), 60),
    ("Tomatoes", (7, 9), 220),
    ("Bell peppers", (7, 10), 70),
    ("Jalapeño peppers", (7, 10), 30),
    ("Sweet corn", (7, 8), 150),
    ("Okra", (7, 9), 40),
    ("Eggplant", (7, 9), 50),
    ("Watermelon", (7, 9), 300),
    ("Cantaloupe", (7, 8), 150),
    ("Potatoes", (7, 8), 250),
    ("Sweet potatoes", (9, 10), 260),
    ("Winter squash", (9, 10), 160),
    ("Pumpkins", (9, 10), 280),
    ("Collard greens", (9, 11), 50),
    ("Turnip greens", (10, 11), 45),
    ("Turnips", (10, 11), 70),
    ("Kale", (9, 11), 35),
]

HARVEST_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday


def seasons() -> dict[int, Season]:
    out = {}
    for year, start, end, goal in SEASONS:
        out[year], _ = Season.objects.get_or_create(
            year=year, defaults={"start_date": start, "end_date": end, "goal_tons": goal}
        )
    return out


def gardens(codes=None) -> dict[str, list[Garden]]:
    wanted = [g[0] for g in GARDENS if codes is None or g[0] in codes]
    facilities = {f.code: f for f in Facility.objects.filter(code__in=wanted)}
    out: dict[str, list[Garden]] = {}
    for code, plots, _share in GARDENS:
        facility = facilities.get(code)
        if facility is None:
            continue
        for name, acres in plots:
            garden, _ = Garden.objects.get_or_create(
                facility=facility, name=name, defaults={"size_acres": Decimal(acres)}
            )
            out.setdefault(code, []).append(garden)
    return out


def _entered_by(code: str, fallback: User) -> User:
    staff = User.objects.filter(facilities__code=code, role="facility_staff", is_active=True).order_by("pk").first()
    return staff or fallback


def _season_harvests(season: Season, plots: list[Garden], share_tons: float, user: User, today: dt.date):
    """One facility's season: pickings on harvest days, scaled so the whole season weighs its share."""
    rng = random.Random(f"{plots[0].facility.code}-{season.year}")
    crops = {c.name: c for c in Crop.objects.filter(name__in=[c[0] for c in CROP_SEASONS])}
    raw = []
    day = season.start_date
    while day <= season.end_date:
        if day.weekday() in HARVEST_WEEKDAYS:
            for garden in plots:
                size = float(garden.size_acres or 1) / 2
                ready = [c for c in CROP_SEASONS if c[1][0] <= day.month <= c[1][1] and c[0] in crops]
                for name, _months, typical in rng.sample(ready, k=min(len(ready), rng.randint(1, 3))):
                    raw.append((garden, crops[name], day, typical * size * rng.uniform(0.5, 1.5)))
        day += dt.timedelta(days=1)
    scale = share_tons * 2000 * rng.uniform(0.92, 1.06) / sum(r[3] for r in raw)
    out = []
    for garden, crop, day, pounds in raw:
        if day > today:
            continue
        weight = Decimal(str(round(min(pounds * scale, 4800), 1)))
        if weight <= 0:
            continue
        volunteers = rng.randint(2, 10)
        out.append(
            Harvest(
                facility_id=garden.facility_id,
                garden=garden,
                crop=crop,
                date=day,
                weight_lb=weight,
                volunteers=volunteers,
                volunteer_hours=Decimal(volunteers) * Decimal(rng.choice(["1.0", "1.5", "2.0", "2.5"])),
                entered_by=user,
                entered_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30))),
            )
        )
    return out


@transaction.atomic
def seed(codes=None) -> None:
    """Seed every demo facility, or only those whose code is in ``codes``."""
    season_map = seasons()
    plots = gardens(codes)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    if admin is None:
        return
    today = timezone.localdate()
    shares = {code: share for code, _plots, share in GARDENS}
    for season in season_map.values():
        for code, facility_plots in plots.items():
            facility_id = facility_plots[0].facility_id
            if Harvest.objects.filter(
                facility_id=facility_id, date__range=(season.start_date, season.end_date)
            ).exists():
                continue
            rows = _season_harvests(season, facility_plots, shares[code], _entered_by(code, admin), today)
            bulk_create_with_history(
                rows,
                Harvest,
                batch_size=500,
                default_user=rows[0].entered_by if rows else None,
                default_change_reason="Demo data",
            )
    seed_workers([p[0].facility_id for p in plots.values()])


QUARTER = Decimal("0.25")
WORKED_HARVESTS = 12  # the latest harvests of each facility that name who worked


def _share(hours: Decimal, people: int) -> Decimal:
    """Each person's hours: an even share of the harvest's hours, down to a quarter hour, at most 16."""
    each = (hours / people / QUARTER).to_integral_value(rounding="ROUND_FLOOR") * QUARTER
    return min(max(each, QUARTER), Decimal("16"))


def seed_workers(facility_ids) -> None:
    """Name up to four people held at the facility on its latest harvests, so the demo person pages show hours.
    Idempotent: a facility whose harvests already name someone is left alone."""
    for facility_id in facility_ids:
        if HarvestWorker.objects.filter(harvest__facility_id=facility_id).exists():
            continue
        people = list(
            Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility_id=facility_id).order_by("pk")[:6]
        )
        if not people:
            continue
        harvests = Harvest.objects.filter(facility_id=facility_id, voided_at__isnull=True, volunteers__gte=1).order_by(
            "-date", "-pk"
        )[:WORKED_HARVESTS]
        rows = []
        for index, harvest in enumerate(harvests):
            count = min(harvest.volunteers, len(people), 2 + index % 3)
            named = [people[(index + k) % len(people)] for k in range(count)]
            each = _share(harvest.volunteer_hours, count)
            if each * count > harvest.volunteer_hours:
                continue
            rows.extend(HarvestWorker(harvest=harvest, offender=person, hours=each) for person in named)
        if rows:
            bulk_create_with_history(rows, HarvestWorker, batch_size=500, default_change_reason="Demo data")
