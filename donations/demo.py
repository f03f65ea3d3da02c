"""Demo data for donations: craft production, weekly gifts of produce to the food banks in
core's demo data, monthly gifts of items, a little spoilage, and a few fundraisers.

Deterministic and idempotent: a facility's season is seeded only when it has no donation and no
production in that season yet. Gifts never exceed what is on hand on their day (the stock rule
holds for demo data too; ``seed`` checks it at the end).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.choices import OffenderStatus
from core.models import Facility, Offender, Organization, User
from core.money import quantize
from gardens import selectors as garden_selectors

from . import selectors, services
from .choices import DonationPurpose, FundraiserPurpose
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

# The regional food bank each region's facilities give their produce to (names from core's demo data).
FOOD_BANKS = {
    "central": "Food Bank for Central & Northeast Missouri",
    "northeast": "Food Bank for Central & Northeast Missouri",
    "northwest": "Second Harvest Community Food Bank",
    "kansas_city": "Harvesters—The Community Food Network",
    "eastern": "St. Louis Area Foodbank",
    "st_louis": "St. Louis Area Foodbank",
    "southeast": "Southeast Missouri Food Bank",
    "southwest": "Ozarks Food Harvest",
}
LOCAL_PANTRIES = {
    "JCCC": "Samaritan Center Food Pantry",
    "ACC": "Samaritan Center Food Pantry",
    "SCCC": "Licking Community Pantry",
    "ERDCC": "Bonne Terre Ministerial Alliance Pantry",
}

# facility code, shop, [(item, made per week on average)]
SHOPS = [
    ("JCCC", "Sewing shop", [("Quilt", 4), ("Weighted quilt", 1), ("Fidget quilt", 3)]),
    ("JCCC", "Knitting group", [("Knitted hat for premature newborns", 12)]),
    ("ACC", "Bicycle shop", [("Refurbished bicycle", 3), ("Refurbished walker", 1)]),
    ("ACC", "Wood shop", [("Birdhouse", 4), ("Children's furniture", 1)]),
    ("WERDCC", "Knitting group", [("Knitted hat for premature newborns", 15), ("Scarf", 5)]),
    ("BCC", "Sewing shop", [("Backpack", 6), ("Overnight bag", 4)]),
    ("FCC", "Braille and print shop", [("Coloring book", 10), ("Educational material", 8), ("Braille book", 1)]),
    ("MCC", "Wood shop", [("Dog bed", 3), ("Wooden toy", 6)]),
    ("OCC", "Wheelchair repair", [("Refurbished wheelchair", 1)]),
    ("TCC", "Sewing shop", [("Stuffed toy", 8), ("Lap blanket", 4)]),
]

# item -> (recipient name, purpose)
ITEM_RECIPIENTS = {
    "Quilt": ("Project Linus, Mid-Missouri chapter", DonationPurpose.DISTRIBUTION),
    "Weighted quilt": ("Fulton Senior Center", DonationPurpose.USE),
    "Fidget quilt": ("Fulton Senior Center", DonationPurpose.USE),
    "Lap blanket": ("Fulton Senior Center", DonationPurpose.USE),
    "Knitted hat for premature newborns": ("Capital Region Medical Center NICU", DonationPurpose.USE),
    "Scarf": ("Salvation Army Center of Hope", DonationPurpose.DISTRIBUTION),
    "Refurbished bicycle": ("Salvation Army Center of Hope", DonationPurpose.DISTRIBUTION),
    "Refurbished walker": ("Fulton Senior Center", DonationPurpose.USE),
    "Refurbished wheelchair": ("Fulton Senior Center", DonationPurpose.USE),
    "Birdhouse": ("Habitat for Humanity of Mid-Missouri", DonationPurpose.AUCTION),
    "Children's furniture": ("Rape and Abuse Crisis Service", DonationPurpose.USE),
    "Backpack": ("Cameron R-I School District", DonationPurpose.DISTRIBUTION),
    "Overnight bag": ("Rape and Abuse Crisis Service", DonationPurpose.USE),
    "Coloring book": ("Bowling Green R-I Elementary", DonationPurpose.USE),
    "Educational material": ("Bowling Green R-I Elementary", DonationPurpose.USE),
    "Braille book": ("Bowling Green R-I Elementary", DonationPurpose.USE),
    "Dog bed": ("Jefferson City Animal Shelter", DonationPurpose.USE),
    "Wooden toy": ("Salvation Army Center of Hope", DonationPurpose.DISTRIBUTION),
    "Stuffed toy": ("Salvation Army Center of Hope", DonationPurpose.DISTRIBUTION),
}

FUNDRAISERS = [
    # facility, name, purpose, start, end, goal, raised, [(date, what, quantity, amount, recipient name or given to)]
    (
        "JCCC",
        "Back-to-school supplies 2026",
        FundraiserPurpose.SCHOOL_SUPPLIES,
        dt.date(2026, 6, 1),
        dt.date(2026, 7, 31),
        "2500.00",
        "2740.50",
        [
            (
                dt.date(2026, 8, 5),
                "Backpacks filled with school supplies",
                120,
                "2280.00",
                "Samaritan Center Food Pantry",
            ),
            (dt.date(2026, 8, 5), "Calculators", 40, "460.50", "Students of Jefferson City Public Schools"),
        ],
    ),
    (
        "ACC",
        "Tornado relief, May 2025",
        FundraiserPurpose.DISASTER_AID,
        dt.date(2025, 5, 20),
        dt.date(2025, 6, 30),
        "3000.00",
        "3415.00",
        [(dt.date(2025, 7, 8), "Cleaning kits and bottled water", 200, "3415.00", "Salvation Army Center of Hope")],
    ),
    (
        "OCC",
        "Christmas toy drive 2026",
        FundraiserPurpose.OTHER,
        dt.date(2026, 10, 15),
        None,
        "1500.00",
        "820.00",
        [],
    ),
]


def _user_for(code: str, fallback: User) -> User:
    staff = User.objects.filter(facilities__code=code, role="facility_staff", is_active=True).order_by("pk").first()
    return staff or fallback


def _org(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).order_by("pk").first()


def _stamp(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))


def _production(season, facility, user, rng, today) -> list[ProductionLog]:
    items = {i.name: i for i in Item.objects.all()}
    out = []
    for code, shop, made in SHOPS:
        if code != facility.code:
            continue
        day = season.start_date
        while day <= min(season.end_date, today):
            if day.weekday() == 3:  # Thursdays
                for name, per_week in made:
                    if name in items:
                        quantity = max(1, round(per_week * rng.uniform(0.5, 1.5)))
                        out.append(
                            ProductionLog(
                                facility=facility,
                                shop=shop,
                                item=items[name],
                                quantity=quantity,
                                date=day,
                                volunteer_hours=Decimal(quantity) * Decimal(rng.choice(["1.5", "2.0", "3.0"])),
                                entered_by=user,
                                entered_at=_stamp(day),
                            )
                        )
            day += dt.timedelta(days=1)
    return out


def _season(season, facility, user, rng, today):
    """One facility's season of gifts: produce every Friday, items at each month's end."""
    last_day = min(season.end_date, today)
    produce_flows = selectors.produce_flows(facility_id=facility.pk)
    item_flows = selectors.item_flows(facility_id=facility.pk)
    crops = garden_selectors.crops(active_only=False).in_bulk(list(produce_flows))
    items = Item.objects.in_bulk(list(item_flows))
    food_bank = _org(FOOD_BANKS.get(facility.region, ""))
    pantry = _org(LOCAL_PANTRIES.get(facility.code, ""))
    on_hand_lb = {
        c: sum((v for d, v in f.items() if d < season.start_date), Decimal(0)) for c, f in produce_flows.items()
    }
    on_hand_items = {
        i: sum((v for d, v in f.items() if d < season.start_date), Decimal(0)) for i, f in item_flows.items()
    }
    donations, spoiled = [], []
    day = season.start_date
    while day <= last_day:
        for crop_id, flows in produce_flows.items():
            on_hand_lb[crop_id] += flows.get(day, 0)
        for item_id, flows in item_flows.items():
            on_hand_items[item_id] += flows.get(day, 0)
        # The last week of the demo keeps its produce: something is on hand to give.
        if day.weekday() == 4 and food_bank and (last_day - day).days > 6:
            if rng.random() < 0.08:
                crop_id = rng.choice([c for c, v in on_hand_lb.items() if v >= 20] or [None])
                if crop_id is not None:
                    pounds = (on_hand_lb[crop_id] * Decimal("0.05")).quantize(Decimal("0.1"))
                    on_hand_lb[crop_id] -= pounds
                    spoiled.append(
                        Spoilage(
                            facility=facility,
                            crop=crops[crop_id],
                            date=day,
                            weight_lb=pounds,
                            reason=rng.choice(["Rot in storage", "Frost damage", "Culled: insect damage"]),
                            entered_by=user,
                            entered_at=_stamp(day),
                        )
                    )
            lines = []
            for crop_id, pounds in sorted(on_hand_lb.items()):
                # Most of what is on hand goes; all of it once the crop is over (nothing picked for two weeks).
                picked = any(produce_flows[crop_id].get(day - dt.timedelta(days=n), 0) > 0 for n in range(14))
                share = Decimal(str(rng.uniform(0.85, 0.97))) if picked else Decimal(1)
                give = (pounds * share).quantize(Decimal("0.1"), rounding="ROUND_DOWN")
                if give >= 5 or (not picked and give > 0):
                    on_hand_lb[crop_id] -= give
                    lines.append(("crop", crops[crop_id], give))
            if lines:
                recipient = pantry if pantry and rng.random() < 0.2 else food_bank
                donations.append((day, recipient, DonationPurpose.DISTRIBUTION, lines))
        next_day = day + dt.timedelta(days=1)
        if next_day.month != day.month and (last_day - day).days > 6:
            by_recipient = defaultdict(list)
            for item_id, quantity in sorted(on_hand_items.items()):
                item = items[item_id]
                target = ITEM_RECIPIENTS.get(item.name)
                give = int(quantity)
                if target and give > 0:
                    org = _org(target[0])
                    if org is not None:
                        on_hand_items[item_id] -= give
                        by_recipient[(org.pk, target[1])].append(("item", item, give))
            for (org_pk, purpose), lines in by_recipient.items():
                donations.append((day, Organization.objects.get(pk=org_pk), purpose, lines))
        day = next_day
    return donations, spoiled


def _write_donations(donations, facility, user, rng):
    rows = []
    for day, recipient, purpose, _lines in donations:
        acknowledged = rng.random() < 0.8
        rows.append(
            Donation(
                facility=facility,
                recipient=recipient,
                date=day,
                purpose=purpose,
                acknowledged=acknowledged,
                acknowledged_on=day + dt.timedelta(days=rng.randint(3, 20)) if acknowledged else None,
                entered_by=user,
                entered_at=_stamp(day),
            )
        )
    created = bulk_create_with_history(
        rows, Donation, batch_size=500, default_user=user, default_change_reason="Demo data"
    )
    if any(d.pk is None for d in created):  # a database that does not return ids from bulk inserts
        created = list(Donation.objects.filter(facility=facility).order_by("pk"))[-len(rows) :]
    lines = []
    for donation, (_day, _recipient, _purpose, gift) in zip(created, donations, strict=True):
        for kind, obj, amount in gift:
            if kind == "crop":
                lines.append(
                    DonationLine(
                        donation=donation,
                        crop=obj,
                        weight_lb=amount,
                        estimated_value=quantize(amount * obj.value_per_lb),
                    )
                )
            else:
                lines.append(
                    DonationLine(
                        donation=donation,
                        item=obj,
                        quantity=amount,
                        estimated_value=quantize(amount * obj.estimated_value),
                    )
                )
    bulk_create_with_history(lines, DonationLine, batch_size=1000, default_user=user, default_change_reason="Demo data")


def _fundraisers(admin):
    facilities = {f.code: f for f in Facility.objects.filter(code__in=[f[0] for f in FUNDRAISERS])}
    for code, name, purpose, start, end, goal, raised, purchases in FUNDRAISERS:
        if code not in facilities or Fundraiser.objects.filter(facility=facilities[code], name=name).exists():
            continue
        fundraiser = Fundraiser.objects.create(
            facility=facilities[code],
            name=name,
            purpose=purpose,
            start_date=start,
            end_date=end,
            goal=Decimal(goal),
            raised=Decimal(raised),
        )
        for day, what, quantity, amount, to in purchases:
            org = _org(to)
            FundraiserPurchase.objects.create(
                fundraiser=fundraiser,
                date=day,
                description=what,
                quantity=quantity,
                amount=Decimal(amount),
                recipient=org,
                given_to="" if org else to,
            )


@transaction.atomic
def seed(codes=None) -> None:
    """Seed every demo facility, or only those whose code is in ``codes``."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    if admin is None:
        return
    today = timezone.localdate()
    wanted = {code for code, *_ in SHOPS} | set(
        Facility.objects.filter(harvests__isnull=False).values_list("code", flat=True).distinct()
    )
    facilities = list(
        Facility.objects.filter(code__in=wanted if codes is None else wanted & set(codes)).order_by("code")
    )
    for season in sorted(garden_selectors.seasons(), key=lambda s: s.year):
        if season.start_date > today:
            continue
        for facility in facilities:
            span = (season.start_date, season.end_date)
            if (
                Donation.objects.filter(facility=facility, date__range=span).exists()
                or ProductionLog.objects.filter(facility=facility, date__range=span).exists()
            ):
                continue
            rng = random.Random(f"donations-{facility.code}-{season.year}")
            user = _user_for(facility.code, admin)
            made = _production(season, facility, user, rng, today)
            bulk_create_with_history(
                made, ProductionLog, batch_size=500, default_user=user, default_change_reason="Demo data"
            )
            donations, spoiled = _season(season, facility, user, rng, today)
            bulk_create_with_history(
                spoiled, Spoilage, batch_size=500, default_user=user, default_change_reason="Demo data"
            )
            _write_donations(donations, facility, user, rng)
            # The stock rule holds for the demo data as for everything else.
            services.stock_check_produce(
                facility_id=facility.pk, crop_ids=list(selectors.produce_flows(facility_id=facility.pk))
            )
            services.stock_check_items(
                facility_id=facility.pk, item_ids=list(selectors.item_flows(facility_id=facility.pk))
            )
    _fundraisers(admin)
    seed_workers([f.pk for f in facilities])


QUARTER = Decimal("0.25")
WORKED_ENTRIES = 10  # the latest production entries of each facility that name who worked


def seed_workers(facility_ids) -> None:
    """Name up to three people held at the facility on its latest production entries, so the demo person
    pages show hours. Idempotent: a facility whose entries already name someone is left alone."""
    for facility_id in facility_ids:
        if ProductionWorker.objects.filter(production__facility_id=facility_id).exists():
            continue
        # The last people of the roster, so the gardens' demo names (the first ones) differ from these.
        people = list(
            Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility_id=facility_id).order_by("-pk")[:5]
        )
        if not people:
            continue
        entries = ProductionLog.objects.filter(
            facility_id=facility_id, voided_at__isnull=True, volunteer_hours__gte=1
        ).order_by("-date", "-pk")[:WORKED_ENTRIES]
        rows = []
        for index, entry in enumerate(entries):
            count = min(len(people), 1 + index % 3)
            each = (entry.volunteer_hours / count / QUARTER).to_integral_value(rounding="ROUND_FLOOR") * QUARTER
            each = min(each, Decimal("16"))
            if each <= 0:
                continue
            rows.extend(
                ProductionWorker(production=entry, offender=people[(index + k) % len(people)], hours=each)
                for k in range(count)
            )
        if rows:
            bulk_create_with_history(rows, ProductionWorker, batch_size=500, default_change_reason="Demo data")
