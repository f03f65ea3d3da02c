"""Demo data for Puppies for Parole (fictional): a partner shelter working with JCCC and Algoa, six dogs at
every stage (in training with two handlers, extended training, graduated, reserved, adopted, at the shelter),
training logs, CGC attempts, a graduation, applications and an adoption. Each dog is keyed by its shelter ID:
a second run changes nothing. The reports app's demo (run after this one) gives the first dog an approved
photo, so it shows on the public page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.choices import OffenderStatus, Role
from core.models import Facility, Offender, Organization, OrganizationKind, User

from . import services
from .choices import ApplicationStatus, DogStatus, HandlerRole, HomeType, Tenure, VaccineKind
from .models import AdoptionApplication, CgcAttempt, Dog, EligibilityRule, Shelter, Vaccination

SHELTER = "Central Missouri Humane Society"
# shelter ID, name, breed, sex, colour, facility code, the stage it reaches
DOGS = [
    ("CMHS-1001", "Biscuit", "Labrador mix", "female", "Yellow", "JCCC", "graduated"),
    ("CMHS-1002", "Pepper", "Border collie mix", "female", "Black and white", "JCCC", "in_training"),
    ("CMHS-1003", "Moose", "Boxer mix", "male", "Fawn", "ACC", "extended"),
    ("CMHS-1004", "Juniper", "Beagle", "female", "Tricolour", "ACC", "reserved"),
    ("CMHS-1005", "Tank", "Pit bull terrier mix", "male", "Brindle", "JCCC", "adopted"),
    ("CMHS-1006", "Clover", "Shepherd mix", "female", "Tan", "", "at_shelter"),
]
BIOS = {
    "Biscuit": "Biscuit is a calm, people-loving Lab who passed her Canine Good Citizen test with flying colours.",
    "Pepper": "Pepper learns fast and loves a game of fetch. She is working on walking nicely on a leash.",
    "Moose": "Moose is a gentle giant who is taking a few more weeks to polish his manners.",
    "Juniper": "Juniper follows her nose everywhere and loves children.",
    "Tank": "Tank is a cuddly, goofy dog who has found his family.",
    "Clover": "Clover is settling in at the shelter.",
}


def _handlers(facility, count, exclude=()):
    """Incarcerated people at the facility whom the default rule lets handle dogs."""
    excluded = Q()
    for term in services.DEFAULT_EXCLUDED:
        excluded |= Q(cases__offense__icontains=term)
    people = (
        Offender.objects.filter(status=OffenderStatus.INCARCERATED, facility=facility)
        .exclude(excluded)
        .exclude(pk__in=exclude)
        .order_by("doc_id")
        .distinct()
    )
    return [p for p in people[: count * 3] if services.handler_eligibility(offender=p, facility=facility).eligible][
        :count
    ]


@transaction.atomic
def demo_seed() -> None:
    staff = {
        "JCCC": User.objects.filter(role=Role.FACILITY_STAFF, facilities__code="JCCC").order_by("pk").first(),
        "ACC": User.objects.filter(role=Role.FACILITY_STAFF, facilities__code="ACC").order_by("pk").first(),
    }
    admin = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    facilities = {f.code: f for f in Facility.objects.filter(code__in=["JCCC", "ACC"])}
    if admin is None or len(facilities) < 2:
        return
    org, _ = Organization.objects.get_or_create(
        name=SHELTER, county="Cole", defaults={"town": "Jefferson City", "contact_name": "Adoption desk"}
    )
    org.kinds.add(*OrganizationKind.objects.filter(code="animal_shelter"))
    shelter, created = Shelter.objects.get_or_create(
        organization=org, defaults={"contact_note": "Adoptions: the front desk, weekdays."}
    )
    if created:
        shelter.facilities.set(facilities.values())
    EligibilityRule.objects.get_or_create(
        effective_on=dt.date(2025, 1, 1),
        defaults={
            "excluded_offenses": "\n".join(services.DEFAULT_EXCLUDED),
            "conduct_days": 180,
            "note": "The program's rule as of 2025.",
        },
    )
    today = timezone.localdate()
    used: list[int] = []
    for n, (ref, name, breed, sex, colour, code, stage) in enumerate(DOGS):
        if Dog.objects.filter(shelter=shelter, shelter_ref=ref).exists():
            continue
        user = staff.get(code) or admin
        intake = today - dt.timedelta(days=120 - n)
        dog = services.dog_intake(
            user=user,
            dog=Dog(
                shelter=shelter,
                shelter_ref=ref,
                name=name,
                breed=breed,
                sex=sex,
                colour=colour,
                birth_estimate=intake - dt.timedelta(days=500 + 40 * n),
                intake_on=intake,
                spayed_neutered=True,
                good_with_dogs="yes",
                good_with_children="yes" if n % 2 == 0 else "unknown",
                bio=BIOS[name],
                released_for_adoption=stage != "at_shelter",
            ),
        )
        Vaccination.objects.create(
            dog=dog,
            kind=VaccineKind.RABIES,
            given_on=intake + dt.timedelta(days=1),
            expires_on=intake.replace(year=intake.year + 1) + dt.timedelta(days=1),
        )
        if not code:
            continue
        facility = facilities[code]
        placed_on = intake + dt.timedelta(days=5)
        dog = services.dog_move(
            dog=dog,
            status=DogStatus.IN_TRAINING,
            on=placed_on,
            user=user,
            facility=facility,
            housing_unit=f"HU {n + 1}",
        )
        people = _handlers(facility, 2, exclude=used)
        used += [p.pk for p in people]
        for person, role in zip(people, (HandlerRole.PRIMARY, HandlerRole.SECONDARY), strict=False):
            services.handler_assign(dog=dog, offender=person, role=role, on=placed_on, user=user)
        for week in range(8):
            day = placed_on + dt.timedelta(days=7 * week + 1)
            if people and day < today:
                services.training_log_record(
                    user=user,
                    dog=dog,
                    handler=people[week % len(people)],
                    date=day,
                    skills=["Name and sit", "Down and stay", "Loose-leash walking", "Recall", "Crowds"][week % 5],
                    minutes=45 + 5 * (week % 3),
                )
        tested = placed_on + dt.timedelta(days=60)
        if stage in ("graduated", "extended", "reserved", "adopted"):
            items = {f"item_{i}": not (stage == "extended" and i == 8) for i in range(1, 11)}
            services.cgc_record(
                user=user,
                attempt=CgcAttempt(
                    dog=dog, date=tested, evaluator_name="Pat Okafor", evaluator_akc_number="CGC-20417", **items
                ),
            )
        if stage in ("graduated", "reserved", "adopted"):
            services.graduation_record(
                user=user, facility=facility, date=tested + dt.timedelta(days=n + 1), name="Demo class", dogs=[dog]
            )
        if stage in ("reserved", "adopted"):
            application = services.application_submit(
                application=AdoptionApplication(
                    dog=dog,
                    name=f"Demo Applicant {n}",
                    email=f"applicant{n}@example.org",
                    phone=f"573-555-01{n:02d}",
                    address=f"{10 + n} Demo Lane",
                    town="Columbia",
                    zip_code="65201",
                    adults=2,
                    home_type=HomeType.HOUSE,
                    tenure=Tenure.OWN,
                    about="We have a fenced yard.",
                )
            )
            services.application_advance(application=application, status=ApplicationStatus.SCREENING, user=user)
            services.application_approve(application=application, user=user)
            if stage == "adopted":
                services.adoption_record(application=application, adopted_on=today, fee=Decimal("75.00"), user=user)
