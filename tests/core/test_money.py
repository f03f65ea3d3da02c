"""core.money and core.units: the one rounding rule for dollars and for pounds, and MoneyField."""

from decimal import Decimal

from django.db import models
from django.template import Context, Template

from core.money import CENT, ZERO, MoneyField, format_money, quantize
from core.units import LB_PER_TON, one_decimal, to_tons


def test_quantize_rounds_half_up_to_cents():
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert quantize(Decimal("2.665")) == Decimal("2.67")
    assert quantize("10") == Decimal("10.00")
    assert quantize(None) == ZERO
    assert quantize(7).as_tuple().exponent == CENT.as_tuple().exponent


def test_format_money():
    assert format_money(Decimal("3560.5")) == "$3,560.50"
    assert format_money(12) == "$12.00"
    assert format_money(None) == "$0.00"


def test_money_filter_in_templates():
    template = Template("{% load rj_tags %}{{ a|money }} {{ b|money }}")
    assert template.render(Context({"a": Decimal("1234.5"), "b": None})) == "$1,234.50 —"


def test_pounds_and_tons_round_half_up_to_one_decimal():
    assert one_decimal(Decimal("12.25")) == Decimal("12.3")
    assert one_decimal(None) == Decimal("0.0")
    assert to_tons(Decimal("500")) == Decimal("0.3")
    assert to_tons(LB_PER_TON * 3) == Decimal("3.0")


def test_money_field_defaults_and_deconstructs_as_a_plain_decimal_field():
    field = MoneyField("amount", default=Decimal("0.00"))
    assert (field.max_digits, field.decimal_places) == (12, 2)
    plain = models.DecimalField("amount", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    field.set_attributes_from_name("amount")
    plain.set_attributes_from_name("amount")
    assert field.deconstruct() == plain.deconstruct()
    assert field.deconstruct()[1] == "django.db.models.DecimalField"
