"""Printing dates and day counts in Python the way the templates print them.

The formats live once, in ``rjadmin/formats/en/formats.py`` (``DATE_FORMAT`` ``Mar 5, 2026``,
``DATETIME_FORMAT`` ``Mar 5, 2026 14:07``); these helpers read them through Django, so an alert, a
message and a page agree.
"""

from __future__ import annotations

import datetime as dt

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
