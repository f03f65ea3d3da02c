"""Harvest rules within one row, and the database constraints behind them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gardens.models import Harvest
from tests.factories.gardens import GardenFactory, HarvestFactory


def test_harvest_over_5000_lb_is_refused_with_a_clear_message(gw):
    harvest = HarvestFactory.build(garden=gw.garden_jccc, facility=gw.jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    harvest.weight_lb = Decimal("5200.0")
    with pytest.raises(ValidationError) as exc:
        harvest.full_clean()
    message = exc.value.message_dict["weight_lb"][0]
    assert "5,200.0 lb in one entry is not plausible" in message
    assert "pounds" in message


def test_harvest_weight_must_be_more_than_zero(gw):
    harvest = HarvestFactory.build(garden=gw.garden_jccc, facility=gw.jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    harvest.weight_lb = Decimal("0")
    with pytest.raises(ValidationError) as exc:
        harvest.full_clean()
    assert "weight_lb" in exc.value.message_dict


def test_database_refuses_a_zero_weight(gw):
    with pytest.raises(IntegrityError), transaction.atomic():
        HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, weight_lb=Decimal("0"), entered_by=gw.staff_jccc)


def test_database_refuses_a_void_without_reason(gw):
    harvest = HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    with pytest.raises(IntegrityError), transaction.atomic():
        Harvest.objects.filter(pk=harvest.pk).update(
            voided_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC), voided_by=gw.admin
        )


def test_garden_of_another_facility_is_refused(gw):
    harvest = HarvestFactory.build(garden=gw.garden_acc, facility=gw.jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    with pytest.raises(ValidationError) as exc:
        harvest.full_clean()
    assert exc.value.message_dict["garden"] == ["This garden belongs to another facility."]


def test_future_date_and_hours_without_volunteers_are_refused(gw):
    harvest = HarvestFactory.build(
        garden=gw.garden_jccc,
        facility=gw.jccc,
        crop=gw.tomatoes,
        entered_by=gw.staff_jccc,
        date=timezone.localdate() + dt.timedelta(days=3),
        volunteers=0,
        volunteer_hours=Decimal("4"),
    )
    with pytest.raises(ValidationError) as exc:
        harvest.full_clean()
    assert set(exc.value.message_dict) == {"date", "volunteers"}


def test_garden_names_are_unique_per_facility(gw):
    GardenFactory(facility=gw.acc, name="East garden")  # the same name elsewhere is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        GardenFactory(facility=gw.jccc, name="East garden")
