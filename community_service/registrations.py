"""Community service's entries in core's registry: the model declarations (pages, menu, API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.choices import Role
from core.dates import format_date
from core.querysets import VIEW
from core.registry import FigureEntry, ReportEntry, RestorativeProvider, TimelineProvider, registry
from core.resources import Menu, Resource, register
from restitution.selectors import CaseloadProgram, register_caseload_program

from . import api, filters, forms, restorative, selectors, services, tables, views
from .models import Agency, HourLog, HourValueRate, Order, Placement

STAFF_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.AUDITOR, Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR, Role.BOARD_COORDINATOR}
)


@register
class AgencyResource(Resource):
    """The statewide catalog of agencies, kept by administrators and district supervisors."""

    model = Agency
    fields = (
        "organization",
        "ein",
        "agreement_start",
        "agreement_end",
        "verifier_name",
        "verifier_email",
        "kinds_of_work",
        "minors_present",
        "active",
    )
    table_fields = ("organization", "kinds_of_work", "agreement_end", "minors_present", "active")
    search_fields = ("organization__name", "organization__town", "kinds_of_work")
    filter_fields = ("minors_present", "active")
    api_prefix = "community-service/agencies"
    form_class = forms.AgencyForm
    detail_view = views.AgencyDetailView
    title = "Community service agencies"
    intro = "Non-profit and tax-supported agencies where people work their ordered hours."
    menu = Menu("Programs", "Service agencies", order=72)


@register
class OrderResource(Resource):
    """Orders are opened and edited here while open, on the pages and through the API (services)."""

    model = Order
    fields = services.ORDER_EDITABLE  # what the page's form and the API's order_update may change
    detail_fields = (*fields, "status", "closed_on")
    api_fields = (*fields, "status", "closed_on")
    table_fields = ("offender", "case__case_number", "hours_ordered", "ordered_on", "due_on", "status")
    search_fields = ("offender__last_name", "offender__doc_id", "case__case_number")
    filter_fields = ("status", "source")
    url_prefix = "orders"
    api_prefix = "community-service/orders"
    form_class = forms.OrderForm
    detail_view = views.OrderDetailView
    edit_view = views.OrderEditView
    serializer_class = api.OrderSerializer
    viewset_class = api.OrderViewSet
    title = "Community service orders"
    menu = Menu("Programs", "Community service orders", order=70)


@register
class PlacementResource(Resource):
    """A new placement goes through ``placement_create``: the agreement, minors and conflict rules."""

    model = Placement
    fields = ("offender", "agency", "start_on", "end_on", "note")
    search_fields = ("offender__last_name", "offender__doc_id", "agency__organization__name")
    filter_fields = ("agency",)
    api_prefix = "community-service/placements"
    form_class = forms.PlacementForm
    detail_view = views.PlacementDetailView
    edit_view = views.PlacementEditView
    serializer_class = api.PlacementSerializer
    viewset_class = api.PlacementViewSet
    menu = Menu("Programs", "Service placements", order=73, visible=lambda u: u.role in STAFF_ROLES)


@register
class HourLogResource(Resource):
    """A voidable entry: recorded and corrected (while pending) through the services, locked once
    verified or rejected, voided with a reason."""

    model = HourLog
    fields = ("order", "placement", "date", "start_time", "end_time", "hours", "task")
    api_fields = (
        *fields,
        "offender",
        "source",
        "verification",
        "credited_hours",
        "decided_at",
        "decided_by_name",
        "method",
        "decision_note",
        "voided_at",
        "void_reason",
    )
    void_service = services.hour_log_void
    void_arg = "log"
    url_prefix = "hours"
    api_prefix = "community-service/hours"
    form_class = forms.HourLogForm
    table_class = tables.HourLogTable
    filterset_class = filters.HourLogFilterSet
    list_view = views.HourLogListView
    detail_view = views.HourLogDetailView
    edit_view = views.HourLogEditView
    void_view = views.HourLogVoidView
    serializer_class = api.HourLogSerializer
    viewset_class = api.HourLogViewSet
    title = "Community service hours"
    menu = Menu("Programs", "Community service hours", order=71)


@register
class HourValueRateResource(Resource):
    """The value of an hour, with its history: administrators set it; every role reads it."""

    model = HourValueRate
    fields = ("effective_on", "dollars_per_hour", "note")
    url_prefix = "hour-values"
    api_prefix = "community-service/hour-values"
    title = "Value of an hour of community service"
    intro = "Each rate applies from its date until the next one; reports multiply each day's hours by it."
    menu = Menu("Administration", "Community service hour value", order=80, visible=lambda u: u.is_administrator)


# Hours beside restitution on the caseload: one page, one row per person -----------------------------
def _caseload_summary(rows) -> str | None:
    late = sum(1 for r in rows if (cell := r.programs.get("community_service")) and cell.after_supervision)
    if not late:
        return None
    who = "person" if late == 1 else "people"
    return (
        f"{late} {who} will not finish their community service hours before supervision ends at the pace of "
        "the last 8 weeks."
    )


register_caseload_program(
    CaseloadProgram(
        slug="community_service",
        label="community service",
        people=selectors.caseload_people,
        cells=selectors.hours_by_person,
        columns=tables.caseload_columns,
        summary=_caseload_summary,
    )
)


# The person's timeline ---------------------------------------------------------------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    items = []
    for o in Order.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        items.append(
            TimelineItem(
                date=o.ordered_on,
                program="community_service",
                kind="Community service ordered",
                text=f"{o.hours_ordered} hours on case {o.case.case_number}, due {format_date(o.due_on)}",
                url=o.get_absolute_url(),
                source=f"community_service.Order:{o.pk}",
                sort_key=(o.ordered_on.isoformat(), o.pk),
            )
        )
        if o.closed_on:
            items.append(
                TimelineItem(
                    date=o.closed_on,
                    program="community_service",
                    kind=f"Order {o.get_status_display().lower()}",
                    text=f"{o.hours_ordered} hours on case {o.case.case_number}",
                    url=o.get_absolute_url(),
                    source=f"community_service.Order:{o.pk}:closed",
                    sort_key=(o.closed_on.isoformat(), o.pk),
                )
            )
    for p in Placement.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        items.append(
            TimelineItem(
                date=p.start_on,
                program="community_service",
                kind="Placed at an agency",
                text=f"{p.agency}" + (f" until {format_date(p.end_on)}" if p.end_on else ""),
                url=p.get_absolute_url(),
                source=f"community_service.Placement:{p.pk}",
                sort_key=(p.start_on.isoformat(), p.pk),
            )
        )
    logs = (
        HourLog.objects.restrict(user, VIEW).filter(offender=offender).select_related("placement__agency__organization")
    )
    for log in logs.order_by():
        state = "void" if log.is_voided else log.get_verification_display().lower()
        items.append(
            TimelineItem(
                date=log.date,
                program="community_service",
                kind="Hours",
                text=f"{log.hours} hours at {log.placement.agency} ({state})",
                url=log.get_absolute_url(),
                source=f"community_service.HourLog:{log.pk}",
                sort_key=(log.entered_at.isoformat(), log.pk),
            )
        )
    return items


registry.timeline_provider(
    TimelineProvider(slug="community_service", program="community_service", label="Community service", events=_timeline)
)


def _seed():
    from .demo import demo_seed

    demo_seed()


registry.demo_seeder(_seed, order=45)


# Reports and public figures ----------------------------------------------------------------------------
REPORT_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.AUDITOR, Role.DISTRICT_SUPERVISOR, Role.PROBATION_OFFICER, Role.BOARD_COORDINATOR}
)


def _method(log) -> str:
    return {
        "agency_link": "the agency, by e-mailed link",
        "signed_sheet": "the officer, with the signed sheet",
        "imported": "imported, verifier named",
    }.get(log.method, "")


def order_hours_report(user, params) -> dict:
    """The court-ready hours of one order: its figures and every entry with who decided it, when and how."""
    order = params.get("order")
    if order is None:
        return {"intro": "Choose an order by its number to print its hours and their verification trail.", "tables": []}
    data = selectors.order_hours_trail(order)
    t, pace = data["totals"], data["pace"]
    person = order.offender
    summary = [
        ["Person", f"{person.first_name} {person.last_name} (DOC ID {person.doc_id})"],
        ["Case", f"{order.case.case_number}, {order.case.court}"],
        ["Ordered", f"{order.hours_ordered} hours on {format_date(order.ordered_on)}, due {format_date(order.due_on)}"],
        [
            "Order status",
            order.get_status_display() + (f" ({format_date(order.closed_on)})" if order.closed_on else ""),
        ],
        ["Hours credited", t["credited"] or "0.00"],
        ["Hours waiting for verification", t["pending"] or "0.00"],
        ["Hours rejected", t["rejected"] or "0.00"],
    ]
    if pace:
        summary.append(
            ["Pace today", f"{pace.status.replace('_', ' ')}: {pace.expected} expected, {pace.behind} behind"]
        )
    trail = []
    for log in data["logs"]:
        if log.is_voided:
            decision = f"Void: {log.void_reason}"
        elif log.is_decided:
            decision = log.get_verification_display()
        else:
            decision = "Pending"
        trail.append(
            [
                format_date(log.date),
                str(log.placement.agency),
                log.task,
                log.hours,
                log.credited_hours,
                decision,
                log.decided_by_name,
                f"{log.decided_at:%Y-%m-%d %H:%M}" if log.decided_at else "",
                _method(log),
            ]
        )
    return {
        "tables": [
            {"title": f"Order {order.pk}", "columns": ["", ""], "rows": summary},
            {
                "title": "Every entry and its verification",
                "columns": ["Date", "Agency", "Task", "Reported", "Credited", "Decision", "By", "When", "How"],
                "rows": trail,
            },
        ]
    }


def hours_by_agency_report(user, params) -> dict:
    """Credited hours by month, agency and district."""
    from django.utils import timezone

    end = params.get("end") or timezone.localdate()
    start = params.get("start") or end.replace(month=1, day=1)
    rows = selectors.hours_by_agency_district_month(user, start, end)
    return {
        "tables": [
            {
                "title": f"Credited hours, {format_date(start)} to {format_date(end)}",
                "columns": ["Month", "Agency", "District", "Hours", "Entries", "People"],
                "rows": [
                    [
                        f"{r['month']:%b %Y}",
                        r["placement__agency__organization__name"],
                        r["offender__district__name"] or "—",
                        r["hours"],
                        r["logs"],
                        r["people"],
                    ]
                    for r in rows
                ],
            }
        ]
    }


def hours_and_value_report(user, params) -> dict:
    """Statewide credited hours by month and their value at the rate in effect on each day."""
    from django.utils import timezone

    from core.money import format_money

    end = params.get("end") or timezone.localdate()
    start = params.get("start") or end.replace(month=1, day=1)
    rows = selectors.hours_and_value_by_month(start, end)
    total_hours = sum((h for _, h, _ in rows), Decimal("0.00"))
    known = [v for _, _, v in rows if v is not None]
    return {
        "intro": "The value is each day's credited hours times the hour value in effect that day"
        + ("." if len(known) == len(rows) else "; a dash marks a month with hours before any value was set."),
        "tables": [
            {
                "title": f"Statewide, {format_date(start)} to {format_date(end)}",
                "columns": ["Month", "Hours credited", "Value"],
                "rows": [[f"{m:%b %Y}", h, format_money(v) if v is not None else "—"] for m, h, v in rows]
                + ([["Total", total_hours, format_money(sum(known))]] if rows else []),
            }
        ],
    }


for entry in (
    ReportEntry(
        slug="community-service-hours-value",
        title="Community service hours and their value, statewide",
        app="community_service",
        description="Verified hours credited each month across the state, and their value at the hour value "
        "an administrator sets (with its history).",
        build=hours_and_value_report,
        roles=frozenset({Role.ADMINISTRATOR, Role.AUDITOR}),
        form_class=forms.HoursReportForm,
    ),
    ReportEntry(
        slug="community-service-order-hours",
        title="Community service hours of an order (for the court)",
        app="community_service",
        description="One order's hours: credited, waiting and rejected, and every entry with who verified it, "
        "when and how.",
        build=order_hours_report,
        roles=REPORT_ROLES,
        form_class=forms.OrderReportForm,
    ),
    ReportEntry(
        slug="community-service-hours-by-agency",
        title="Community service hours by agency, district and month",
        app="community_service",
        description="Verified hours credited, by month, agency and the district of the people who worked them.",
        build=hours_by_agency_report,
        roles=REPORT_ROLES,
        form_class=forms.HoursReportForm,
    ),
):
    registry.report(entry)


def _this_year():
    from django.utils import timezone

    today = timezone.localdate()
    return selectors.hours_credited(today.replace(month=1, day=1), today)


def _value_this_year():
    from django.utils import timezone

    today = timezone.localdate()
    rows = selectors.hours_and_value_by_month(today.replace(month=1, day=1), today)
    if not rows or any(v is None for _, _, v in rows):
        return None
    return sum(v for _, _, v in rows)


registry.figure(
    FigureEntry(
        "community-service-value-year",
        "Value of the community service worked this year",
        _value_this_year,
        order=41,
        app="community_service",
        unit="dollars",
        describe="Each hour is valued at the rate the department sets, as partial repayment to the community.",
    )
)
registry.figure(
    FigureEntry(
        "community-service-hours-year",
        "Hours of community service worked this year",
        _this_year,
        order=40,
        app="community_service",
        unit="hours",
        describe="People under supervision work the hours a court orders at non-profit and tax-supported agencies.",
        compute_year=lambda year: selectors.hours_credited(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    )
)


registry.restorative_provider(
    RestorativeProvider(
        slug="community_service",
        program="community_service",
        label="Community service",
        summary=restorative.summary,
        unmet=restorative.unmet,
        durations=restorative.durations,
        order=20,
    )
)
