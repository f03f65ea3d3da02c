"""Reads other pages, apps, reports and figures need, each taking ``user`` and applying ``.restrict(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from core.choices import Role
from core.querysets import VIEW

from .choices import PACE_SEVERITY, OrderStatus, PaceStatus
from .models import Order
from .pace import Pace, pace_query

_FIELDS = tuple(Pace.__dataclass_fields__)


def run_sql(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def pace_from_row(row) -> Pace:
    return Pace(**dict(zip(_FIELDS, row[2:], strict=True)))


def pace_for_orders(user, order_ids, as_of: dt.date) -> dict[int, Pace]:
    """The live pace of those open orders the user may see, by order id (two queries)."""
    ids = list(Order.objects.restrict(user, VIEW).filter(pk__in=list(order_ids)).values_list("pk", flat=True))
    if not ids:
        return {}
    return {row[0]: pace_from_row(row) for row in run_sql(*pace_query(as_of, order_ids=ids))}


def pace_for_people(offender_ids, as_of: dt.date) -> dict[int, list[tuple[int, Pace]]]:
    """The live pace of the open orders of people already read through ``.restrict()`` (one query):
    ``{offender_id: [(order_id, pace), ...]}``."""
    found: dict[int, list[tuple[int, Pace]]] = {}
    for row in run_sql(*pace_query(as_of, offender_ids=list(offender_ids))):
        found.setdefault(row[1], []).append((row[0], pace_from_row(row)))
    return found


# The caseload ---------------------------------------------------------------------------------------
@dataclass
class HoursCell:
    """One person's community service on the caseload: their open orders taken together."""

    status: str
    orders: int
    ordered: Decimal
    credited: Decimal
    behind: Decimal
    projected_on: dt.date | None
    projected_late: bool
    after_supervision: bool

    @property
    def status_label(self) -> str:
        return PaceStatus(self.status).label

    @property
    def remaining(self) -> Decimal:
        return max(Decimal("0.00"), self.ordered - self.credited)


def caseload_people(user, *, officer_id=None, district_id=None):
    """The offender ids with an open order the user follows on the caseload (a subquery, no query run)."""
    qs = Order.objects.restrict(user, VIEW).filter(status=OrderStatus.OPEN)
    if officer_id:
        qs = qs.filter(offender__supervising_officer_id=officer_id)
    if district_id:
        qs = qs.filter(offender__district_id=district_id)
    if user.role == Role.PROBATION_OFFICER:
        qs = qs.filter(offender__supervising_officer_id=user.pk)
    return qs.values("offender_id")


def hours_by_person(offender_ids, as_of: dt.date) -> dict[int, HoursCell]:
    """The caseload's cells, for people already read through ``.restrict()`` (one query): the worst
    status of the person's open orders, their hours together, the latest projected completion (none
    when one order has no projection), flagged when any order's is late or after supervision ends."""
    cells = {}
    for offender_id, items in pace_for_people(offender_ids, as_of).items():
        paces = [p for _, p in items]
        open_left = [p for p in paces if p.remaining > 0]
        projections = [p.projected_on for p in open_left]
        cells[offender_id] = HoursCell(
            status=min((p.status for p in paces), key=lambda s: PACE_SEVERITY[s]),
            orders=len(paces),
            ordered=sum((p.hours_ordered for p in paces), Decimal("0.00")),
            credited=sum((min(p.credited, p.hours_ordered) for p in paces), Decimal("0.00")),
            behind=sum((p.behind for p in paces), Decimal("0.00")),
            projected_on=None if None in projections else max(projections, default=None),
            projected_late=any(p.projected_late for p in paces),
            after_supervision=any(p.after_supervision for p in paces),
        )
    return cells


# The completion letter and the court's hours report ----------------------------------------------------
def completion_letter(order: Order) -> dict:
    """What the completion letter prints: the order, its credited hours by agency and date with who
    verified each and how, and the totals by agency."""
    from django.db.models import Sum
    from django.utils import timezone

    from .choices import Verification
    from .models import HourLog

    logs = list(
        HourLog.objects.active()
        .filter(order=order, verification=Verification.VERIFIED)
        .select_related("placement__agency__organization")
        .order_by("placement__agency__organization__name", "date", "start_time", "pk")
    )
    by_agency = (
        HourLog.objects.active()
        .filter(order=order, verification=Verification.VERIFIED)
        .values("placement__agency__organization__name")
        .annotate(hours=Sum("credited_hours"))
        .order_by("placement__agency__organization__name")
    )
    return {
        "order": order,
        "offender": order.offender,
        "case": order.case,
        "logs": logs,
        "by_agency": [(r["placement__agency__organization__name"], r["hours"]) for r in by_agency],
        "credited": sum((log.credited_hours for log in logs), Decimal("0.00")),
        "printed_on": timezone.localdate(),
    }


def order_hours_trail(order: Order) -> dict:
    """The court-ready hours report of one order: its figures and every log with its verification trail
    (void ones too, with their reason)."""
    from django.db.models import Count, Q, Sum
    from django.utils import timezone

    from .models import HourLog

    logs = (
        HourLog.objects.filter(order=order)
        .select_related("placement__agency__organization", "entered_by", "voided_by")
        .order_by("date", "start_time", "pk")
    )
    totals = (
        HourLog.objects.active()
        .filter(order=order)
        .aggregate(
            reported=Sum("hours"),
            credited=Sum("credited_hours"),
            pending=Sum("hours", filter=Q(verification="pending")),
            rejected=Sum("hours", filter=Q(verification="rejected")),
            logs=Count("pk"),
        )
    )
    pace = pace_for_people([order.offender_id], timezone.localdate()).get(order.offender_id, [])
    return {"order": order, "logs": list(logs), "totals": totals, "pace": dict(pace).get(order.pk)}


def hours_by_agency_district_month(user, start: dt.date, end: dt.date) -> list[dict]:
    """Credited hours (standing, verified) by month, agency and the person's district, in the user's scope."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from .models import HourLog

    return list(
        HourLog.objects.restrict(user, VIEW)
        .active()
        .filter(verification="verified", date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("month", "placement__agency__organization__name", "offender__district__name")
        .annotate(hours=Sum("credited_hours"), logs=Count("pk"), people=Count("offender", distinct=True))
        .order_by("month", "placement__agency__organization__name", "offender__district__name")
    )


def hours_credited(start: dt.date, end: dt.date) -> Decimal | None:
    """Statewide credited hours between two dates (public figures: no person named); None without any."""
    from django.db.models import Sum

    from .models import HourLog

    total = (
        HourLog.objects.active()
        .filter(verification="verified", date__gte=start, date__lte=end)
        .aggregate(t=Sum("credited_hours"))["t"]
    )
    return total


def hours_and_value_by_month(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal, Decimal | None]]:
    """Statewide credited hours by month and their value: each day's hours times the rate in effect that
    day (``HourValueRate``); the value is None for a month with hours before any rate was set."""
    import bisect

    from django.db.models import Sum

    from core.money import quantize

    from .models import HourLog, HourValueRate

    rates = list(HourValueRate.objects.order_by("effective_on").values_list("effective_on", "dollars_per_hour"))
    starts = [r[0] for r in rates]
    months: dict[dt.date, list] = {}
    by_day = (
        HourLog.objects.active()
        .filter(verification="verified", date__gte=start, date__lte=end)
        .values("date")
        .annotate(hours=Sum("credited_hours"))
        .order_by("date")
    )
    for row in by_day:
        month = row["date"].replace(day=1)
        bucket = months.setdefault(month, [Decimal("0.00"), Decimal("0.00"), True])
        bucket[0] += row["hours"]
        i = bisect.bisect_right(starts, row["date"]) - 1
        if i < 0:
            bucket[2] = False
        else:
            bucket[1] += row["hours"] * rates[i][1]
    return [(m, h, quantize(v) if known else None) for m, (h, v, known) in sorted(months.items())]
