"""Builders for Puppies for Parole records, through the services wherever a rule applies."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from core.choices import OffenderStatus
from puppies import services
from puppies.choices import DogStatus, HandlerRole, HomeType, Tenure, VaccineKind
from puppies.models import AdoptionApplication, CgcAttempt, Dog, Shelter, Vaccination
from tests.factories import OffenderFactory, OrganizationFactory

_seq = itertools.count(1)
TODAY = dt.date(2026, 3, 2)


def shelter(*facilities, name=None) -> Shelter:
    n = next(_seq)
    org = OrganizationFactory(name=name or f"Test Humane Society {n}", kinds=["animal_shelter"], town="Jefferson City")
    s = Shelter.objects.create(organization=org)
    s.facilities.set(facilities)
    return s


def dog(shelter_, *, user, name=None, intake_on=dt.date(2026, 1, 5), **fields) -> Dog:
    n = next(_seq)
    values = {
        "shelter": shelter_,
        "shelter_ref": f"A{n:05d}",
        "name": name or f"Dog{n}",
        "breed": "Labrador mix",
        "sex": "female",
        "birth_estimate": dt.date(2024, 6, 1),
        "colour": "Black",
        "intake_on": intake_on,
        "bio": "A gentle, clever dog who loves a game of fetch.",
        **fields,
    }
    return services.dog_intake(user=user, dog=Dog(**values))


def rabies(d: Dog, given_on=dt.date(2026, 1, 6), years=1) -> Vaccination:
    return Vaccination.objects.create(
        dog=d, kind=VaccineKind.RABIES, given_on=given_on, expires_on=given_on.replace(year=given_on.year + years)
    )


def place(d: Dog, facility, *, user, on=dt.date(2026, 1, 10), unit="HU 5") -> Dog:
    if not d.vaccinations.filter(kind=VaccineKind.RABIES).exists():
        rabies(d)
    return services.dog_move(
        dog=d, status=DogStatus.IN_TRAINING, on=on, user=user, facility=facility, housing_unit=unit
    )


def inmate(facility, **kwargs):
    return OffenderFactory(status=OffenderStatus.INCARCERATED, facility=facility, district=None, **kwargs)


def assign(d: Dog, person, *, user, role=HandlerRole.PRIMARY, on=dt.date(2026, 1, 11)):
    return services.handler_assign(dog=d, offender=person, role=role, on=on, user=user)


def placed_dog(shelter_, facility, *, user, handlers=True, **fields):
    """A dog in training at ``facility`` with a primary and a secondary handler held there."""
    d = place(dog(shelter_, user=user, **fields), facility, user=user)
    people = []
    if handlers:
        people = [inmate(facility), inmate(facility)]
        assign(d, people[0], user=user)
        assign(d, people[1], user=user, role=HandlerRole.SECONDARY)
    d.refresh_from_db()
    return d, people


def cgc(d: Dog, *, user, date=dt.date(2026, 2, 20), fail=(), dismissed=False) -> CgcAttempt:
    items = {f"item_{i}": i not in fail for i in range(1, 11)}
    attempt = CgcAttempt(
        dog=d,
        date=date,
        evaluator_name="Sam Evaluator",
        evaluator_akc_number="CGC-12345",
        dismissed=dismissed,
        dismissal_reason="Growled at the evaluator" if dismissed else "",
        **items,
    )
    return services.cgc_record(user=user, attempt=attempt)


def application(d: Dog, *, n=None, **fields) -> AdoptionApplication:
    n = n or next(_seq)
    values = {
        "dog": d,
        "name": f"Applicant Person{n}",
        "email": f"applicant{n}@example.org",
        "phone": "573-555-0100",
        "address": f"{100 + n} Maple Street",
        "town": "Columbia",
        "zip_code": "65201",
        "adults": 2,
        "children": 0,
        "home_type": HomeType.HOUSE,
        "tenure": Tenure.OWN,
        **fields,
    }
    return services.application_submit(application=AdoptionApplication(**values))


def graduate(d: Dog, *, user, date=dt.date(2026, 2, 25)):
    return services.graduation_record(user=user, facility=d.facility, date=date, name="Winter class", dogs=[d])


def adopt(app: AdoptionApplication, *, user, on=None, fee=Decimal("75.00")):
    """Approve (the reservation, today) and adopt (today unless ``on``)."""
    from django.utils import timezone

    services.application_approve(application=app, user=user)
    return services.adoption_record(application=app, adopted_on=on or timezone.localdate(), fee=fee, user=user)


def approved_photo(d: Dog, *, staff, admin, alt="A black dog sitting on grass"):
    """An approved photo of the dog, through the reports app's upload and review (as the site does it)."""
    from reports.services import photo_review, photo_upload
    from tests.factories.reports import jpeg_with_gps

    photo = photo_upload(user=staff, target=d, data=jpeg_with_gps(size=(64, 48)), alt_text=alt)
    return photo_review(photo=photo, user=admin, approve=True, consent_confirmed=True, caption="", alt_text=alt)


def public_dog(shelter_, facility, *, staff, admin, **fields):
    """A dog in training, released for adoption, with a bio and an approved photo: on the public page."""
    d, people = placed_dog(shelter_, facility, user=staff, released_for_adoption=True, **fields)
    approved_photo(d, staff=staff, admin=admin)
    return d, people
