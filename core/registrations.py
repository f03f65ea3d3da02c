"""Core's model declarations (core.resources): places, people and their cases, users.

Each declaration gives its model's list, detail, add, edit and history pages, their URLs, the menu
entry and the API viewset. The custom pieces named here hold only rules (a code's format, the
kinds an organization must have, a save through the service that emits offender events).
"""

from core import filters, forms, tables
from core.api import views as api
from core.models import CourtCase, District, Facility, Offender, Organization, User
from core.resources import Menu, Resource, register
from core.views import records


@register
class FacilityResource(Resource):
    model = Facility
    fields = ("name", "code", "town", "kind", "region", "district", "active")
    table_fields = ("name", "code", "town", "kind", "region", "district__number", "active")
    search_fields = ("name", "code", "town")
    filter_fields = ("kind", "region", "active")
    api_filter_fields = ("code", "kind", "region", "active", "district")
    form_class = forms.FacilityForm
    detail_view = records.FacilityDetailView
    menu = Menu("Places", order=10)


@register
class DistrictResource(Resource):
    model = District
    fields = ("number", "name", "region")
    search_fields = ("name",)
    filter_fields = ("region",)
    api_filter_fields = ("number", "region")
    detail_view = records.DistrictDetailView
    menu = Menu("Places", order=20)


@register
class OrganizationResource(Resource):
    model = Organization
    fields = (
        "name",
        "kinds",
        "agency_status",
        "address",
        "town",
        "zip_code",
        "county",
        "contact_name",
        "contact_phone",
        "contact_email",
        "active",
    )
    table_fields = ("name", "kinds", "town", "county", "contact_name", "active")
    form_class = forms.OrganizationForm
    filterset_class = filters.OrganizationFilterSet
    serializer_class = api.OrganizationSerializer
    viewset_class = api.OrganizationViewSet
    menu = Menu("Places", "Partner organizations", order=30)


@register
class OffenderResource(Resource):
    model = Offender
    fields = (
        "doc_id",
        "last_name",
        "first_name",
        "date_of_birth",
        "status",
        "facility",
        "district",
        "supervising_officer",
        "supervision_end_date",
    )
    url_prefix = "offenders"
    form_class = forms.OffenderForm
    table_class = tables.OffenderTable
    filterset_class = filters.OffenderFilterSet
    viewset_class = api.OffenderViewSet
    api_filter_fields = ("doc_id", "status", "facility", "district", "supervising_officer")
    detail_view = records.OffenderDetailView
    edit_view = records.OffenderEditView
    title = "Offenders"
    menu = Menu("People", "Offenders", order=10)


@register
class CourtCaseResource(Resource):
    model = CourtCase
    fields = ("court", "case_number", "county", "offender", "offense", "offense_class", "sentencing_date")
    table_fields = ("case_number", "court", "county", "offender", "offense_class", "sentencing_date")
    url_prefix = "cases"
    table_class = tables.CourtCaseTable
    filterset_class = filters.CourtCaseFilterSet
    api_filter_fields = ("court", "case_number", "county", "offender")
    menu = Menu("People", order=20)


@register
class UserResource(Resource):
    """Users and roles: administrators add and edit them (the menu entry is in core.navigation)."""

    model = User
    fields = ("username", "first_name", "last_name", "email", "role", "district", "facilities", "is_active")
    table_fields = ("username", "last_name", "role", "district", "facilities", "is_active", "last_login")
    api = False
    list_view = records.UserListView
    detail_view = records.UserDetailView
    edit_view = records.UserEditView
    table_class = tables.UserTable
    filterset_class = filters.UserFilterSet
