"""Reads other pages, apps, reports and figures need, each taking ``user`` and applying ``.restrict(user)``."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from core.querysets import VIEW

from .models import Order
from .pace import Pace, pace_query

_FIELDS = tuple(Pace.__dataclass_fields__)


def _run(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pace(row) -> Pace:
    return Pace(**dict(zip(_FIELDS, row[2:], strict=True)))


def pace_for_orders(user, order_ids, as_of: dt.date) -> dict[int, Pace]:
    """The live pace of those open orders the user may see, by order id (two queries)."""
    ids = list(Order.objects.restrict(user, VIEW).filter(pk__in=list(order_ids)).values_list("pk", flat=True))
    if not ids:
        return {}
    return {row[0]: _pace(row) for row in _run(*pace_query(as_of, order_ids=ids))}


def pace_for_people(offender_ids, as_of: dt.date) -> dict[int, list[tuple[int, Pace]]]:
    """The live pace of the open orders of people already read through ``.restrict()`` (one query):
    ``{offender_id: [(order_id, pace), ...]}``."""
    found: dict[int, list[tuple[int, Pace]]] = {}
    for row in _run(*pace_query(as_of, offender_ids=list(offender_ids))):
        found.setdefault(row[1], []).append((row[0], _pace(row)))
    return found
