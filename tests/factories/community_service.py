"""Factories and small builders for community service records (through the services where a rule applies)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from community_service import services
from community_service.choices import VerificationMethod
from community_service.models import Agency, Order
from core.choices import AgencyStatus
from tests.factories import OrganizationFactory


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    organization = factory.SubFactory(
        OrganizationFactory,
        name=factory.Sequence(lambda n: f"Test Service Agency {n}"),
        kinds=["service_agency"],
        agency_status=AgencyStatus.NON_PROFIT,
    )
    ein = factory.Sequence(lambda n: f"43-{1000000 + n}")
    agreement_start = dt.date(2024, 1, 1)
    agreement_end = None
    verifier_name = "Pat Verifier"
    verifier_email = factory.Sequence(lambda n: f"verifier{n}@agency.example.org")
    kinds_of_work = "Sorting donations"
    minors_present = False


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    case = None
    offender = factory.LazyAttribute(lambda o: o.case.offender)
    hours_ordered = Decimal("100.00")
    ordered_on = dt.date(2026, 1, 1)
    due_on = dt.date(2026, 12, 31)


def placement(offender, agency, start_on=dt.date(2026, 1, 1), user=None):
    from core.models import User

    user = user or User.objects.filter(role="administrator").first()
    return services.placement_create(user=user, offender=offender, agency=agency, start_on=start_on)


def log(order, place, day, hours="4.00", *, user=None, verified=True, start=None, end=None, task="Sorting"):
    """A log through the service, verified by the officer with a sheet unless ``verified`` is False."""
    from core.models import User

    user = user or User.objects.filter(role="administrator").first()
    entry = services.hour_log_record(
        user=user,
        order=order,
        placement=place,
        date=day,
        hours=Decimal(hours) if hours is not None else None,
        start_time=start,
        end_time=end,
        task=task,
    )
    if verified:
        sheet = ContentFile(b"%PDF-1.4 signed sheet", name="sheet.pdf")
        entry = services.hour_log_decide(
            log=entry, approve=True, method=VerificationMethod.SIGNED_SHEET, user=user, sheet=sheet
        )
    return entry
