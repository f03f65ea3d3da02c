"""Weights: pounds with one decimal, and tons of 2,000 lb. The one rounding rule for both.

Every app rounds pounds (and other one-decimal figures: hours, percentages) with
:func:`one_decimal` and turns pounds into tons with :func:`to_tons`, so a panel, a report and the
brochure print the same figure. Dollars are in :mod:`core.money`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LB_PER_TON = Decimal(2000)
TENTH = Decimal("0.1")
ZERO_LB = Decimal("0.0")


def one_decimal(value) -> Decimal:
    """The one rounding rule for pounds and tons: one decimal, half up; ``None`` is zero."""
    return Decimal(value or 0).quantize(TENTH, rounding=ROUND_HALF_UP)


def to_tons(pounds) -> Decimal:
    """Pounds as tons, one decimal, half up."""
    return one_decimal(Decimal(pounds or 0) / LB_PER_TON)
