"""Weights at the edge: a scale shows two decimals, RJ Admin keeps pounds to one (``core.units``).

``WeightField`` is the model field of every weight in pounds. It stores one decimal, as every figure
is printed, but its form field and its API field accept what a scale shows, two decimals, and round
it half up to the tenth of a pound (``core.units.one_decimal``) before anything is checked or stored:
12.35 lb on the scale is 12.4 lb in RJ Admin, said under the field.
"""

from decimal import Decimal

from django import forms
from django.db import models
from rest_framework import serializers

from core.units import one_decimal

WEIGHT_HELP = "A scale's two decimals are fine: weights are kept to the tenth of a pound."


def _rounded(value):
    if isinstance(value, Decimal) and value.is_finite():
        return one_decimal(value)
    return value


class WeightFormField(forms.DecimalField):
    """Up to two decimals typed; one kept."""

    def __init__(self, *, max_digits=None, decimal_places=None, **kwargs):
        kwargs["help_text"] = kwargs.get("help_text") or WEIGHT_HELP
        super().__init__(max_digits=max_digits, decimal_places=1, **kwargs)
        self.widget.attrs["step"] = "0.01"
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        number = super().to_python(value)
        if isinstance(number, Decimal) and number.is_finite() and number.as_tuple().exponent < -2:
            raise forms.ValidationError("Use at most 2 decimal places, as a scale shows.", code="max_decimal_places")
        return _rounded(number)


class WeightSerializerField(serializers.DecimalField):
    """The API's weight: up to two decimals in, one decimal kept and sent back."""

    def __init__(self, **kwargs):
        # Two decimals in, and one more digit in all, so the largest whole number stays the same.
        if kwargs.get("max_digits") is not None:
            kwargs["max_digits"] += 1
        kwargs["decimal_places"] = 2
        kwargs.setdefault("help_text", WEIGHT_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return _rounded(super().to_internal_value(data))

    def to_representation(self, value):
        self.decimal_places = 1
        try:
            return super().to_representation(value)
        finally:
            self.decimal_places = 2


class WeightField(models.DecimalField):
    """Pounds, one decimal stored; two accepted at every edge (see the module)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WeightFormField, **kwargs})
