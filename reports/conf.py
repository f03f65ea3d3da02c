"""Settings of the reports app, each from Django settings or the environment, with safe defaults."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return int(value)


def keep_days() -> int:
    """Days a generated report file is kept before the nightly cleanup deletes it."""
    return _int("REPORTS_KEEP_DAYS", 7)


def async_rows() -> int:
    """A report holding more rows than this runs as a Celery task into a stored file."""
    return _int("REPORTS_ASYNC_ROWS", 2000)


def photo_max_bytes() -> int:
    """The largest photo upload accepted."""
    return _int("REPORTS_PHOTO_MAX_BYTES", 10 * 1024 * 1024)


def photo_max_pixels() -> int:
    """The largest photo (width x height) accepted: larger is a decompression bomb or a scan."""
    return _int("REPORTS_PHOTO_MAX_PIXELS", 50_000_000)


def brochure_builds_kept() -> int:
    """How many past brochure files are kept (the newest is served)."""
    return _int("REPORTS_BROCHURE_KEEP", 10)


PHOTO_LONG_EDGE = 2000
THUMB_LONG_EDGE = 480
BROCHURE_PHOTOS = 4
