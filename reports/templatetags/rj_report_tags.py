"""Template filters for reports: table cells, numbers, and text inside CSS strings (PDF headers)."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from reports.selectors import format_number

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@register.filter
def cell_is_number(row, index) -> bool:
    try:
        return is_number(row[index])
    except (IndexError, TypeError, KeyError):
        return False


@register.filter
def cell(value) -> str:
    """One table cell as text: numbers formatted like the brochure, dates written out."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if is_number(value):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%b %-d, %Y %-I:%M %p}"
    if isinstance(value, dt.date):
        return f"{value:%b %-d, %Y}"
    return str(value)


@register.filter
def number(value) -> str:
    return format_number(value)


@register.filter
def css_string(value) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element (page headers and footers)."""
    text = str(value)
    out = []
    for ch in text:
        if ch in "\"'\\<>&" or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe("".join(out))  # every character that could end the string is escaped
