"""Shared start-up for benchmark scripts: Django configured from the environment, like the app."""

import os
import sys
from contextlib import contextmanager
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


@contextmanager
def throwaway_database(*, keep: bool = False):
    """The configured engine's test database, created for the benchmark and destroyed after it (kept and
    reused with ``keep``). Call after django_setup()."""
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=not keep, keepdb=keep, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def seed_demo(people: int) -> None:
    """Every app's demo data, as `make run` loads it (the seed_demo command), with ``people`` offenders."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", offenders=people, stdout=io.StringIO())
