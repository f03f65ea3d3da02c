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

``evaluate`` reads the rule as written (it walks the installments) and serves the tests.
``compliance_query`` computes the same for every obligation at once without walking installments
or summing the whole ledger: per plan, the number of installments due by the cut-off date is a month
difference plus one when the due day has come, so the job never generates a schedule row, and paid
comes from the running total the services keep on each obligation. The SQL is PostgreSQL's (money
stays in exact ``numeric`` end to end); the property tests check it against ``evaluate``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from core.money import ZERO, quantize

from .choices import DELINQUENT_DAYS, ComplianceStatus


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


def _months_between(later: str, earlier: str) -> str:
    return (
        f"CAST((date_part('year', {later}) - date_part('year', {earlier})) * 12"
        f" + date_part('month', {later}) - date_part('month', {earlier}) AS integer)"
    )


def _month_number(x: str) -> str:
    return f"CAST(date_part('year', {x}) * 12 + date_part('month', {x}) AS integer)"


def _day(x: str) -> str:
    return f"date_part('day', {x})"


def _is_month_end(x: str) -> str:
    return f"date_part('month', {x} + 1) <> date_part('month', {x})"


def _add_months(first: str, months: str) -> str:
    # PostgreSQL's month arithmetic already moves the 31st to a shorter month's last day.
    return f"CAST({first} + make_interval(months => CAST({months} AS integer)) AS date)"


# Keeps a subquery from being merged into the one above it, so each of its expressions is computed
# once per row rather than wherever the outer query repeats it.
_FENCE = "OFFSET 0"


def _installments(first: str, ends: str | None) -> str:
    """How many installments of a plan starting on ``first`` fall due by D, and before ``ends`` (the
    next plan's first due date) when there is one: a month difference, plus one when the due day has
    come in the last month, or that month has ended."""
    D = "{D}"
    since_first = (
        f"CASE WHEN {D} < {first} THEN 0 ELSE {{D_MONTH}} - {_month_number(first)}"
        f" + CASE WHEN {_day(first)} <= {{D_DAY}} THEN 1 ELSE 0 END END"
    )
    if ends is None:
        return since_first
    e = f"({ends} - 1)"
    return (
        f"CASE WHEN {ends} IS NOT NULL AND {ends} <= {D} THEN"
        f" CASE WHEN {ends} <= {first} THEN 0 ELSE {_months_between(e, first)}"
        f" + CASE WHEN {_day(first)} <= {_day(e)} OR {_is_month_end(e)} THEN 1 ELSE 0 END END"
        f" ELSE {since_first} END"
    )


def _engine_sql(*, filtered: bool, open_only: bool, previous: bool = False) -> str:
    """The query text with ``{D}`` for the as-of date, ``{FILTER}`` for a subquery of obligation ids
    and, with ``previous``, ``{P}`` for the date of the snapshot before (its status comes out too).

    One row per obligation, from the obligation row alone in the common case:

    - paid is the ledger's running total kept on the obligation (``paid_total``) when its last
      allocation is dated on or before D, else the sum of its allocations up to D;
    - from the current plan's first due date on, what is due is the earlier plans' installments
      (``plan_prior_due``) plus a month count times the current installment, and the earliest unpaid
      installment is the current plan's ``first + (paid - prior) // m`` months;
    - otherwise (D before the current plan, or paid short of the earlier plans: ``mseg``, a few
      obligations), each active plan's installments due by D and their running total: the plan whose
      range ``[cum - amt, cum)`` holds what was paid holds the earliest unpaid installment (``mt``).
    """
    flt = " AND o.id IN ({FILTER})" if filtered else ""
    still_open = " AND (o.closed_on IS NULL OR o.closed_on >= {D})" if open_only else ""
    prev_col = "pv.status" if previous else "NULL"
    prev_join = (
        "LEFT JOIN restitution_compliancesnapshot pv ON pv.as_of = {P} AND pv.obligation_id = o.id" if previous else ""
    )
    D = "{D}"
    paid = (
        f"CASE WHEN o.last_allocated_on IS NULL THEN 0"
        f" WHEN o.last_allocated_on <= {D} THEN o.paid_total"
        f" ELSE COALESCE((SELECT SUM(al.amount) FROM restitution_allocation al"
        f" WHERE al.obligation_id = o.id AND al.allocated_on <= {D}), 0) END"
    )
    # Obligations whose earlier plans matter on D: D is before the current plan's first due date, or
    # what was paid may not cover the earlier plans' installments (a superset; mt checks exactly).
    walk = (
        f"o.plan_prior_due > 0 AND (o.plan_first_due_on > {D} OR o.paid_total < o.plan_prior_due"
        f" OR o.last_allocated_on > {D}){flt}"
    )
    return f"""
WITH mseg AS (
    SELECT id, m, f, n * m AS amt, SUM(n * m) OVER (PARTITION BY id ORDER BY f ROWS UNBOUNDED PRECEDING) AS cum
    FROM (
        SELECT p.obligation_id AS id, p.monthly_amount AS m, p.first_due_on AS f,
               {_installments("p.first_due_on", "p.ends_on")} AS n
        FROM restitution_paymentplan p
        WHERE p.replaced_at IS NULL AND p.obligation_id IN (SELECT o.id FROM restitution_obligation o WHERE {walk})
    ) s
),
mt AS (
    SELECT x.id, MAX(x.cum) AS scheduled,
           MAX(CASE WHEN x.cum - x.amt <= pc.covered AND pc.covered < x.cum
                    THEN {_add_months("x.f", "div(pc.covered - (x.cum - x.amt), x.m)")} END) AS due
    FROM mseg x
    JOIN (
        SELECT id, CASE WHEN paid > 0 THEN paid ELSE 0 END AS covered
        FROM (
            SELECT o.id, {paid} AS paid FROM restitution_obligation o WHERE o.id IN (SELECT id FROM mseg) {_FENCE}
        ) p0
    ) pc ON pc.id = x.id
    GROUP BY x.id
),
b AS (
    SELECT id, offender_id, a, status, closed_on, paid, lm, lf, prior, walked, mdue, prev,
           CASE WHEN scheduled < a THEN scheduled ELSE a END AS expected,
           CASE WHEN paid > 0 THEN paid ELSE 0 END AS covered
    FROM (
        SELECT o.id, o.offender_id, o.ordered_amount AS a, o.status, o.closed_on, {paid} AS paid,
               o.plan_monthly AS lm, o.plan_first_due_on AS lf, o.plan_prior_due AS prior,
               CASE WHEN mt.id IS NULL THEN 0 ELSE 1 END AS walked, mt.due AS mdue, {prev_col} AS prev,
               CASE WHEN o.plan_first_due_on IS NULL THEN 0
                    WHEN mt.id IS NOT NULL THEN mt.scheduled
                    ELSE o.plan_prior_due
                         + o.plan_monthly * ({_installments("o.plan_first_due_on", None)})
               END AS scheduled
        FROM restitution_obligation o
        LEFT JOIN mt ON mt.id = o.id
        {prev_join}
        WHERE o.ordered_on <= {D}{still_open}{flt}
        {_FENCE}
    ) q
    {_FENCE}
),
res AS (
    SELECT id, offender_id, a, paid, expected, due, prev,
           CASE WHEN status = 'waived' AND closed_on <= {D} THEN 'waived'
                WHEN paid >= a THEN 'paid_in_full'
                WHEN lf IS NULL THEN 'unscheduled'
                WHEN expected <= paid THEN 'current'
                WHEN ({D} - due) >= {DELINQUENT_DAYS} THEN 'delinquent'
                ELSE 'late'
           END AS status
    FROM (
        SELECT id, offender_id, a, paid, expected, status, closed_on, lf, prev,
               CASE WHEN lf IS NULL OR expected <= paid THEN NULL
                    WHEN walked = 1 THEN mdue
                    ELSE {_add_months("lf", "div(covered - prior, lm)")}
               END AS due
        FROM b
        {_FENCE}
    ) j
)
SELECT id, offender_id, a, paid, a - paid AS balance, expected,
       CASE WHEN status IN ('late', 'delinquent') THEN expected - paid ELSE 0 END AS arrears,
       CASE WHEN status IN ('late', 'delinquent') THEN ({D} - due) ELSE 0 END AS days_past_due,
       CASE WHEN status IN ('late', 'delinquent') THEN due END AS past_due_since,
       status, prev
FROM res
"""


_TOKEN = re.compile(r"(\{D\}|\{P\}|\{FILTER\})")


def _render(
    template: str, as_of: dt.date, filter_sql: str = "", filter_params=(), previous: dt.date | None = None
) -> tuple[str, list]:
    """Put the placeholders in and collect the parameters in the order they appear.

    D's month number and day go in as integer literals; on the last day of a month every due day
    from D's day to the 31st has come (the shorter month's last day), hence 31.
    """
    month_end = (as_of + dt.timedelta(days=1)).day == 1
    template = template.replace("{D_MONTH}", str(as_of.year * 12 + as_of.month))
    template = template.replace("{D_DAY}", "31" if month_end else str(as_of.day))

    parts, params = [], []
    for piece in _TOKEN.split(template):
        if piece in ("{D}", "{P}"):
            parts.append("CAST(%s AS date)")
            params.append(as_of if piece == "{D}" else previous)
        elif piece == "{FILTER}":
            parts.append(filter_sql)
            params.extend(filter_params)
        else:
            parts.append(piece)
    return "".join(parts), params


def compliance_query(as_of: dt.date, obligations=None, *, open_only: bool | None = None):
    """SQL and parameters for the figures of every obligation (or of the ``obligations`` queryset).

    Without a queryset it covers the obligations open on ``as_of`` (ordered by then, not closed
    before); with one it covers each of them ordered by then, closed or not.
    """
    if open_only is None:
        open_only = obligations is None
    filter_sql, filter_params = "", ()
    if obligations is not None:
        filter_sql, filter_params = obligations.order_by().values("pk").query.sql_with_params()
    template = _engine_sql(filtered=obligations is not None, open_only=open_only)
    return _render(template, as_of, filter_sql, filter_params)


def snapshot_select_query(as_of: dt.date, previous: dt.date | None) -> tuple[str, list]:
    """One SELECT of every open obligation's figures for ``as_of``, its columns named as the
    snapshot's, with its status in the snapshot of ``previous`` (the snapshot before, if any). The job
    writes it as the night's partition (``core.partitions.night_write``).

    In no particular order: the night's table has no index yet, and building the key afterwards
    sorts only the keys (sorting the whole rows first cost about a tenth of the statement)."""
    template = f"""
SELECT {{D}} AS as_of, q.id AS obligation_id, q.a AS ordered_amount, q.paid, q.balance, q.expected, q.arrears,
       q.days_past_due, q.past_due_since, q.status, COALESCE(q.prev, '') AS previous_status
FROM ({_engine_sql(filtered=False, open_only=True, previous=True)}) q
"""
    return _render(template, as_of, previous=previous)


# Obligations (id, offender) whose running figures differ from their allocations: the ledger
# check's one statement (money compared exactly, in numeric).
LEDGER_MISMATCH_SQL = """
SELECT o.id, o.offender_id
FROM restitution_obligation o
LEFT JOIN (
    SELECT al.obligation_id AS id, SUM(al.amount) AS total, MAX(al.allocated_on) AS last
    FROM restitution_allocation al WHERE al.obligation_id IS NOT NULL GROUP BY al.obligation_id
) a ON a.id = o.id
WHERE o.paid_total <> COALESCE(a.total, 0)
   OR o.last_allocated_on <> a.last
   OR (o.last_allocated_on IS NULL) <> (a.last IS NULL)
ORDER BY o.id
"""


def rows_to_figures(as_of: dt.date, rows) -> list[Figures]:
    """Turn the engine's rows into ``Figures``."""
    return [
        Figures(
            obligation_id=oid,
            offender_id=offender_id,
            as_of=as_of,
            ordered_amount=quantize(a),
            paid=quantize(paid),
            balance=quantize(balance),
            expected=quantize(expected),
            arrears=quantize(arrears),
            days_past_due=int(days),
            past_due_since=since,
            status=status,
        )
        for oid, offender_id, a, paid, balance, expected, arrears, days, since, status, _prev in rows
    ]
