"""Restitution's old name for core.money; new code imports ``core.money`` (one rounding rule for dollars)."""

from core.money import CENT, ZERO, format_money, quantize

__all__ = ["CENT", "ZERO", "format_money", "quantize"]
