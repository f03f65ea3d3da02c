"""Snapshot tables partitioned by night: how a nightly job writes its night.

A nightly job that stores a row per open item and night (the compliance snapshot, the community
service pace snapshot) writes about a hundred thousand rows or more in one statement. Such a table
is partitioned by its date column, one partition a night (the apps' migrations make it so; Django
does not know, and needs not). The night is written by ``night_write``:

1. ``CREATE TABLE <night>_new AS SELECT ...``: the rows go into a fresh table in bulk (PostgreSQL's
   bulk-insert path, about a third cheaper than ``INSERT ... SELECT`` a row at a time), each column
   cast to the parent's type so the table can be attached;
2. one ``ALTER TABLE`` adds the parent's NOT NULL and CHECK constraints and a check that every row
   is of that night, validated in a single pass, so attaching need not read the rows again;
3. a rerun's old partition of that night is dropped (the night's rows are replaced as a whole);
4. the fresh table takes the partition's name and is attached: PostgreSQL builds its key and the
   parent's other indexes in one pass each.

There is no default partition: a row for a night without a partition is refused rather than kept
where the next attach would trip on it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from psycopg import sql

from core import freshness


def tune_session(cursor, *, work_mem: str | None = None) -> None:
    """For a nightly batch statement, inside a transaction: PostgreSQL's JIT would spend longer compiling
    (its cost estimates for the engines' CTEs are far too high) than the query takes to run, and a
    nightly batch may sort and hash in memory rather than on disk. ``SET LOCAL`` ends with the
    transaction."""
    cursor.execute("SET LOCAL jit = off")
    if work_mem:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])


def night_partition(table: str, night: dt.date) -> str:
    """The name of ``table``'s partition for ``night``."""
    return f"{table}_{night:%Y%m%d}"


def _columns(cursor, table: str) -> list[tuple[str, str, bool]]:
    """``table``'s columns in their order: (name, type as declared, NOT NULL)."""
    cursor.execute(
        """SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
           WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum""",
        [table],
    )
    return cursor.fetchall()


def _checks(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'c'",
        [table],
    )
    return cursor.fetchall()


def night_write(
    *, table: str, key: str, night: dt.date, select_sql: str, params, work_mem: str | None = None
) -> tuple[int, bool]:
    """Write ``night``'s partition of ``table`` (partitioned by LIST on its date column ``key``) from
    ``select_sql``, a SELECT whose output columns are named as ``table``'s (any order; ``params`` are
    its parameters, a list or a dict). Replaces the night's partition if there is one. Call it
    inside the job's transaction; returns (rows written, whether it replaced a partition).

    For the rest of the transaction the session is tuned for the batch (``tune_session``)."""
    partition = night_partition(table, night)
    fresh = f"{partition}_new"
    literal = sql.SQL("DATE {}").format(sql.Literal(night.isoformat()))
    with connection.cursor() as cursor:
        tune_session(cursor, work_mem=work_mem)
        columns = _columns(cursor, table)
        checks = _checks(cursor, table)
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partition])
        rerun = cursor.fetchone()[0]
        casts = sql.SQL(", ").join(
            sql.SQL("q.{name}::{kind} AS {name}").format(name=sql.Identifier(name), kind=sql.SQL(kind))
            for name, kind, _ in columns
        )
        create = sql.SQL("CREATE TABLE {fresh} AS SELECT {casts} FROM ({select}) q").format(
            fresh=sql.Identifier(fresh), casts=casts, select=sql.SQL(select_sql)
        )
        cursor.execute(create.as_string(cursor.connection), params)
        rows = cursor.rowcount
        constraints = [
            sql.SQL("ALTER {} SET NOT NULL").format(sql.Identifier(name)) for name, _, not_null in columns if not_null
        ]
        constraints += [
            sql.SQL("ADD CONSTRAINT {} {}").format(sql.Identifier(name), sql.SQL(definition))
            for name, definition in checks
        ]
        constraints.append(
            sql.SQL("ADD CONSTRAINT {} CHECK ({} = {})").format(
                sql.Identifier(f"{partition}_night"), sql.Identifier(key), literal
            )
        )
        cursor.execute(sql.SQL("ALTER TABLE {} {}").format(sql.Identifier(fresh), sql.SQL(", ").join(constraints)))
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(partition)))
        cursor.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(sql.Identifier(fresh), sql.Identifier(partition)))
        cursor.execute(
            sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES IN ({})").format(
                sql.Identifier(table), sql.Identifier(partition), literal
            )
        )
    freshness.written(connection)
    return rows, rerun
