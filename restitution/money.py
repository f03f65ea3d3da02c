"""Money is Decimal with two places, never float. The one quantize helper of the app."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def quantize(value) -> Decimal:
    """Any number (Decimal, int, str, or a database's float for SQLite sums) as Decimal cents."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)
