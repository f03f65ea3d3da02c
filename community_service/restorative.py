"""Community service's part of a person's restorative record (``core.restorative``): each order's hours
ordered and credited, its pace and the completion projected at the pace of the last 8 weeks against the
due date and the end of supervision; who verified each hour and how."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from core.dates import format_date
from core.querysets import VIEW
from core.restorative import Block, Fact, Source, Tone, Unmet, end_projection

from .choices import OrderStatus, PaceStatus, Verification
from .models import HourLog, Order
from .pace import pace_query
from .selectors import pace_for_people, pace_from_row, run_sql

PROGRAM = "community_service"
TITLE = "Community service"
PACE = "the last 8 weeks"
SOURCES = 25  # the latest verified logs the report lists per order


def summary(offender, user, as_of: dt.date) -> list[Block]:
    orders = list(
        Order.objects.restrict(user, VIEW)
        .filter(offender=offender, status__in=[OrderStatus.OPEN, OrderStatus.COMPLETED])
        .select_related("case")
        .order_by("ordered_on", "pk")
    )
    if not orders:
        return []
    open_ids = [o.pk for o in orders if o.status == OrderStatus.OPEN]
    paces = {row[0]: pace_from_row(row) for row in run_sql(*pace_query(as_of, order_ids=open_ids))} if open_ids else {}
    logs = defaultdict(list)
    verified = (
        HourLog.objects.restrict(user, VIEW)
        .filter(Q(order__in=[o.pk for o in orders]), verification=Verification.VERIFIED, voided_at__isnull=True)
        .order_by("order_id", "-date", "-pk")
        .values_list(
            "order_id", "date", "credited_hours", "decided_by_name", "method", "placement__agency__organization__name"
        )
    )
    for order_id, day, hours, who, method, agency in verified:
        logs[order_id].append((day, hours, who, method, agency))
    end = offender.supervision_end_date
    blocks = []
    for order in orders:
        title = f"{order.hours_ordered} hours, case {order.case.case_number}"
        sources = [
            Source(day, f"{hours} hours at {agency}, verified by {who} ({_method(method)})")
            for day, hours, who, method, agency in logs[order.pk][:SOURCES]
        ]
        if len(logs[order.pk]) > SOURCES:
            sources.append(Source(None, f"And {len(logs[order.pk]) - SOURCES} earlier verified logs."))
        pace = paces.get(order.pk)
        if order.status == OrderStatus.COMPLETED or pace is None:
            credited = order.credited_total
            blocks.append(
                Block(
                    program=PROGRAM,
                    title=TITLE,
                    tone=Tone.DONE,
                    headline=f"{title}: completed"
                    + (f" on {format_date(order.closed_on)}" if order.closed_on else "")
                    + f" ({credited} hours credited).",
                    facts=(Fact("Ordered", f"{order.hours_ordered} hours"), Fact("Credited", f"{credited} hours")),
                    due=order.due_on,
                    sources=tuple(sources),
                    url=order.get_absolute_url(),
                )
            )
            continue
        projection, late = ("All the hours are credited.", False)
        if pace.remaining > 0:
            projection, late = end_projection(pace.projected_on, end, pace=PACE)
            if pace.projected_late and not late:
                projection += f" That is after the due date ({format_date(order.due_on)})."
        if pace.status == PaceStatus.COMPLETED:
            tone = Tone.DONE
        elif late:
            tone = Tone.AT_RISK
        elif pace.status in (PaceStatus.BEHIND, PaceStatus.PAST_DUE) or pace.projected_late:
            tone = Tone.OWED
        else:
            tone = Tone.ON_TRACK
        blocks.append(
            Block(
                program=PROGRAM,
                title=TITLE,
                tone=tone,
                headline=f"{title}: {pace.credited:.2f} credited, {pace.remaining:.2f} left; "
                f"{PaceStatus(pace.status).label.lower()}.",
                facts=(
                    Fact("Ordered", f"{pace.hours_ordered} hours by {format_date(order.due_on)}"),
                    Fact("Credited", f"{pace.credited:.2f} hours"),
                    Fact("Expected by now", f"{pace.expected:.2f} hours"),
                    Fact("Behind", f"{pace.behind:.2f} hours"),
                    Fact(f"Credited in {PACE}", f"{pace.recent:.2f} hours"),
                ),
                due=order.due_on,
                projected=pace.projected_on,
                projection=projection,
                late=late,
                sources=tuple(sources),
                url=order.get_absolute_url(),
            )
        )
    return blocks


def _method(method: str) -> str:
    return {
        "agency_link": "agency's link",
        "signed_sheet": "signed sheet",
        "agency_report": "agency's report",
        "imported": "imported",
    }.get(method, method)


def unmet(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """Each open order with hours left, late when at the pace of the last 8 weeks it is not done by the
    end of supervision (or there is no pace): the pace engine once."""
    found: dict[int, list[Unmet]] = {}
    for offender_id, items in pace_for_people(list(people), as_of).items():
        for _, pace in items:
            if pace.remaining <= 0:
                continue
            found.setdefault(offender_id, []).append(
                Unmet(
                    PROGRAM,
                    f"Community service: {pace.remaining} of {pace.hours_ordered} hours left",
                    pace.after_supervision or pace.projected_on is None,
                )
            )
    return found


def durations(user, start: dt.date, end: dt.date):
    """Orders completed in the period: from the order date to completion."""
    from core.restorative import durations_of

    done = Order.objects.restrict(user, VIEW).filter(
        status=OrderStatus.COMPLETED, closed_on__gte=start, closed_on__lte=end
    )
    return [durations_of(done, what="Community service orders completed", end="closed_on", start="ordered_on")]
