"""How long the nightly jobs' own rows are kept: the snapshots partitioned by night and the readiness
rows. Everything else is a record of the programs and is never deleted (docs/data.md).

Each night writes about a hundred thousand snapshot rows per program and one readiness row per
person near discharge (at ten times Missouri: 600,000 compliance rows, 100,000 pace rows and 68,000
readiness rows a night). What reads them:

- the pages and the nightly comparisons read the last night, and an obligation's page its last 30
  nights (``restitution.selectors.snapshot_history``);
- trends over years need one night a month;
- the "completed everything before discharge" report reads each person's last readiness row before
  their supervision end.

So the rule, run by the ``retention`` job (``core.jobs``) after the night's jobs:

- every night is kept for ``SNAPSHOT_NIGHTS_KEPT`` nights (92 by default, a quarter);
- after that, the first night of each month is kept for ``SNAPSHOT_MONTHS_KEPT`` months (84 by
  default, seven years), the other nights' partitions are dropped, and older months' too;
- readiness rows older than ``SNAPSHOT_NIGHTS_KEPT`` nights are deleted, except each person's last row
  for each supervision end date (the discharge report's row), which is kept as long as the person's record.

Both numbers are settings (environment variables of the same names): an agency with its own records
schedule sets them. The snapshot tables are found in the database's catalog (every table partitioned
by list whose partitions are named ``<table>_YYYYMMDD``, as ``core.partitions.night_partition`` names
them), so core names no app.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import connection, transaction
from psycopg import sql

from core.partitions import night_partition


def nights_kept() -> int:
    return settings.SNAPSHOT_NIGHTS_KEPT


def months_kept() -> int:
    return settings.SNAPSHOT_MONTHS_KEPT


def _months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def nights_to_drop(nights, *, today: dt.date, keep_nights: int, keep_months: int) -> list[dt.date]:
    """Of ``nights`` (the dates a snapshot holds), those the rule lets go: older than ``keep_nights``
    nights before ``today`` and either not the first night held in their month or in a month older
    than ``keep_months`` months."""
    nights = sorted(set(nights))
    cutoff = today - dt.timedelta(days=keep_nights)
    oldest_month = _months_back(today, keep_months)
    first_of_month: dict[tuple[int, int], dt.date] = {}
    for night in nights:
        first_of_month.setdefault((night.year, night.month), night)
    return [
        night
        for night in nights
        if night < cutoff and (night < oldest_month or first_of_month[(night.year, night.month)] != night)
    ]


def snapshot_nights() -> dict[str, list[dt.date]]:
    """Every table partitioned by night, with the nights its partitions hold: one catalog query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT parent.relname, child.relname
                 FROM pg_partitioned_table pt
                 JOIN pg_class parent ON parent.oid = pt.partrelid
                 JOIN pg_namespace ns ON ns.oid = parent.relnamespace AND ns.nspname = current_schema()
                 JOIN pg_inherits i ON i.inhparent = parent.oid
                 JOIN pg_class child ON child.oid = i.inhrelid
                WHERE pt.partstrat = 'l'"""
        )
        found: dict[str, list[dt.date]] = {}
        for parent, child in cursor.fetchall():
            match = re.fullmatch(re.escape(parent) + r"_(\d{8})", child)
            if match:
                day = match[1]
                found.setdefault(parent, []).append(dt.date(int(day[:4]), int(day[4:6]), int(day[6:])))
    return found


def snapshots_prune(today: dt.date) -> int:
    """Drop the snapshot partitions the rule lets go; returns how many. Each table in its own short
    transaction, waiting at most 10 s for its lock (a page reading the table holds it back)."""
    dropped = 0
    for table, nights in sorted(snapshot_nights().items()):
        gone = nights_to_drop(nights, today=today, keep_nights=nights_kept(), keep_months=months_kept())
        if not gone:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '10s'")
            cursor.execute(
                sql.SQL("DROP TABLE {}").format(
                    sql.SQL(", ").join(sql.Identifier(night_partition(table, night)) for night in gone)
                )
            )
        dropped += len(gone)
    return dropped


# A readiness row older than the cutoff goes once a later night holds a row of the same person and end
# date; the others are each person's last row before that end date, kept and marked ``retained`` so that
# later nights never look at them again (the partial index ``core_readiness_to_review``). Night by night:
# a night's rows are matched with the next night that has rows, by a hash join of two nights (about
# 70,000 rows each at ten times Missouri). A person who left the window that night and came back later
# with the same end date keeps one row more than needed: the rule only deletes what a later row proves
# superseded, and the discharge report reads the latest row of each person and end date anyway.
_NIGHTS_TO_REVIEW = (
    """SELECT DISTINCT as_of FROM core_readiness WHERE as_of < %(cutoff)s AND NOT retained ORDER BY as_of"""
)
_NEXT_NIGHT = "SELECT min(as_of) FROM core_readiness WHERE as_of > %(night)s"
_SUPERSEDED_DELETE = """
    DELETE FROM core_readiness r USING core_readiness later
     WHERE r.as_of = %(night)s AND NOT r.retained
       AND later.as_of = %(next)s AND later.offender_id = r.offender_id
       AND later.supervision_end_date = r.supervision_end_date
"""
_LAST_KEEP = "UPDATE core_readiness SET retained = true WHERE as_of = %(night)s AND NOT retained"


def readiness_prune(today: dt.date) -> int:
    """Delete the readiness rows the rule lets go and mark the last ones kept; returns how many went."""
    cutoff = today - dt.timedelta(days=nights_kept())
    gone = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_NIGHTS_TO_REVIEW, {"cutoff": cutoff})
        for (night,) in cursor.fetchall():
            cursor.execute(_NEXT_NIGHT, {"night": night})
            (following,) = cursor.fetchone()
            if following is not None:
                cursor.execute(_SUPERSEDED_DELETE, {"night": night, "next": following})
                gone += cursor.rowcount
            cursor.execute(_LAST_KEEP, {"night": night})
    return gone
