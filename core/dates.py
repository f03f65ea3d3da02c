"""Printing dates and day counts in Python the way the templates print them.

The formats live once, in ``rjadmin/formats/en/formats.py`` (``DATE_FORMAT`` ``Mar 5, 2026``,
``DATETIME_FORMAT`` ``Mar 5, 2026 14:07``); these helpers read them through Django, so an alert, a
message and a page agree.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import formats, timezone


def format_date(value: dt.date) -> str:
    """``Mar 5, 2026``."""
    return formats.date_format(value, "DATE_FORMAT")


def format_datetime(value: dt.datetime) -> str:
    """``Mar 5, 2026 14:07``, in the site's time zone (America/Chicago)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def format_days(count: int) -> str:
    """``1 day``, ``2 days``."""
    unit = "day" if count == 1 else "days"
    return f"{count} {unit}"


def records_begin() -> dt.date:
    """The day the program's records begin (the ``RECORDS_BEGIN`` setting): nothing entered is older."""
    return dt.date.fromisoformat(settings.RECORDS_BEGIN)


def entry_date_problem(value: dt.date | None, *, future: bool = False) -> str | None:
    """Why a date typed for an entry or a payment is not plausible, in plain words, or None."""
    if value is None:
        return None
    begin = records_begin()
    if value < begin:
        return f"The date is before {format_date(begin)}, when the program's records begin. Check the year."
    if not future and value > timezone.localdate():
        return "The date is in the future."
    return None
