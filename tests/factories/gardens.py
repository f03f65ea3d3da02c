"""factory_boy factories for gardens. Harvests are made directly; tests of the rules call the services."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gardens.choices import CropCategory
from gardens.models import Crop, Garden, Harvest, Season
from tests.factories import FacilityFactory, UserFactory


class SeasonFactory(DjangoModelFactory):
    class Meta:
        model = Season
        django_get_or_create = ("year",)

    year = 2026
    start_date = factory.LazyAttribute(lambda s: dt.date(s.year, 4, 1))
    end_date = factory.LazyAttribute(lambda s: dt.date(s.year, 11, 30))
    goal_tons = Decimal("100.0")


class CropFactory(DjangoModelFactory):
    class Meta:
        model = Crop
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test crop {n}")
    category = CropCategory.VEGETABLE
    value_per_lb = Decimal("1.50")


class GardenFactory(DjangoModelFactory):
    class Meta:
        model = Garden

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Garden {n}")
    size_acres = Decimal("1.00")


class HarvestFactory(DjangoModelFactory):
    class Meta:
        model = Harvest

    garden = factory.SubFactory(GardenFactory)
    facility = factory.LazyAttribute(lambda h: h.garden.facility)
    crop = factory.SubFactory(CropFactory)
    date = dt.date(2026, 7, 1)
    weight_lb = Decimal("100.0")
    volunteers = 4
    volunteer_hours = Decimal("8.0")
    entered_by = factory.SubFactory(UserFactory)
    entered_at = factory.LazyFunction(timezone.now)


def make_garden_world(world):
    """Seasons 2025 and 2026, a garden at JCCC and one at ACC, and three crops, on top of ``world``."""
    w = world
    w.season = SeasonFactory(year=2026)
    w.last_season = SeasonFactory(year=2025)
    w.garden_jccc = GardenFactory(facility=w.jccc, name="East garden")
    w.garden_acc = GardenFactory(facility=w.acc, name="North field")
    w.tomatoes = CropFactory(name="Tomatoes", category=CropCategory.VEGETABLE, value_per_lb=Decimal("1.80"))
    w.squash = CropFactory(name="Zucchini", category=CropCategory.SQUASH, value_per_lb=Decimal("1.20"))
    w.greens = CropFactory(name="Kale", category=CropCategory.LEAFY_GREEN, value_per_lb=Decimal("2.50"))
    return w


def inmate_at(facility, **kwargs):
    """A person held at ``facility``."""
    from core.choices import OffenderStatus
    from tests.factories import OffenderFactory

    return OffenderFactory(status=OffenderStatus.INCARCERATED, facility=facility, district=None, **kwargs)
