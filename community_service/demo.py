"""Demo data: agencies, orders, placements and hours for the demo officers' caseloads (idempotent).

Every person and agency is fictional. Each demo officer gets people in every state: on pace, behind,
past due, every hour credited (the order still to be closed), an order closed with its completion
letter, hours waiting for the agency's verification, and someone who will not finish before their
supervision ends.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.choices import AgencyStatus, OffenderStatus, OrganizationKindCode
from core.models import Offender, Organization, OrganizationKind, User

from . import services
from .choices import LogSource, OrderStatus, VerificationMethod
from .models import Agency, Order

DEMO_OFFICERS = ("officer.d9", "officer2.d9", "officer.d10")
AGENCIES = [
    # name, county, town, status, minors present, kinds of work, contact
    (
        "Samaritan Center",
        "Cole",
        "Jefferson City",
        AgencyStatus.NON_PROFIT,
        False,
        "Sorting food and clothing",
        "Dana Ruiz",
    ),
    (
        "Jefferson City Parks and Recreation",
        "Cole",
        "Jefferson City",
        AgencyStatus.TAX_SUPPORTED,
        True,
        "Trail and park upkeep",
        "Sam Okafor",
    ),
    (
        "Ozarks Food Harvest",
        "Greene",
        "Springfield",
        AgencyStatus.NON_PROFIT,
        False,
        "Warehouse and packing",
        "Lee Whitaker",
    ),
    (
        "Habitat for Humanity of Springfield ReStore",
        "Greene",
        "Springfield",
        AgencyStatus.NON_PROFIT,
        False,
        "Store and builds",
        "Pat Moreno",
    ),
]
# (story, hours ordered, days since the order, days until due, share of the expected hours credited)
STORIES = [
    ("on_pace", "60.00", 120, 240, Decimal("1.0")),
    ("behind", "80.00", 150, 150, Decimal("0.3")),
    ("past_due", "40.00", 300, -20, Decimal("0.6")),
    ("credited", "20.00", 200, 100, Decimal("2.0")),
    ("closed", "16.00", 240, 60, Decimal("2.0")),
    ("pending", "40.00", 60, 300, Decimal("0.9")),
    ("stalled", "120.00", 200, 165, Decimal("0.25")),
]


def _agencies(start: dt.date) -> list[Agency]:
    kind = OrganizationKind.objects.get(code=OrganizationKindCode.SERVICE_AGENCY)
    made = []
    for i, (name, county, town, status, minors, work, contact) in enumerate(AGENCIES):
        org, _ = Organization.objects.get_or_create(
            name=name, county=county, defaults={"town": town, "agency_status": status, "contact_name": contact}
        )
        org.kinds.add(kind)
        agency, _ = Agency.objects.get_or_create(
            organization=org,
            defaults={
                "ein": f"43-{5550001 + i}",
                "agreement_start": start,
                "verifier_name": contact,
                "verifier_email": f"{contact.split()[0].lower()}@{name.split()[0].lower()}.example.org",
                "kinds_of_work": work,
                "minors_present": minors,
            },
        )
        made.append(agency)
    return made


@transaction.atomic
def demo_seed(today: dt.date | None = None) -> int:
    """Give each demo officer's caseload community service to follow. Returns how many orders were added."""
    today = today or timezone.localdate()
    agencies = [a for a in _agencies(today - dt.timedelta(days=800)) if not a.minors_present]
    added = 0
    for n, username in enumerate(DEMO_OFFICERS):
        officer = User.objects.filter(username=username).first()
        if officer is None:
            continue
        people = list(
            Offender.objects.filter(supervising_officer=officer, status=OffenderStatus.SUPERVISED, cases__isnull=False)
            .distinct()
            .order_by("-doc_id")[: len(STORIES)]
        )
        for person, story in zip(people, STORIES, strict=False):
            if Order.objects.filter(offender=person).exists():
                continue
            _person(person, officer, agencies[(n + len(people)) % len(agencies)], story, today)
            added += 1
    if added:
        for back in (2, 1, 0):
            services.pace_snapshot_run(as_of=today - dt.timedelta(days=back), notify=False)
    return added


def _person(person, officer, agency, story, today):
    name, hours, since, until, share = story
    ordered_on = today - dt.timedelta(days=since)
    order = Order(
        offender=person,
        case=person.cases.order_by("sentencing_date").first(),
        hours_ordered=Decimal(hours),
        ordered_on=ordered_on,
        due_on=today + dt.timedelta(days=until),
    )
    order.full_clean()
    order.save()
    place = services.placement_create(user=officer, offender=person, agency=agency, start_on=ordered_on)
    # Weekly shifts from the order date; the credited share of the hours expected by today.
    total_days = (order.due_on - order.ordered_on).days
    expected = order.hours_ordered * min(1, Decimal(since) / total_days)
    target = min(order.hours_ordered, (expected * share).quantize(Decimal("0.01")))
    day, done = ordered_on + dt.timedelta(days=3), Decimal("0")
    stalled = name == "stalled"
    while done < target and day < today:
        if stalled and day > today - dt.timedelta(days=70):
            break  # nothing in the last 8 weeks: no projection, flagged
        shift = min(Decimal("4.00"), target - done)
        log = services.hour_log_record(
            user=officer,
            order=order,
            placement=place,
            date=day,
            hours=shift,
            task=agency.kinds_of_work,
            source=LogSource.IMPORTED,
        )
        pending = name == "pending" and done > 0  # the first shift verified, the later ones waiting
        if not pending:
            services.hour_log_decide(
                log=log, approve=True, method=VerificationMethod.IMPORTED, decided_by_name=agency.verifier_name
            )
        done += shift
        day += dt.timedelta(days=7 if name != "credited" else 3)
    if name == "closed":
        services.order_close(order=order, user=officer, status=OrderStatus.COMPLETED, closed_on=today)
