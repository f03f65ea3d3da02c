"""Writing many rows at once, for imports of large files: ids reserved in one query, rows sent with
PostgreSQL's ``COPY`` (tens of times faster than ``INSERT`` through the ORM, which builds and adapts
every value of every row in Python), and the history rows simple-history would have written.

These bypass ``save()``, ``full_clean()`` and signals: the caller has checked every row by the
rules its services apply, and holds the locks they take. The data version of ``core.freshness`` is
bumped as for any write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from psycopg import sql

from core import freshness


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys from the model's sequence, in one query."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """``COPY`` the rows (tuples in the order of ``columns``, the fields' attnames) into the model's
    table; returns how many. Runs in the caller's transaction."""
    names = [model._meta.get_field(name).column for name in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    count = 0
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    if count:
        freshness.written(connection)
    return count


def copy_created_history(model: type[Model], rows: Iterable[dict], *, user=None, when=None) -> int:
    """The "created" history rows of new records (``rows``: each record's tracked fields by attname,
    its primary key included), as simple-history writes them on ``save()``."""
    history = model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    when = when or timezone.now()
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    columns = [*tracked, "history_date", "history_type", "history_user_id", "history_change_reason"]
    return copy_rows(history, columns, ((*(row[name] for name in tracked), when, "+", user_id, None) for row in rows))
