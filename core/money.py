"""Money: Decimal with two places, never float. One rounding rule, one way to print it, one field.

Every app rounds dollars with :func:`quantize` (cents, half up), prints them with
:func:`format_money` (``$1,234.50``; in templates ``{% load rj_tags %}{{ value|money }}``) and
stores them in a :class:`MoneyField` (``DecimalField(max_digits=12, decimal_places=2)``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 12
DECIMAL_PLACES = 2


def quantize(value) -> Decimal:
    """Any number (Decimal, int, str) as Decimal cents, half up; ``None`` (an empty sum) is zero."""
    if value is None:
        return ZERO
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value) -> str:
    """Dollars as printed everywhere: ``$3,560.50`` (a negative amount: ``$-12.00``)."""
    return f"${quantize(value):,.2f}"


class MoneyField(models.DecimalField):
    """A dollar amount: ``DecimalField(max_digits=12, decimal_places=2)`` unless told otherwise.

    It deconstructs as a plain ``models.DecimalField`` with the same arguments, so putting it in
    place of ``models.DecimalField(max_digits=12, decimal_places=2)`` changes no migration.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
