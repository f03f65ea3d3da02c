"""Restitution's part of a person's restorative record (``core.restorative``): what was ordered, paid
and is owed, the compliance status, and the payoff projected at the pace of the last six months against
the end of supervision. Money only: a payee is never named (a victim's identity stays in restitution's
own scoped pages)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from core.money import ZERO, format_money, quantize
from core.querysets import VIEW
from core.restorative import Block, Fact, Source, Tone, Unmet, end_projection

from .choices import SEVERITY, ComplianceStatus, ObligationStatus
from .compliance import add_months
from .models import Allocation, Obligation, Payment
from .selectors import compliance_for

PROGRAM = "restitution"
TITLE = "Restitution and CVCF"
PACE_MONTHS = 6
PACE = "the last 6 months"
RECEIPTS = 25  # the latest receipts the report lists


def _paces(obligations, as_of: dt.date) -> dict[int, Decimal]:
    """Each person's average paid a month over the last six months, one aggregate."""
    since = add_months(as_of, -PACE_MONTHS)
    return {
        r["obligation__offender_id"]: quantize(max(r["total"], ZERO) / PACE_MONTHS)
        for r in Allocation.objects.filter(obligation__in=obligations, allocated_on__gt=since, allocated_on__lte=as_of)
        .values("obligation__offender_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }


def _payoff(balance: Decimal, monthly: Decimal, as_of: dt.date) -> dt.date | None:
    if balance <= 0:
        return as_of
    if monthly <= 0:
        return None
    months = math.ceil(balance / monthly)
    return add_months(as_of, months) if months < 12 * 200 else None


def summary(offender, user, as_of: dt.date) -> list[Block]:
    obligations = Obligation.objects.restrict(user, VIEW).filter(offender=offender)
    if obligations.query.is_empty():  # a role that sees no ledger
        return []
    figures = [f for f in compliance_for(as_of, obligations) if f.status != ComplianceStatus.WAIVED]
    if not figures:
        return []
    ordered = sum((f.ordered_amount for f in figures), ZERO)
    paid = sum((f.paid for f in figures), ZERO)
    balance = sum((max(f.balance, ZERO) for f in figures), ZERO)
    arrears = sum((f.arrears for f in figures), ZERO)
    worst = min((f.status for f in figures), key=lambda s: SEVERITY[s])
    monthly = _paces(obligations, as_of).get(offender.pk, ZERO)
    end = offender.supervision_end_date
    kinds = {
        o.pk: f"{o.get_kind_display()}, case {o.case.case_number}"
        for o in obligations.select_related("case").only("pk", "kind", "case__case_number")
    }
    facts = [
        Fact("Ordered", format_money(ordered)),
        Fact("Paid", format_money(paid)),
        Fact("Balance", format_money(balance)),
        Fact("Status", ComplianceStatus(worst).label),
    ]
    if arrears > 0:
        facts.append(Fact("Behind the schedule", format_money(arrears)))
    facts.append(Fact(f"Paid a month ({PACE})", format_money(monthly)))
    facts += [
        Fact(kinds.get(f.obligation_id, "Obligation"), f"{format_money(f.paid)} of {format_money(f.ordered_amount)}")
        for f in figures
    ]
    if balance <= 0:
        tone, projected, projection, late = Tone.DONE, None, "Paid in full.", False
    else:
        projected = _payoff(balance, monthly, as_of)
        projection, late = end_projection(projected, end, pace=PACE)
        if projected is not None:
            projection = projection.replace("done by", "paid off by")
        tone = Tone.AT_RISK if late else (Tone.OWED if worst == ComplianceStatus.DELINQUENT else Tone.ON_TRACK)
    payments = list(
        Payment.objects.restrict(user, VIEW)
        .filter(offender=offender, reversal__isnull=True)
        .order_by("-received_on", "-pk")
        .only("pk", "received_on", "receipt_number", "amount", "method")[: RECEIPTS + 1]
    )
    sources = [
        Source(p.received_on, f"Receipt {p.receipt_number}: {format_money(p.amount)}, {p.get_method_display().lower()}")
        for p in payments[:RECEIPTS]
    ]
    if len(payments) > RECEIPTS:
        sources.append(Source(None, "Earlier receipts are in the ledger."))
    return [
        Block(
            program=PROGRAM,
            title=TITLE,
            tone=tone,
            headline=f"{format_money(paid)} paid of {format_money(ordered)} ordered; {format_money(balance)} owed."
            if balance > 0
            else f"{format_money(paid)} paid of {format_money(ordered)} ordered: paid in full.",
            facts=tuple(facts),
            projected=projected if balance > 0 else None,
            projection=projection,
            late=late,
            sources=tuple(sources),
            url=reverse("restitution:offender", args=[offender.pk]),
        )
    ]


def unmet(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """Everyone's open balance, and whether at the pace of the last six months it is paid off by the end
    of supervision: the compliance engine once and one aggregate."""
    obligations = Obligation.objects.filter(offender_id__any=list(people), status=ObligationStatus.OPEN)
    owed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for f in compliance_for(as_of, obligations):
        if f.status != ComplianceStatus.WAIVED and f.balance > 0:
            owed[f.offender_id] += f.balance
    paces = _paces(obligations, as_of) if owed else {}
    found: dict[int, list[Unmet]] = {}
    for offender_id, balance in owed.items():
        projected = _payoff(balance, paces.get(offender_id, ZERO), as_of)
        end = people.get(offender_id)
        late = projected is None or (end is not None and projected > end)
        found[offender_id] = [Unmet(PROGRAM, f"Restitution: {format_money(balance)} owed", late)]
    return found


def durations(user, start: dt.date, end: dt.date):
    """Obligations paid in full in the period: from the order to the last payment that settled them."""
    from core.restorative import durations_of

    paid = Obligation.objects.restrict(user, VIEW).filter(
        status=ObligationStatus.PAID, closed_on__gte=start, closed_on__lte=end
    )
    return [durations_of(paid, what="Restitution and CVCF paid in full", end="closed_on", start="ordered_on")]
