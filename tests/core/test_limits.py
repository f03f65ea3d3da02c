"""Plausibility limits (issue 17, item 4, in part): no entry or payment dated before the program's
records begin (RECORDS_BEGIN), no single payment above PAYMENT_MAX, and a number too large or too
precise refused in plain words. Before: a harvest dated in the year 115 counted as stock, a payment
dated 0001-01-01 and one of $1,000,000,000 were accepted (the latter marked a person paid in full),
and a crop value of 10^10 said "Ensure that there are no more than 12 digits in total"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gardens.models import Crop, Harvest
from gardens.services import harvest_record
from restitution.models import Payment
from tests.factories.gardens import make_garden_world
from tests.factories.restitution import obligation, pay

pytestmark = pytest.mark.django_db


def test_a_harvest_before_the_records_begin_is_refused(world):
    w = make_garden_world(world)
    with pytest.raises(ValidationError) as refused:
        harvest_record(user=w.staff_jccc, garden=w.garden_jccc, crop=w.tomatoes, date=dt.date(115, 7, 1), weight_lb=10)
    assert "before Jan 1, 2000, when the program's records begin" in refused.value.message_dict["date"][0]
    assert not Harvest.objects.exists()


def test_the_floor_is_a_setting(world, settings):
    settings.RECORDS_BEGIN = "2020-01-01"
    w = make_garden_world(world)
    with pytest.raises(ValidationError, match="before Jan 1, 2020"):
        harvest_record(user=w.staff_jccc, garden=w.garden_jccc, crop=w.tomatoes, date=dt.date(2019, 7, 1), weight_lb=1)


def test_the_harvest_api_says_why_in_plain_words(world, client_for):
    w = make_garden_world(world)
    response = client_for(w.admin).post(
        "/api/v1/harvests/",
        {"garden": w.garden_jccc.pk, "crop": w.tomatoes.pk, "date": "0115-07-01", "weight_lb": "10"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "records begin" in str(response.json())
    assert not Harvest.objects.exists()


def test_a_payment_before_the_records_begin_is_refused(world):
    obligation(world.case, monthly_amount=Decimal("50"), first_due_on=dt.date(2025, 2, 15))
    with pytest.raises(ValidationError) as refused:
        pay(world.supervised, "25.00", dt.date(1, 1, 1))
    assert "records begin" in refused.value.message_dict["received_on"][0]
    assert not Payment.objects.exists()


def test_a_payment_above_the_limit_is_refused_and_nobody_is_paid_in_full(world):
    owed = obligation(world.case, amount="1000.00")
    with pytest.raises(ValidationError) as refused:
        pay(world.supervised, "1000000000.00", dt.date(2026, 3, 1))
    assert refused.value.message_dict["amount"][0].startswith("$1,000,000,000.00 in one payment is not plausible")
    assert "$100,000.00" in refused.value.message_dict["amount"][0]
    owed.refresh_from_db()
    assert owed.status == "open" and not Payment.objects.exists()


def test_a_form_says_the_largest_number_in_plain_words(world, client_for):
    response = client_for(world.admin).post(
        "/gardens/crops/add/", {"name": "Moon okra", "category": "vegetable", "value_per_lb": "12345678901.5"}
    )
    page = response.content.decode()
    assert "Enter at most 9,999,999,999.99." in page
    assert "digits in total" not in page
    response = client_for(world.admin).post(
        "/gardens/crops/add/", {"name": "Moon okra", "category": "vegetable", "value_per_lb": "1.555"}
    )
    assert "Use at most 2 decimal places." in response.content.decode()
    assert not Crop.objects.filter(name="Moon okra").exists()


def test_the_api_says_the_largest_number_in_plain_words(world, client_for):
    response = client_for(world.admin).post(
        "/api/v1/crops/",
        {"name": "Moon okra", "category": "vegetable", "value_per_lb": "12345678901.5"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["value_per_lb"] == ["Enter at most 9,999,999,999.99."]
