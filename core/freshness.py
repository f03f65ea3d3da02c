"""Cached figures that are never older than the last write: one data version, bumped by every write.

The dashboard's panels and the public page's figures read across apps (the restitution caseload
alone reads every program registered beside it), so a list of the tables each panel depends on
would be a list that someone forgets to extend. Instead there is one **data version** for the
whole database, and every write changes it:

- ``install(connection)`` puts an execute wrapper on each database connection (Django's
  ``connection.execute_wrappers``). Any ``INSERT``, ``UPDATE``, ``DELETE``, ``COPY`` or
  ``TRUNCATE``, whether it comes from the ORM, a bulk operation, a queryset ``update()``, a job's
  raw SQL or an import, marks the data changed, unless its table is one of ``QUIET_TABLES``
  (sessions, the access audit and read logs: bookkeeping that no figure counts).
- Each write statement bumps the version at once, and a transaction bumps it once more when it
  commits. The bump at commit is what makes the cache right for other connections: a reader that
  computed figures while the transaction was open (without its rows) stored them under a version
  that the commit replaces. The bumps at each statement make it right for the writing connection
  itself (a test, a request that writes then reads). A rolled-back transaction only costs a miss.
  A bump is one cache write (about 0.1 ms on Redis), cheap beside the statement it follows.
- The version lives in Django's cache (Redis when ``REDIS_URL`` is set, shared by every worker;
  otherwise a file cache in ``var/`` shared by the processes of ``make run``). A new version is a
  fresh ``time.time_ns()``-based token, set, not incremented, so an evicted key never brings an old
  version back and no backend needs an atomic increment.

``cached(key, build)`` keeps ``build()``'s result under ``key`` plus the current version; a write
anywhere makes every cached figure miss once. That is coarse on purpose: figures are read far more
often than they are written (a dashboard per sign-in, a public page per visitor), and a coarse rule
cannot be wrong by omission.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

VERSION_KEY = "rj:data-version"  # plus the database's name: see _db()
CACHE_SECONDS = 6 * 3600

# Writes to these tables change no figure: a session touched by every request, the access logs.
QUIET_TABLES = frozenset({"django_session", "core_auditevent", "victims_readlog"})

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?([\w.]+)"?',
    re.IGNORECASE,
)
_counter = itertools.count()


def _new_token() -> str:
    return f"{time.time_ns():x}.{os.getpid():x}.{next(_counter):x}"


def _db() -> str:
    # The database's name as the connection has it now (the test database's during tests), so a
    # development server and a test run on one machine never share a version or a figure.
    return connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]


def bump() -> str:
    """Give the data a new version (every cached figure misses once)."""
    token = _new_token()
    cache.set(f"{VERSION_KEY}:{_db()}", token, None)
    return token


def version() -> str:
    """The current data version, one cache read. A missing key (a cold or cleared cache) starts one."""
    key = f"{VERSION_KEY}:{_db()}"
    token = cache.get(key)
    if token is None:
        token = _new_token()
        if not cache.add(key, token, None):
            token = cache.get(key) or token
    return token


def cached(key: str, build: Callable[[], object], *, timeout: int = CACHE_SECONDS):
    """``build()``'s result, kept under ``key`` for the current data version."""
    full_key = f"rj:fresh:{_db()}:{key}:{version()}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def is_write(sql: str) -> bool:
    """Whether ``sql`` changes a table whose rows a figure may count."""
    match = _WRITE.match(sql)
    if match is None:
        return False
    return match.group(1).rsplit(".", 1)[-1].lower() not in QUIET_TABLES


def _bump_on_commit():
    bump()


_bump_on_commit.rj_bump = True


def _bump_pending(connection) -> bool:
    # Django drops the callbacks of a rolled-back block, so a rollback leaves nothing stale here.
    return any(getattr(item[1], "rj_bump", False) for item in connection.run_on_commit)


def written(connection) -> None:
    """Record a write on ``connection``: now, and again when its transaction commits. The execute
    wrapper calls it; so does a write that bypasses ``execute`` (``COPY`` in ``core.bulk``)."""
    bump()
    if connection.in_atomic_block and not _bump_pending(connection):
        transaction.on_commit(_bump_on_commit, using=connection.alias)


def _wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and is_write(sql):
        written(context["connection"])
    return result


def install(sender=None, connection=None, **kwargs):
    """``connection_created`` receiver: watch this connection's writes."""
    if connection is not None and _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)
