"""The compliance rule of the design, twice: a plain-Python reference and set-based SQL.

For an obligation with ordered amount A, as of day D:

- the schedule is the due dates of its (active) payment plans: a plan with monthly installment M
  and first due date F is due on F, F+1 month, F+2 months, ... (F's day of the month, moved to the
  month's last day where the month is shorter), each for M, until the next plan's first due date;
- expected = min(A, the installments due on or before D); paid = the allocations dated on or before
  D (a reversal is a negative allocation on its own date); balance = A - paid;
  arrears = max(0, expected - paid);
- days past due = D minus the due date of the earliest installment whose running total (capped
  at A) exceeds paid; 0 when arrears = 0;
- status: WAIVED when the court waived it (on or before D); PAID IN FULL when balance <= 0;
  UNSCHEDULED with no plan; CURRENT when arrears = 0; DELINQUENT at 60 days past due or more;
  LATE otherwise. A waived obligation has no arrears.

``evaluate`` reads the rule as written (it walks the installments) and serves one obligation
live and the tests. ``compliance_query`` computes the same for every obligation at once without
walking installments: per plan segment, the number of installments due by the cut-off date is a
month difference plus one when the due day has come, so the job never generates a schedule row.
The SQL has one text for PostgreSQL and one for SQLite (dates and exact money differ); the tests
check both against ``evaluate``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from .choices import DELINQUENT_DAYS, ComplianceStatus
from .money import ZERO, from_cents, quantize


@dataclass(frozen=True)
class Figures:
    """One obligation's compliance as of one date (money as Decimal)."""

    obligation_id: int | None
    offender_id: int | None
    as_of: dt.date
    ordered_amount: Decimal
    paid: Decimal
    balance: Decimal
    expected: Decimal
    arrears: Decimal
    days_past_due: int
    past_due_since: dt.date | None
    status: str

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label

    def as_tuple(self) -> tuple:
        """The fields both implementations must agree on (tests compare these)."""
        return (
            self.ordered_amount,
            self.paid,
            self.balance,
            self.expected,
            self.arrears,
            self.days_past_due,
            self.past_due_since,
            self.status,
        )


# The plain-Python reference ---------------------------------------------------------------------


def add_months(first: dt.date, months: int) -> dt.date:
    """``first`` moved ``months`` months on, keeping its day or the month's last day when shorter."""
    year, month0 = divmod(first.month - 1 + months, 12)
    year += first.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(first.day, last))


def installments(plans: Iterable[tuple[dt.date, Decimal]], until: dt.date) -> Iterator[tuple[dt.date, Decimal]]:
    """The due dates (on or before ``until``) of active plans ``(first_due_on, monthly_amount)``."""
    ordered = sorted(plans)
    for index, (first, monthly) in enumerate(ordered):
        takeover = ordered[index + 1][0] if index + 1 < len(ordered) else None
        k = 0
        while True:
            due = add_months(first, k)
            if due > until or (takeover is not None and due >= takeover):
                break
            yield due, monthly
            k += 1


def evaluate(
    *,
    ordered_amount: Decimal,
    plans: Iterable[tuple[dt.date, Decimal]],
    allocations: Iterable[tuple[dt.date, Decimal]],
    as_of: dt.date,
    waived_on: dt.date | None = None,
    obligation_id: int | None = None,
    offender_id: int | None = None,
) -> Figures:
    """The rule for one obligation, step by step as the design states it."""
    plans = [(f, quantize(m)) for f, m in plans]
    amount = quantize(ordered_amount)
    paid = quantize(sum((quantize(a) for d, a in allocations if d <= as_of), ZERO))
    balance = amount - paid
    schedule = list(installments(plans, as_of))
    expected = min(amount, sum((m for _, m in schedule), ZERO))
    arrears = max(ZERO, expected - paid)
    days, since = 0, None
    if arrears > 0:
        running = ZERO
        for due, monthly in schedule:
            running += monthly
            if min(running, amount) > paid:
                days, since = (as_of - due).days, due
                break
    if waived_on is not None and waived_on <= as_of:
        status = ComplianceStatus.WAIVED
        arrears, days, since = ZERO, 0, None
    elif balance <= 0:
        status = ComplianceStatus.PAID_IN_FULL
    elif not plans:
        status = ComplianceStatus.UNSCHEDULED
    elif arrears == 0:
        status = ComplianceStatus.CURRENT
    elif days >= DELINQUENT_DAYS:
        status = ComplianceStatus.DELINQUENT
    else:
        status = ComplianceStatus.LATE
    return Figures(
        obligation_id=obligation_id,
        offender_id=offender_id,
        as_of=as_of,
        ordered_amount=amount,
        paid=paid,
        balance=balance,
        expected=expected,
        arrears=arrears,
        days_past_due=days,
        past_due_since=since,
        status=str(status),
    )


def evaluate_obligation(obligation, as_of: dt.date) -> Figures:
    """Live figures for one obligation (uses prefetched ``plans`` and ``allocations`` when present)."""
    plans = [(p.first_due_on, p.monthly_amount) for p in obligation.plans.all() if p.replaced_at is None]
    allocations = [(a.allocated_on, a.amount) for a in obligation.allocations.all()]
    return evaluate(
        ordered_amount=obligation.ordered_amount,
        plans=plans,
        allocations=allocations,
        as_of=as_of,
        waived_on=obligation.closed_on if obligation.status == "waived" else None,
        obligation_id=obligation.pk,
        offender_id=obligation.offender_id,
    )


# Set-based SQL ----------------------------------------------------------------------------------


class _Dialect:
    """The few expressions that differ between PostgreSQL and SQLite. Money is whole cents inside."""

    def __init__(self, vendor: str):
        if vendor not in ("postgresql", "sqlite"):
            raise ImproperlyConfigured(f"The compliance engine has SQL for PostgreSQL and SQLite, not {vendor}.")
        self.vendor = vendor
        self.pg = vendor == "postgresql"

    def cents(self, x: str) -> str:
        return f"CAST(({x}) * 100 AS bigint)" if self.pg else f"CAST(ROUND(({x}) * 100) AS INTEGER)"

    def sum_cents(self, x: str) -> str:
        # PostgreSQL sums numeric exactly and faster than it converts every row; SQLite's decimals are
        # floats, so it sums whole cents.
        return f"CAST(SUM({x}) * 100 AS bigint)" if self.pg else f"SUM(CAST(ROUND(({x}) * 100) AS INTEGER))"

    def money_out(self, x: str) -> str:
        return f"(CAST({x} AS numeric) / 100)" if self.pg else f"(({x}) / 100.0)"

    @property
    def date_param(self) -> str:
        return "CAST(%s AS date)" if self.pg else "%s"

    def months_between(self, later: str, earlier: str) -> str:
        if self.pg:
            return (
                f"CAST((date_part('year', {later}) - date_part('year', {earlier})) * 12"
                f" + date_part('month', {later}) - date_part('month', {earlier}) AS integer)"
            )
        return (
            f"((CAST(strftime('%%Y', {later}) AS INTEGER) - CAST(strftime('%%Y', {earlier}) AS INTEGER)) * 12"
            f" + CAST(strftime('%%m', {later}) AS INTEGER) - CAST(strftime('%%m', {earlier}) AS INTEGER))"
        )

    def month_number(self, x: str) -> str:
        if self.pg:
            return f"CAST(date_part('year', {x}) * 12 + date_part('month', {x}) AS integer)"
        return f"(CAST(strftime('%%Y', {x}) AS INTEGER) * 12 + CAST(strftime('%%m', {x}) AS INTEGER))"

    def day(self, x: str) -> str:
        return f"date_part('day', {x})" if self.pg else f"CAST(strftime('%%d', {x}) AS INTEGER)"

    def is_month_end(self, x: str) -> str:
        if self.pg:
            return f"date_part('month', {x} + 1) <> date_part('month', {x})"
        return f"strftime('%%m', {x}, '+1 day') <> strftime('%%m', {x})"

    def day_before(self, x: str) -> str:
        return f"({x} - 1)" if self.pg else f"date({x}, '-1 day')"

    def add_months(self, first: str, months: str) -> str:
        if self.pg:
            # PostgreSQL's month arithmetic already moves the 31st to a shorter month's last day.
            return f"CAST({first} + make_interval(months => CAST({months} AS integer)) AS date)"
        # SQLite overflows into the next month instead: take the month's first day, add the day, clamp.
        return (
            f"min(date({first}, 'start of month', '+' || ({months}) || ' months', "
            f"'+' || (CAST(strftime('%%d', {first}) AS INTEGER) - 1) || ' days'), "
            f"date({first}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day'))"
        )

    def days_between(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _engine_sql(d: _Dialect, *, filtered: bool, open_only: bool) -> str:
    """The query text with ``{D}`` for the as-of date and ``{FILTER}`` for a subquery of obligation ids.

    Per active plan: ``e`` is the last day it is in force (the day before the next plan's first due
    date, or D, whose month number and day are constants); ``n`` its installments due by then (a
    month difference, plus one when e has reached the due day or is its month's last day); ``cum``
    the running total of installments over the obligation's plans. The last plan's ``cum`` is the
    whole schedule due by D, and the plan whose range ``[cum - amt, cum)`` holds what was paid
    holds the earliest unpaid installment (one join).
    """
    flt = " AND o.id IN ({FILTER})" if filtered else ""
    still_open = " AND (o.closed_on IS NULL OR o.closed_on >= {D})" if open_only else ""

    def only(col):
        return f" AND {col} IN (SELECT id FROM ob)" if filtered else ""

    D = "{D}"
    return f"""
WITH ob AS (
    SELECT o.id, o.offender_id, {d.cents("o.ordered_amount")} AS a, o.status, o.closed_on
    FROM restitution_obligation o
    WHERE o.ordered_on <= {D}{still_open}{flt}
),
pd AS (
    SELECT al.obligation_id AS id, {d.sum_cents("al.amount")} AS paid
    FROM restitution_allocation al
    WHERE al.obligation_id IS NOT NULL AND al.allocated_on <= {D}{only("al.obligation_id")}
    GROUP BY al.obligation_id
),
pl AS (
    SELECT p.obligation_id AS id, {d.cents("p.monthly_amount")} AS m, p.first_due_on AS f,
           LEAD(p.first_due_on) OVER (PARTITION BY p.obligation_id ORDER BY p.first_due_on) AS nf
    FROM restitution_paymentplan p
    WHERE p.replaced_at IS NULL{only("p.obligation_id")}
),
s0 AS (
    SELECT id, m, f, nf, {d.day_before("nf")} AS e FROM pl
),
s1 AS (
    SELECT id, m, f, nf,
           CASE WHEN nf IS NOT NULL AND nf <= {D} THEN
                    CASE WHEN e < f THEN 0
                         ELSE {d.months_between("e", "f")}
                              + CASE WHEN {d.day("f")} <= {d.day("e")} OR {d.is_month_end("e")} THEN 1 ELSE 0 END
                    END
                WHEN {D} < f THEN 0
                ELSE {{D_MONTH}} - {d.month_number("f")} + CASE WHEN {d.day("f")} <= {{D_DAY}} THEN 1 ELSE 0 END
           END AS n
    FROM s0
),
s2 AS (
    SELECT id, m, f, nf, m * n AS amt,
           CAST(SUM(m * n) OVER (PARTITION BY id ORDER BY f ROWS UNBOUNDED PRECEDING) AS bigint) AS cum
    FROM s1
),
sc AS (
    SELECT id, cum AS scheduled FROM s2 WHERE nf IS NULL
),
base AS (
    SELECT ob.id, ob.offender_id, ob.a, COALESCE(pd.paid, 0) AS paid,
           CASE WHEN pd.paid > 0 THEN pd.paid ELSE 0 END AS covered,
           CASE WHEN sc.id IS NULL THEN 0 ELSE 1 END AS has_plan, ob.status, ob.closed_on,
           CASE WHEN sc.id IS NULL THEN 0 WHEN sc.scheduled < ob.a THEN sc.scheduled ELSE ob.a END AS expected
    FROM ob LEFT JOIN pd ON pd.id = ob.id LEFT JOIN sc ON sc.id = ob.id
),
j AS (
    SELECT b.id, b.offender_id, b.a, b.paid, b.expected, b.status, b.closed_on, b.has_plan,
           CASE WHEN s2.id IS NOT NULL
                THEN {d.add_months("s2.f", "(b.covered - (s2.cum - s2.amt)) / s2.m")} END AS due
    FROM base b
    LEFT JOIN s2 ON s2.id = b.id AND b.expected > b.paid AND s2.cum - s2.amt <= b.covered AND b.covered < s2.cum
),
res AS (
    SELECT id, offender_id, a, paid, expected, due,
           CASE WHEN status = 'waived' AND closed_on <= {D} THEN 'waived'
                WHEN paid >= a THEN 'paid_in_full'
                WHEN has_plan = 0 THEN 'unscheduled'
                WHEN expected <= paid THEN 'current'
                WHEN {d.days_between(D, "due")} >= {DELINQUENT_DAYS} THEN 'delinquent'
                ELSE 'late'
           END AS status
    FROM j
)
SELECT id, offender_id, a, paid, a - paid AS balance, expected,
       CASE WHEN status IN ('late', 'delinquent') THEN expected - paid ELSE 0 END AS arrears,
       CASE WHEN status IN ('late', 'delinquent') THEN {d.days_between(D, "due")} ELSE 0 END AS days_past_due,
       CASE WHEN status IN ('late', 'delinquent') THEN due END AS past_due_since,
       status
FROM res
"""


_TOKEN = re.compile(r"(\{D\}|\{FILTER\})")


def _render(template: str, d: _Dialect, as_of: dt.date, filter_sql: str = "", filter_params=()) -> tuple[str, list]:
    """Put the placeholders in and collect the parameters in the order they appear.

    D's month number and day go in as integer literals; on the last day of a month every due day
    from D's day to the 31st has come (the shorter month's last day), hence 31.
    """
    month_end = (as_of + dt.timedelta(days=1)).day == 1
    template = template.replace("{D_MONTH}", str(as_of.year * 12 + as_of.month))
    template = template.replace("{D_DAY}", "31" if month_end else str(as_of.day))
    date_value = as_of if d.pg else as_of.isoformat()
    parts, params = [], []
    for piece in _TOKEN.split(template):
        if piece == "{D}":
            parts.append(d.date_param)
            params.append(date_value)
        elif piece == "{FILTER}":
            parts.append(filter_sql)
            params.extend(filter_params)
        else:
            parts.append(piece)
    return "".join(parts), params


def compliance_query(vendor: str, as_of: dt.date, obligations=None, *, open_only: bool | None = None):
    """SQL and parameters for the figures of every obligation (or of the ``obligations`` queryset).

    Without a queryset it covers the obligations open on ``as_of`` (ordered by then, not closed
    before); with one it covers each of them ordered by then, closed or not.
    """
    d = _Dialect(vendor)
    if open_only is None:
        open_only = obligations is None
    filter_sql, filter_params = "", ()
    if obligations is not None:
        filter_sql, filter_params = obligations.order_by().values("pk").query.sql_with_params()
    template = _engine_sql(d, filtered=obligations is not None, open_only=open_only)
    return _render(template, d, as_of, filter_sql, filter_params)


def tune_session(cursor, vendor: str, *, work_mem: str | None = None) -> None:
    """For the engine's statement, inside a transaction: PostgreSQL's JIT would spend longer compiling
    (its cost estimates for the CTEs are far too high) than the query takes to run, and a nightly batch
    may sort and hash in memory rather than on disk. ``SET LOCAL`` ends with the transaction."""
    if vendor != "postgresql":
        return
    cursor.execute("SET LOCAL jit = off")
    if work_mem:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])


SNAPSHOT_COLUMNS = (
    "as_of, obligation_id, ordered_amount, paid, balance, expected, arrears, days_past_due, past_due_since, status"
)


def snapshot_insert_query(vendor: str, as_of: dt.date) -> tuple[str, list]:
    """One INSERT ... SELECT that stores every open obligation's figures for ``as_of``."""
    d = _Dialect(vendor)
    out = d.money_out
    template = f"""
INSERT INTO restitution_compliancesnapshot ({SNAPSHOT_COLUMNS})
SELECT {{D}}, q.id, {out("q.a")}, {out("q.paid")}, {out("q.balance")}, {out("q.expected")}, {out("q.arrears")},
       q.days_past_due, q.past_due_since, q.status
FROM ({_engine_sql(d, filtered=False, open_only=True)}) q
"""
    return _render(template, d, as_of)


def rows_to_figures(vendor: str, as_of: dt.date, rows) -> list[Figures]:
    """Turn the engine's rows into ``Figures`` (SQLite's are in cents; its dates are strings)."""
    money = from_cents  # the engine works in whole cents on every database
    out = []
    for oid, offender_id, a, paid, balance, expected, arrears, days, since, status in rows:
        if isinstance(since, str):
            since = dt.date.fromisoformat(since)
        out.append(
            Figures(
                obligation_id=oid,
                offender_id=offender_id,
                as_of=as_of,
                ordered_amount=money(a),
                paid=money(paid),
                balance=money(balance),
                expected=money(expected),
                arrears=money(arrears),
                days_past_due=int(days),
                past_due_since=since,
                status=status,
            )
        )
    return out
