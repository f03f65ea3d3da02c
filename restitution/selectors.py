"""Reads that join or aggregate: live compliance, the caseload, the ledger, what payees are owed, report data.

Everything here takes querysets that are already restricted to the user, or restricts them itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Max, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from core.choices import Role
from core.models import Offender
from core.money import ZERO, quantize
from core.partitions import tune_session
from core.querysets import VIEW, can

from .choices import SEVERITY, ComplianceStatus, ObligationKind, PayeeKind
from .compliance import Figures, add_months, compliance_query, rows_to_figures
from .models import Allocation, ComplianceSnapshot, Obligation, Payee, Payment

MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)


def compliance_for(as_of: dt.date, obligations=None) -> list[Figures]:
    """The design's figures as of ``as_of``, by one SQL statement: for the given obligations
    queryset (closed ones included), or for every obligation open on that date."""
    sql, params = compliance_query(as_of, obligations)
    # SET LOCAL needs a transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        tune_session(cursor)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows_to_figures(as_of, rows)


def figures_by_obligation(obligations, as_of: dt.date) -> dict[int, Figures]:
    return {f.obligation_id: f for f in compliance_for(as_of, obligations)}


def credit_by_offender(offenders, as_of: dt.date | None = None) -> dict[int, Decimal]:
    """Money held as credit (beyond every balance), per offender, from one aggregate query."""
    qs = Allocation.objects.filter(obligation__isnull=True, payment__offender__in=offenders)
    if as_of is not None:
        qs = qs.filter(allocated_on__lte=as_of)
    rows = qs.values("payment__offender_id").annotate(total=Sum("amount")).order_by()
    return {r["payment__offender_id"]: quantize(r["total"]) for r in rows if quantize(r["total"]) != 0}


# Snapshot history ---------------------------------------------------------------------------------


def snapshot_dates(limit: int, before: dt.date | None = None) -> list[dt.date]:
    """The dates of the latest ``limit`` nightly snapshots (on or before ``before``), newest first.

    One index probe a date (a loose scan of the snapshot's primary key), so it costs the same at
    600,000 rows a night after a year as after a week."""
    start = "SELECT MAX(as_of) FROM restitution_compliancesnapshot"
    params: list = []
    if before is not None:
        start += " WHERE as_of <= %s"
        params.append(before)
    sql = f"""
WITH RECURSIVE d(as_of) AS (
    {start}
    UNION ALL
    SELECT (SELECT MAX(s.as_of) FROM restitution_compliancesnapshot s WHERE s.as_of < d.as_of)
    FROM d WHERE d.as_of IS NOT NULL
)
SELECT as_of FROM d WHERE as_of IS NOT NULL LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        found = [row[0] for row in cursor.fetchall()]
    return [dt.date.fromisoformat(day) if isinstance(day, str) else day for day in found]


def snapshot_history(obligations, nights: int = 30):
    """The snapshots of these obligations over the latest ``nights`` nightly runs (or those up to
    when the last of them closed), newest first: the dates are named, so the primary key serves."""
    obligations = list(obligations)
    ends = [o.closed_on for o in obligations]
    before = None if not ends or any(day is None for day in ends) else max(ends)
    dates = snapshot_dates(nights, before)
    return (
        ComplianceSnapshot.objects.filter(as_of__in=dates, obligation__in=[o.pk for o in obligations])
        .select_related("obligation")
        .order_by("-as_of", "obligation_id")
    )


# The caseload -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadProgram:
    """Another program's figures beside restitution on the caseload page, one cell per person.

    The program registers it with ``register_caseload_program`` (from its ``registrations.py``);
    restitution imports no program. ``people(user, officer_id=..., district_id=...)`` returns a
    queryset of the offender ids the program follows for that view (restricted to the user; used as a
    subquery, so it runs no query of its own): they get a row even with no restitution.
    ``cells(offender_ids, as_of)`` returns ``{offender_id: cell}`` for the page's people in a fixed
    number of queries; ``columns()`` the django-tables2 columns reading ``programs__<slug>``;
    ``summary(rows)`` an optional line above the table.
    """

    slug: str
    label: str  # the program in the page's title: "community service"
    people: Callable
    cells: Callable
    columns: Callable
    summary: Callable | None = None


_caseload_programs: dict[str, CaseloadProgram] = {}


def register_caseload_program(entry: CaseloadProgram) -> CaseloadProgram:
    existing = _caseload_programs.get(entry.slug)
    if existing is not None and existing != entry:
        raise ValueError(f"A caseload program {entry.slug!r} is already registered.")
    _caseload_programs[entry.slug] = entry
    return entry


def caseload_programs() -> list[CaseloadProgram]:
    return list(_caseload_programs.values())


# A row for someone another program follows who owes no restitution.
NO_RESTITUTION = ""


@dataclass
class CaseloadRow:
    """One supervised person's restitution picture on the caseload page (and, with ``programs``, the
    other programs' cells beside it)."""

    offender: Offender
    status: str = ComplianceStatus.CURRENT
    arrears: Decimal = ZERO
    balance: Decimal = ZERO
    credit: Decimal = ZERO
    days_past_due: int = 0
    past_due_since: dt.date | None = None
    last_payment: dt.date | None = None
    monthly_pace: Decimal = ZERO
    projected_payoff: dt.date | None = None
    payoff_after_end: bool = False
    obligations: list[Figures] = field(default_factory=list)
    programs: dict = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label if self.status else "No restitution"

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.status, len(SEVERITY))

    @property
    def officer(self):
        return self.offender.supervising_officer

    @property
    def supervision_end_date(self):
        return self.offender.supervision_end_date


def caseload_obligations(user, *, officer_id=None, district_id=None):
    """The obligations of the people the user supervises (an officer) or their district (a supervisor)."""
    qs = Obligation.objects.restrict(user, VIEW)
    if officer_id:
        qs = qs.filter(offender__supervising_officer_id=officer_id)
    if district_id:
        qs = qs.filter(offender__district_id=district_id)
    if user.role == Role.PROBATION_OFFICER:
        qs = qs.filter(offender__supervising_officer_id=user.pk)
    return qs


def caseload(
    user, as_of: dt.date, *, officer_id=None, district_id=None, status=None, programs: bool = False
) -> list[CaseloadRow]:
    """Everyone in scope who owes (or owed) restitution, worst status first, then by days past due.
    With ``programs``, also everyone the registered caseload programs follow (``CaseloadProgram``),
    each row with the programs' cells.

    A fixed number of queries whatever the size: the engine once, then one aggregate each for
    the people, their last payments, the last six months' pace and their credit; with ``programs``,
    each program's ``cells`` once.
    """
    obligations = caseload_obligations(user, officer_id=officer_id, district_id=district_id)
    figures = compliance_for(as_of, obligations)
    by_offender: dict[int, list[Figures]] = defaultdict(list)
    for f in figures:
        by_offender[f.offender_id].append(f)
    extra = caseload_programs() if programs else []
    if not by_offender and not extra:
        return []
    offender_ids = obligations.values("offender_id")
    followed = Q(pk__in=offender_ids)
    for program in extra:
        followed |= Q(pk__in=program.people(user, officer_id=officer_id, district_id=district_id))
    people = {o.pk: o for o in Offender.objects.filter(followed).select_related("supervising_officer", "district")}
    if extra:
        for offender_id in people.keys() - by_offender.keys():
            by_offender[offender_id] = []
    last_payments = dict(
        Payment.objects.filter(offender_id__in=offender_ids, received_on__lte=as_of, reversal__isnull=True)
        .values("offender_id")
        .annotate(last=Max("received_on"))
        .order_by()
        .values_list("offender_id", "last")
    )
    since = add_months(as_of, -6)
    paces = {
        r["obligation__offender_id"]: quantize(r["total"])
        for r in Allocation.objects.filter(obligation__in=obligations, allocated_on__gt=since, allocated_on__lte=as_of)
        .values("obligation__offender_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    credits = credit_by_offender(offender_ids, as_of)
    rows = []
    for offender_id, items in by_offender.items():
        person = people.get(offender_id)
        if person is None:
            continue
        row = CaseloadRow(offender=person, obligations=sorted(items, key=lambda f: SEVERITY[f.status]))
        row.status = min((f.status for f in items), key=lambda s: SEVERITY[s], default=NO_RESTITUTION)
        owing = [f for f in items if f.status != ComplianceStatus.WAIVED]
        row.arrears = sum((f.arrears for f in owing), ZERO)
        row.balance = sum((max(f.balance, ZERO) for f in owing), ZERO)
        row.days_past_due = max((f.days_past_due for f in owing), default=0)
        row.past_due_since = min((f.past_due_since for f in owing if f.past_due_since), default=None)
        row.last_payment = last_payments.get(offender_id)
        row.credit = credits.get(offender_id, ZERO)
        row.monthly_pace = quantize(max(paces.get(offender_id, ZERO), ZERO) / 6)
        _project(row, as_of)
        rows.append(row)
    for program in extra:
        cells = program.cells([r.offender.pk for r in rows], as_of)
        for row in rows:
            row.programs[program.slug] = cells.get(row.offender.pk)
    if status:
        rows = [r for r in rows if r.status == status]
    rows.sort(key=lambda r: (r.severity, -r.days_past_due, -r.arrears, r.offender.last_name, r.offender.pk))
    return rows


def _project(row: CaseloadRow, as_of: dt.date) -> None:
    """Payoff at the pace of the last six months; flagged when it falls after supervision ends
    (or never comes, at a pace of zero, while something is still owed)."""
    if row.balance <= 0:
        return
    end = row.offender.supervision_end_date
    if row.monthly_pace <= 0:
        row.projected_payoff = None
        row.payoff_after_end = end is not None
        return
    months = math.ceil(row.balance / row.monthly_pace)
    row.projected_payoff = add_months(as_of, months) if months < 12 * 200 else dt.date.max
    row.payoff_after_end = end is not None and row.projected_payoff > end


def status_counts(rows: list[CaseloadRow]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r.status] += 1
    return [(s.value, s.label, counts.get(s.value, 0)) for s in ComplianceStatus]


# One person's ledger ------------------------------------------------------------------------------


def offender_obligations(offender, user):
    return (
        Obligation.objects.restrict(user, VIEW)
        .filter(offender=offender)
        .select_related("case", "payee")
        .prefetch_related("plans")
        .order_by("ordered_on", "pk")
    )


def offender_payments(offender, user):
    return (
        Payment.objects.restrict(user, VIEW)
        .filter(offender=offender)
        .select_related("reversal", "entered_by", "obligation__case")
        .prefetch_related("allocations__obligation__case")
        .order_by("-received_on", "-pk")
    )


def payment_credit(payment) -> Decimal:
    """What of this payment is still held as credit (from prefetched allocations)."""
    return quantize(sum((a.amount for a in payment.allocations.all() if a.obligation_id is None), ZERO))


# Payees -------------------------------------------------------------------------------------------


def payees_with_owed(qs=None):
    """Payees with what was allocated to them, what was disbursed and what is owed, in one query."""
    qs = Payee.objects.all() if qs is None else qs
    zero = Value(ZERO, output_field=MONEY_OUT)
    return qs.annotate(
        allocated=Coalesce(Sum("obligations__allocations__amount", output_field=MONEY_OUT), zero),
        owed=Coalesce(
            Sum(
                "obligations__allocations__amount",
                filter=Q(obligations__allocations__disbursement_line__isnull=True),
                output_field=MONEY_OUT,
            ),
            zero,
        ),
    )


def restitution_on_case(user, case) -> dict:
    """What a court ordered as restitution on ``case``, as ``user`` sees it, and whether they may record
    an obligation for its person (for the victims' itemized-loss proposal)."""
    from core.models import Offender
    from core.querysets import CHANGE

    ordered = Obligation.objects.restrict(user, VIEW).filter(case=case, kind=ObligationKind.RESTITUTION)
    total = ordered.aggregate(total=Sum("ordered_amount"))["total"]
    may_add = (
        can(user, Obligation, VIEW)
        and Offender.objects.restrict(user, CHANGE).filter(pk=case.offender_id).exists()
        and not ordered.exists()
    )
    return {"ordered": total, "may_add": may_add}


def owed_to_victims(user) -> dict:
    """What the victim payees ``user`` may see were paid and not yet given: the total held for them and
    how many payees it is for (one query; for victim services' dashboard)."""
    row = Allocation.objects.filter(
        obligation__payee__in=Payee.objects.restrict(user, VIEW).filter(kind=PayeeKind.VICTIM),
        disbursement_line__isnull=True,
    ).aggregate(
        total=Coalesce(Sum("amount", output_field=MONEY_OUT), Value(ZERO, output_field=MONEY_OUT)),
        payees=Count("obligation__payee", distinct=True),
    )
    return {"total": row["total"], "payees": row["payees"]}


# Reports ------------------------------------------------------------------------------------------


def compliance_by_officer(user, as_of: dt.date, district_id=None) -> dict:
    """Caseload compliance per officer and per district (counts by status, arrears, balances)."""
    rows = caseload(user, as_of, district_id=district_id)
    statuses = list(ComplianceStatus)

    def empty():
        return {"people": 0, "arrears": ZERO, "balance": ZERO, "flagged": 0, **{s.value: 0 for s in statuses}}

    officers: dict = defaultdict(empty)
    districts: dict = defaultdict(empty)
    for r in rows:
        officer = r.offender.supervising_officer
        district = r.offender.district
        for bucket in (
            officers[(district.number if district else 0, str(officer) if officer else "Unassigned")],
            districts[(district.number if district else 0, str(district) if district else "No district")],
        ):
            bucket["people"] += 1
            bucket[r.status] += 1
            bucket["arrears"] += r.arrears
            bucket["balance"] += r.balance
            bucket["flagged"] += int(r.payoff_after_end)
    return {
        "as_of": as_of,
        "statuses": statuses,
        "officers": sorted(officers.items()),
        "districts": sorted(districts.items()),
    }


def collections(user, start: dt.date, end: dt.date) -> list[dict]:
    """Money allocated (net of reversals) by month, kind and district; credit held as its own kind."""
    qs = (
        Allocation.objects.restrict(user, VIEW)
        .filter(allocated_on__gte=start, allocated_on__lte=end)
        .annotate(month=TruncMonth("allocated_on"))
        .values("month", "obligation__kind", "payment__offender__district__number")
        .annotate(total=Sum("amount"), lines=Count("pk"))
        .order_by("month", "payment__offender__district__number", "obligation__kind")
    )
    labels = dict(ObligationKind.choices)
    out = []
    for r in qs:
        month = r["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        out.append(
            {
                "month": month,
                "kind": labels.get(r["obligation__kind"], "Held as credit"),
                "district": r["payment__offender__district__number"],
                "total": quantize(r["total"]),
                "lines": r["lines"],
            }
        )
    return out


def receipts_for_day(user, day) -> list[dict]:
    """Each payment received on ``day`` that ``user`` may see, with its allocation lines and the part
    held as credit: what the receipt PDF shows, for a day's payments at once. Three queries whatever
    the number of payments (the payments, their lines, and the lines' obligations with case and payee)."""
    lines = Prefetch(
        "allocations",
        queryset=Allocation.objects.select_related("obligation__case", "obligation__payee").order_by("pk"),
        to_attr="receipt_lines",
    )
    payments = (
        Payment.objects.restrict(user, VIEW)
        .filter(received_on=day)
        .select_related("offender", "entered_by", "reversal")
        .prefetch_related(lines)
        .order_by("receipt_number", "pk")
    )
    return [
        {
            "payment": p,
            "lines": p.receipt_lines,
            "credit": sum((a.amount for a in p.receipt_lines if a.obligation_id is None), ZERO),
        }
        for p in payments
    ]


# For reparation boards' conditions -----------------------------------------------------------------


def paid_on_cases_since(items, as_of: dt.date) -> dict:
    """What was paid toward each person's obligations on a case since a date, net of reversals, in one
    query: ``items`` are ``(key, case_id, since)``; the answer maps each key to the sum of the allocations
    to obligations of that case dated from ``since`` to ``as_of`` (a reversal is a negative allocation
    dated on its day, so it takes the money back). Keys with nothing paid map to zero. No person's
    ledger, receipt or payee leaves this function: only the sums (for the boards' restitution condition).
    """
    items = list(items)
    if not items:
        return {}
    keys, cases, sinces = zip(*items, strict=True)
    sql = f"""
SELECT t.key, SUM(a.amount)
FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS t(key, case_id, since)
JOIN {Obligation._meta.db_table} o ON o.case_id = t.case_id
JOIN {Allocation._meta.db_table} a ON a.obligation_id = o.id AND a.allocated_on >= t.since AND a.allocated_on <= %s
GROUP BY t.key"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(keys), list(cases), list(sinces), as_of])
        found = {key: quantize(total) for key, total in cursor.fetchall()}
    return {key: found.get(key, ZERO) for key in keys}
