"""Harvest services: a day's harvest is all or nothing; corrections and voids keep history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gardens import services
from gardens.models import Harvest

DAY = dt.date(2026, 7, 1)


def rows(gw, *weights):
    crops = [gw.tomatoes, gw.squash, gw.greens]
    return [{"crop": crops[i % 3], "weight_lb": Decimal(w)} for i, w in enumerate(weights)]


def test_record_day_saves_every_row_with_the_gardens_facility(gw):
    saved = services.harvest_record_day(
        user=gw.staff_jccc, garden=gw.garden_jccc, date=DAY, rows=rows(gw, "10.5", "20", "3.2")
    )
    assert len(saved) == 3
    assert {h.facility_id for h in saved} == {gw.jccc.pk}
    assert {h.entered_by_id for h in saved} == {gw.staff_jccc.pk}
    assert sum(h.weight_lb for h in Harvest.objects.all()) == Decimal("33.7")
    assert all(h.history.first().history_user_id == gw.staff_jccc.pk for h in saved)


def test_record_day_saves_nothing_when_one_row_is_bad(gw):
    with pytest.raises(services.DayEntryError) as exc:
        services.harvest_record_day(
            user=gw.staff_jccc, garden=gw.garden_jccc, date=DAY, rows=rows(gw, "10", "6000", "3")
        )
    assert list(exc.value.row_errors) == [1]
    assert "weight_lb" in exc.value.row_errors[1].message_dict
    assert not Harvest.objects.exists()


def test_correct_keeps_history_with_reason(gw):
    harvest = services.harvest_record(
        user=gw.staff_jccc, garden=gw.garden_jccc, crop=gw.tomatoes, date=DAY, weight_lb=Decimal("50")
    )
    services.harvest_correct(harvest=harvest, user=gw.staff_jccc, reason="Scale was off", weight_lb=Decimal("45.5"))
    harvest.refresh_from_db()
    assert harvest.weight_lb == Decimal("45.5")
    latest = harvest.history.first()
    assert latest.history_change_reason == "Scale was off"
    assert latest.history_user_id == gw.staff_jccc.pk
    assert harvest.history.count() == 2


def test_correct_to_another_facilitys_garden_moves_the_facility(gw):
    harvest = services.harvest_record(
        user=gw.admin, garden=gw.garden_jccc, crop=gw.tomatoes, date=DAY, weight_lb=Decimal("5")
    )
    services.harvest_correct(harvest=harvest, user=gw.admin, garden=gw.garden_acc)
    harvest.refresh_from_db()
    assert harvest.facility_id == gw.acc.pk


def test_void_needs_a_reason_and_is_final(gw):
    harvest = services.harvest_record(
        user=gw.staff_jccc, garden=gw.garden_jccc, crop=gw.tomatoes, date=DAY, weight_lb=Decimal("5")
    )
    with pytest.raises(ValidationError):
        services.harvest_void(harvest=harvest, user=gw.staff_jccc, reason="   ")
    services.harvest_void(harvest=harvest, user=gw.staff_jccc, reason="Entered twice")
    harvest.refresh_from_db()
    assert harvest.is_voided and harvest.void_reason == "Entered twice" and harvest.voided_by == gw.staff_jccc
    assert Harvest.objects.filter(pk=harvest.pk).exists()  # never deleted
    assert harvest.history.first().history_change_reason == "Voided: Entered twice"
    with pytest.raises(ValidationError):
        services.harvest_void(harvest=harvest, user=gw.admin, reason="again")
    with pytest.raises(ValidationError):
        services.harvest_correct(harvest=harvest, user=gw.admin, weight_lb=Decimal("1"))
