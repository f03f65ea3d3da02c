"""Shared start-up for benchmark scripts: Django configured from the environment, like the app."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rjadmin.settings")
    import django

    django.setup()


# Helpers of the SQL-heavy benchmarks (compliance, community_service, victims); call after django_setup().
def log(message: str) -> None:
    """Progress on stderr: stdout holds only the JSON line."""
    print(message, file=sys.stderr, flush=True)


def execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]
