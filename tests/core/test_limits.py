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


# A payment far above the balance asks the person entering it to confirm (item 4's second half).
def test_a_payment_far_above_the_balance_must_be_confirmed(world, settings):
    owed = obligation(world.case, amount="500.00")
    with pytest.raises(ValidationError) as refused:
        pay(world.supervised, "5000.00", dt.date(2026, 3, 1), confirmed=False)
    error = refused.value.error_dict["amount"][0]
    assert error.code == "over_balance"
    assert error.message == (
        "$5,000.00 is more than everything this person still owes ($500.00). If the amount is right, confirm it: "
        "what is above the balance is held as credit."
    )
    assert not Payment.objects.exists()
    # Within the margin no question is asked; confirmed, the rest is held as credit.
    pay(world.supervised, str(500 + settings.PAYMENT_CONFIRM_MARGIN), dt.date(2026, 3, 1), confirmed=False)
    owed.refresh_from_db()
    assert owed.status == "paid"
    pay(world.supervised, "5000.00", dt.date(2026, 3, 2), confirmed=True)
    assert Payment.objects.count() == 2


def test_the_payment_form_asks_for_the_confirmation_and_keeps_what_was_typed(world, client_for):
    obligation(world.case, amount="500.00")
    client = client_for(world.officer)
    url = f"/restitution/offenders/{world.supervised.pk}/payments/add/"
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="over_balance_confirmed"' not in page
    data = {"amount": "5000.00", "received_on": "2026-03-01", "method": "money_order", "idempotency_key": "k-1"}
    page = client.post(url, data).content.decode()
    assert "is more than everything this person still owes ($500.00)" in page
    assert 'type="checkbox" name="over_balance_confirmed"' in page
    assert 'value="5000.00"' in page
    assert not Payment.objects.exists()
    response = client.post(url, {**data, "over_balance_confirmed": "on"})
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("5000.00")


def test_the_payment_api_asks_for_the_confirmation(world, client_for):
    obligation(world.case, amount="500.00")
    client = client_for(world.officer)
    body = {"offender": world.supervised.pk, "amount": "5000.00", "received_on": "2026-03-01", "method": "money_order"}
    response = client.post("/api/v1/restitution/payments/", body, content_type="application/json")
    assert response.status_code == 400
    assert "is more than everything this person still owes" in response.json()["amount"][0]
    assert not Payment.objects.exists()
    response = client.post(
        "/api/v1/restitution/payments/", {**body, "over_balance_confirmed": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert "over_balance_confirmed" not in response.json()


def test_an_order_dated_before_the_records_begin_or_in_the_future_is_refused(world):
    from restitution.models import Obligation

    with pytest.raises(ValidationError) as refused:
        obligation(world.case, amount="500.00", ordered_on=dt.date(1, 1, 1))
    assert "when the program's records begin" in refused.value.message_dict["ordered_on"][0]
    with pytest.raises(ValidationError) as refused:
        obligation(world.case, amount="500.00", ordered_on=dt.date(2999, 1, 1))
    assert refused.value.message_dict["ordered_on"] == ["The date is in the future."]
    with pytest.raises(ValidationError) as refused:
        obligation(world.case, amount="500.00", monthly_amount=Decimal("50"), first_due_on=dt.date(1999, 1, 15))
    assert "records begin" in refused.value.message_dict["first_due_on"][0]
    assert not Obligation.objects.exists()


# Weights: a scale's two decimals are accepted and kept to the tenth of a pound (core/fields.py).
def test_a_weight_with_two_decimals_is_kept_to_the_tenth(world, client_for):
    w = make_garden_world(world)
    client = client_for(w.staff_jccc)
    body = {"garden": w.garden_jccc.pk, "crop": w.tomatoes.pk, "date": "2026-07-01", "weight_lb": "12.35"}
    response = client.post("/api/v1/harvests/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["weight_lb"] == "12.4"
    harvest = Harvest.objects.get()
    assert harvest.weight_lb == Decimal("12.4")
    # The edit form, built from the model field, takes two decimals too.
    page = client.get(f"/gardens/harvests/{harvest.pk}/edit/").content.decode()
    assert 'step="0.01"' in page
    assert "weights are kept to the tenth of a pound" in page
    data = {
        "garden": w.garden_jccc.pk,
        "crop": w.tomatoes.pk,
        "date": "2026-07-01",
        "weight_lb": "8.04",
        "volunteers": "0",
        "volunteer_hours": "0",
        "reason": "Weighed again on the scale",
    }
    response = client.post(f"/gardens/harvests/{harvest.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    harvest.refresh_from_db()
    assert harvest.weight_lb == Decimal("8.0")


def test_a_weight_with_three_decimals_is_refused_in_plain_words(world, client_for):
    from core.fields import WeightFormField

    field = WeightFormField(max_digits=7)
    assert field.clean("0.05") == Decimal("0.1")
    with pytest.raises(ValidationError) as refused:
        field.clean("12.345")
    assert refused.value.messages == ["Use at most 2 decimal places, as a scale shows."]
    w = make_garden_world(world)
    response = client_for(w.staff_jccc).post(
        "/api/v1/harvests/",
        {"garden": w.garden_jccc.pk, "crop": w.tomatoes.pk, "date": "2026-07-01", "weight_lb": "12.345"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["weight_lb"] == ["Use at most 2 decimal places."]
    assert not Harvest.objects.exists()
