"""factory_boy factories for core records. Program apps add theirs in tests/factories/<app>.py."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from core.choices import OffenderStatus, OffenseClass, Region, Role
from core.models import CourtCase, District, Facility, Offender, Organization, OrganizationKind, User

DEFAULT_PASSWORD = "test-password-2026"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 50 + n)
    name = factory.Sequence(lambda n: f"Test district {n}")
    region = Region.CENTRAL


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Test Correctional Center {n}")
    code = factory.Sequence(lambda n: f"TC{n:03d}")
    town = "Jefferson City"
    region = Region.CENTRAL


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Food Bank {n}")
    county = "Cole"
    town = "Jefferson City"

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted or ["food_bank"]
        self.kinds.set(OrganizationKind.objects.filter(code__in=codes))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.ADMINISTRATOR
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilities.set(extracted)


class OffenderFactory(DjangoModelFactory):
    class Meta:
        model = Offender

    doc_id = factory.Sequence(lambda n: f"{9000000 + n}")
    last_name = factory.Faker("last_name")
    first_name = factory.Faker("first_name")
    date_of_birth = dt.date(1985, 6, 15)
    status = OffenderStatus.SUPERVISED
    district = factory.SubFactory(DistrictFactory)
    facility = None
    supervising_officer = None
    supervision_end_date = dt.date(2028, 6, 30)


class CourtCaseFactory(DjangoModelFactory):
    class Meta:
        model = CourtCase

    court = "19th Judicial Circuit (Cole County)"
    case_number = factory.Sequence(lambda n: f"26AC-CR{n:05d}")
    county = "Cole"
    offender = factory.SubFactory(OffenderFactory)
    offense = "Stealing"
    offense_class = OffenseClass.FELONY_D
    sentencing_date = dt.date(2025, 3, 1)
