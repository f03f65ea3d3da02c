"""Money figures print as dollars and cents, never as a one-decimal number with a word after it."""

from decimal import Decimal

from core.registry import FigureEntry
from reports.selectors import FigureValue, format_number


def test_format_number_money_has_dollar_sign_and_cents():
    assert format_number(Decimal("3560.5"), "dollars") == "$3,560.50"
    assert format_number(Decimal("12"), "dollars") == "$12.00"


def test_format_number_other_units_unchanged():
    assert format_number(Decimal("3560.5"), "lb") == "3,560.5"
    assert format_number(12) == "12"


def test_money_figure_display_drops_the_word_dollars():
    entry = FigureEntry("raised", "Dollars raised", lambda: Decimal("3560.5"), unit="dollars")
    figure = FigureValue(entry=entry, value=Decimal("3560.5"))
    assert figure.display == "$3,560.50"
    assert figure.unit == ""
    assert figure.printed() == "$3,560.50"
