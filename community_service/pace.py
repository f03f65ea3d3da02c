"""The community service pace rule: the one place it is written, twice (in Python, the reference, and
in SQL, the engine), and the property tests hold the two together (tests/community_service/test_pace.py).

For an open order of H hours with order date O and due date U, as of day D (orders dated after D are
not yet counted), its pace runs from its start S:

- S = O for a concurrent order. A consecutive order (one that ``follows`` another) starts when the order
  it follows ends: S = max(O, E), where E is the day that order was closed (completed, revoked,
  converted) if it was closed on or before D, else its due date (what was known on D);
- expected = H x min(1, max(0, D - S) / (U - S)), in days, rounded to the hundredth of an hour, half up;
  when the order it follows runs to or past U (S >= U, no days left), expected is 0 before U and H from U;
- credited = the verified hours (standing, not void) of the order dated on or before D (the engine
  reads it as the order's running total, ``Order.credited_total``, less the credited hours dated after
  D, so it reads only the logs of the last 8 weeks and later);
- behind = max(0, expected - credited);
- recent = the credited hours dated in the 8 weeks ending on D (D - 55 to D);
- status, first match wins: COMPLETED (credited >= H); PAST DUE (D > U, hours left); BEHIND
  (behind > 10% of H); else ON PACE;
- projected completion, with hours left: D + the days the remaining hours take at the average weekly
  pace of the last 8 weeks, ceil(remaining x 56 / recent) days; none when nothing was credited in those
  8 weeks or when it would take more than 100 years (``MAX_PROJECTION_DAYS``);
- flagged ``projected_late`` when there is no projection or it falls after U, and
  ``after_supervision`` when the person's supervision ends before the projection (or there is none).

Exact arithmetic in both: the reference counts in hundredths (integers); the SQL rounds ``expected``
in integer hundredths too and takes the projection's ceiling of an exact ``numeric`` quotient, so
both give the same figures (the Hypothesis tests hold them together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .choices import BEHIND_SHARE, RECENT_DAYS, PaceStatus

MAX_PROJECTION_DAYS = 36525
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Pace:
    hours_ordered: Decimal
    expected: Decimal
    credited: Decimal
    behind: Decimal
    recent: Decimal
    projected_on: dt.date | None
    projected_late: bool
    after_supervision: bool
    status: str

    def as_tuple(self) -> tuple:
        return (
            self.hours_ordered,
            self.expected,
            self.credited,
            self.behind,
            self.recent,
            self.projected_on,
            self.projected_late,
            self.after_supervision,
            str(self.status),
        )

    @property
    def remaining(self) -> Decimal:
        return max(Decimal("0.00"), self.hours_ordered - self.credited)


def _cents(value: Decimal) -> int:
    cents = Decimal(value) * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(cents)


def _hours(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def evaluate(
    *,
    hours_ordered: Decimal,
    ordered_on: dt.date,
    due_on: dt.date,
    as_of: dt.date,
    credited_logs: Iterable[tuple[dt.date, Decimal]],
    supervision_end: dt.date | None = None,
    follows: tuple[dt.date, dt.date | None] | None = None,
) -> Pace:
    """The rule as written, for one order: ``credited_logs`` are (date, hours) of its verified logs;
    ``follows``, for a consecutive order, the (due date, closed on or None) of the order it follows."""
    if due_on <= ordered_on:
        raise ValueError("The due date must be after the order date.")
    start = ordered_on
    if follows is not None:
        follows_due, follows_closed = follows
        end = follows_closed if follows_closed is not None and follows_closed <= as_of else follows_due
        start = max(ordered_on, end)
    total = (due_on - start).days
    h = _cents(hours_ordered)
    if total <= 0:  # the order it follows runs to or past this one's due date: all of it falls due then
        expected = h if as_of >= due_on else 0
    else:
        elapsed = min(max(0, (as_of - start).days), total)
        expected = (2 * h * elapsed + total) // (2 * total)  # h x elapsed / total, half up, in cents
    credited = recent = 0
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    for day, hours in credited_logs:
        if day <= as_of:
            credited += _cents(hours)
            if day >= recent_from:
                recent += _cents(hours)
    behind = max(0, expected - credited)
    if credited >= h:
        status = PaceStatus.COMPLETED
    elif as_of > due_on:
        status = PaceStatus.PAST_DUE
    elif Decimal(behind) > BEHIND_SHARE * h:
        status = PaceStatus.BEHIND
    else:
        status = PaceStatus.ON_PACE
    projected, late, after = None, False, False
    remaining = h - credited
    if remaining > 0:
        if recent > 0:
            days = -(-remaining * RECENT_DAYS // recent)
            if days <= MAX_PROJECTION_DAYS:
                projected = as_of + dt.timedelta(days=days)
        late = projected is None or projected > due_on
        after = supervision_end is not None and (projected is None or projected > supervision_end)
    return Pace(
        hours_ordered=_hours(h),
        expected=_hours(expected),
        credited=_hours(credited),
        behind=_hours(behind),
        recent=_hours(recent),
        projected_on=projected,
        projected_late=late,
        after_supervision=after,
        status=status,
    )


# The engine ----------------------------------------------------------------------------------------
# One row per open order: its figures as of %(d)s, in exact integer hundredths. ``{orders}`` and
# ``{logs}`` narrow it (to some people's orders for a page; nothing for the nightly job).
_ENGINE = """
WITH s AS (
    -- the start of each open order: its order date, or for a consecutive one the end of the order it
    -- follows (closed on or before the day, else its due date) when later
    SELECT o.id, o.offender_id, o.due_on, o.hours_ordered AS h, o.credited_total, p.supervision_end_date AS sup_end,
           CASE WHEN o.follows_id IS NULL THEN o.ordered_on
                ELSE GREATEST(o.ordered_on, CASE WHEN prior.closed_on <= %(d)s::date THEN prior.closed_on
                                                 ELSE prior.due_on END) END AS start_on
      FROM community_service_order o
      JOIN core_offender p ON p.id = o.offender_id
      LEFT JOIN community_service_order prior ON prior.id = o.follows_id
     WHERE o.status = 'open' AND o.ordered_on <= %(d)s::date {orders}
), o AS (
    SELECT s.id, s.offender_id, s.due_on, s.h, s.credited_total, s.sup_end,
           LEAST(GREATEST(%(d)s::date - s.start_on, 0), s.due_on - s.start_on)::bigint AS elapsed,
           (s.due_on - s.start_on)::bigint AS total
      FROM s
), c AS (
    -- credited by D is the order's running total less the credited hours dated after D (none when D is
    -- today: no hours are logged in the future), so only the logs of the last 8 weeks and later are read
    SELECT l.order_id,
           COALESCE(SUM(l.credited_hours) FILTER (WHERE l.date > %(d)s::date), 0) AS later,
           COALESCE(SUM(l.credited_hours) FILTER (WHERE l.date <= %(d)s::date), 0) AS recent
      FROM community_service_hourlog l
     WHERE l.verification = 'verified' AND l.voided_at IS NULL AND l.date > %(d)s::date - {recent_days} {logs}
     GROUP BY l.order_id
), f AS (
    SELECT o.id, o.offender_id, o.due_on, o.sup_end, o.h,
           -- h x elapsed / total in hundredths, half up, in integers: exactly the reference's rounding;
           -- no days left (a consecutive order whose prior one runs past its due date): all of it at U
           CASE WHEN o.total <= 0 THEN CASE WHEN %(d)s::date >= o.due_on THEN o.h ELSE 0 END
                ELSE ((2 * (o.h * 100)::bigint * o.elapsed + o.total) / (2 * o.total)) * 0.01 END AS expected,
           o.credited_total - COALESCE(c.later, 0) AS credited,
           COALESCE(c.recent, 0) AS recent
      FROM o LEFT JOIN c ON c.order_id = o.id
), g AS (
    SELECT f.*,
           CASE WHEN f.h > f.credited AND f.recent > 0 THEN ceil((f.h - f.credited) * {recent_days} / f.recent) END
               AS days
      FROM f
)
SELECT g.id, g.offender_id, g.h AS hours_ordered, g.expected, g.credited,
       GREATEST(g.expected - g.credited, 0) AS behind,
       g.recent,
       CASE WHEN g.days <= {max_days} THEN %(d)s::date + g.days::integer END AS projected_on,
       (g.h > g.credited AND (g.days IS NULL OR g.days > {max_days} OR %(d)s::date + g.days::integer > g.due_on))
           AS projected_late,
       (g.h > g.credited AND g.sup_end IS NOT NULL
        AND (g.days IS NULL OR g.days > {max_days} OR %(d)s::date + g.days::integer > g.sup_end)) AS after_supervision,
       CASE WHEN g.credited >= g.h THEN 'completed'
            WHEN %(d)s::date > g.due_on THEN 'past_due'
            WHEN GREATEST(g.expected - g.credited, 0) * {behind_den} > g.h * {behind_num} THEN 'behind'
            ELSE 'on_pace' END AS status
  FROM g
"""

FIGURE_COLUMNS = (
    "hours_ordered, expected, credited, behind, recent, projected_on, projected_late, after_supervision, status"
)


def _engine(*, orders: str = "", logs: str = "") -> str:
    num, den = BEHIND_SHARE.as_integer_ratio()
    return _ENGINE.format(
        orders=orders,
        logs=logs,
        recent_days=RECENT_DAYS,
        max_days=MAX_PROJECTION_DAYS,
        behind_num=num,
        behind_den=den,
    )


def pace_query(as_of: dt.date, *, offender_ids: list[int] | None = None, order_ids: list[int] | None = None):
    """The live figures of open orders (optionally of some people or some orders): ``(sql, params)``,
    rows ``id, offender_id, <FIGURE_COLUMNS>`` ordered by order id."""
    orders = logs = ""
    params: dict = {"d": as_of}
    if offender_ids is not None:
        orders += " AND o.offender_id = ANY(%(people)s)"
        logs += " AND l.offender_id = ANY(%(people)s)"
        params["people"] = list(offender_ids)
    if order_ids is not None:
        orders += " AND o.id = ANY(%(orders)s)"
        logs += " AND l.order_id = ANY(%(orders)s)"
        params["orders"] = list(order_ids)
    return _engine(orders=orders, logs=logs) + " ORDER BY g.id", params


def snapshot_select_query(as_of: dt.date, previous: dt.date | None):
    """Every open order's figures for ``as_of``, its columns named as the snapshot's, with the status
    of the snapshot of ``previous`` (the date before, if any) beside each: ``(sql, params)``. The
    job writes it as the night's partition (``core.partitions.night_write``); in no particular order,
    since the partition's key is built afterwards."""
    sql = f"""
        SELECT %(d)s::date AS as_of, e.id AS order_id, {", ".join(f"e.{c}" for c in FIGURE_COLUMNS.split(", "))},
               COALESCE(prev.status, '') AS previous_status
          FROM ({_engine()}) e
          LEFT JOIN community_service_pacesnapshot prev ON prev.as_of = %(prev)s AND prev.order_id = e.id
    """
    return sql, {"d": as_of, "prev": previous}
