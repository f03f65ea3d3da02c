"""Community service's entries in core's registry: the model declarations (pages, menu, API)."""

from __future__ import annotations

from core.api.base import ReadOnlyScopedViewSet
from core.choices import Role
from core.resources import Menu, Resource, register

from . import filters, forms, services, tables, views
from .models import Agency, HourLog, Order, Placement

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
    """Orders are opened and edited here while open; the API reads them."""

    model = Order
    fields = (
        "offender",
        "case",
        "hours_ordered",
        "ordered_on",
        "due_on",
        "source",
        "fine_rate",
        "schedule",
        "follows",
        "minors_barred",
        "note",
    )
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
    viewset_class = ReadOnlyScopedViewSet
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
    viewset_class = ReadOnlyScopedViewSet
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
    viewset_class = ReadOnlyScopedViewSet
    title = "Community service hours"
    menu = Menu("Programs", "Community service hours", order=71)
