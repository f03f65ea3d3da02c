"""factory_boy factories for donations. Records are made directly (no stock check): tests of the
stock rule go through the services."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from donations.choices import DonationPurpose, FundraiserPurpose, ItemCategory
from donations.models import Donation, DonationLine, Fundraiser, FundraiserPurchase, Item, ProductionLog, Spoilage
from tests.factories import FacilityFactory, OrganizationFactory, UserFactory
from tests.factories.gardens import CropFactory


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test item {n}")
    category = ItemCategory.QUILTS
    estimated_value = Decimal("50.00")


class ProductionLogFactory(DjangoModelFactory):
    class Meta:
        model = ProductionLog

    facility = factory.SubFactory(FacilityFactory)
    shop = "Sewing shop"
    item = factory.SubFactory(ItemFactory)
    quantity = 10
    date = dt.date(2026, 7, 1)
    volunteer_hours = Decimal("20.0")
    entered_by = factory.SubFactory(UserFactory)
    entered_at = factory.LazyFunction(timezone.now)


class SpoilageFactory(DjangoModelFactory):
    class Meta:
        model = Spoilage

    facility = factory.SubFactory(FacilityFactory)
    crop = factory.SubFactory(CropFactory)
    date = dt.date(2026, 7, 2)
    weight_lb = Decimal("5.0")
    reason = "Rot in storage"
    entered_by = factory.SubFactory(UserFactory)


class DonationFactory(DjangoModelFactory):
    class Meta:
        model = Donation
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    recipient = factory.SubFactory(OrganizationFactory)
    date = dt.date(2026, 7, 3)
    purpose = DonationPurpose.DISTRIBUTION
    entered_by = factory.SubFactory(UserFactory)


class ProduceLineFactory(DjangoModelFactory):
    class Meta:
        model = DonationLine

    donation = factory.SubFactory(DonationFactory)
    crop = factory.SubFactory(CropFactory)
    weight_lb = Decimal("10.0")
    estimated_value = Decimal("15.00")


class ItemLineFactory(DjangoModelFactory):
    class Meta:
        model = DonationLine

    donation = factory.SubFactory(DonationFactory)
    item = factory.SubFactory(ItemFactory)
    quantity = 2
    estimated_value = Decimal("100.00")


class FundraiserFactory(DjangoModelFactory):
    class Meta:
        model = Fundraiser

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Fundraiser {n}")
    purpose = FundraiserPurpose.SCHOOL_SUPPLIES
    start_date = dt.date(2026, 6, 1)
    goal = Decimal("1000.00")
    raised = Decimal("800.00")


class FundraiserPurchaseFactory(DjangoModelFactory):
    class Meta:
        model = FundraiserPurchase

    fundraiser = factory.SubFactory(FundraiserFactory)
    date = dt.date(2026, 7, 1)
    description = "Backpacks"
    quantity = 20
    amount = Decimal("400.00")
    recipient = factory.SubFactory(OrganizationFactory)
