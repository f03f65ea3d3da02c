"""Pages for core records: facilities, districts, organizations, offenders, court cases, users."""

from django.db.models import Count, Prefetch

from core import filters, forms, tables
from core.models import CourtCase, District, Facility, Offender, Organization, User
from core.querysets import VIEW

from .generic import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView


# Facilities -----------------------------------------------------------------------------------
class FacilityListView(ObjectListView):
    queryset = Facility.objects.select_related("district")
    table_class = tables.FacilityTable
    filterset_class = filters.FacilityFilterSet
    add_url_name = "core:facility_add"


class FacilityDetailView(ObjectDetailView):
    queryset = Facility.objects.select_related("district")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offender_count"] = (
            Offender.objects.restrict(self.request.user, VIEW).filter(facility=self.object).count()
        )
        context["staff"] = self.object.staff.filter(is_active=True).restrict(self.request.user, VIEW)
        return context


class FacilityEditView(ObjectEditView):
    model = Facility
    form_class = forms.FacilityForm


class FacilityHistoryView(ObjectHistoryView):
    model = Facility


# Districts ------------------------------------------------------------------------------------
class DistrictListView(ObjectListView):
    model = District
    table_class = tables.DistrictTable
    filterset_class = filters.DistrictFilterSet
    add_url_name = "core:district_add"


class DistrictDetailView(ObjectDetailView):
    model = District

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offender_count"] = (
            Offender.objects.restrict(self.request.user, VIEW).filter(district=self.object).count()
        )
        context["officers"] = (
            User.objects.restrict(self.request.user, VIEW)
            .filter(district=self.object, is_active=True)
            .annotate(caseload_count=Count("caseload"))
        )
        return context


class DistrictEditView(ObjectEditView):
    model = District
    form_class = forms.DistrictForm


class DistrictHistoryView(ObjectHistoryView):
    model = District


# Organizations --------------------------------------------------------------------------------
class OrganizationListView(ObjectListView):
    queryset = Organization.objects.prefetch_related("kinds")
    table_class = tables.OrganizationTable
    filterset_class = filters.OrganizationFilterSet
    add_url_name = "core:organization_add"


class OrganizationDetailView(ObjectDetailView):
    queryset = Organization.objects.prefetch_related("kinds")


class OrganizationEditView(ObjectEditView):
    model = Organization
    form_class = forms.OrganizationForm


class OrganizationHistoryView(ObjectHistoryView):
    model = Organization


# Offenders ------------------------------------------------------------------------------------
class OffenderListView(ObjectListView):
    queryset = Offender.objects.select_related("facility", "district", "supervising_officer")
    table_class = tables.OffenderTable
    filterset_class = filters.OffenderFilterSet
    add_url_name = "core:offender_add"
    title = "Offenders"


class OffenderDetailView(ObjectDetailView):
    queryset = Offender.objects.select_related("facility", "district", "supervising_officer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cases"] = self.object.cases.all()
        return context


class OffenderEditView(ObjectEditView):
    model = Offender
    form_class = forms.OffenderForm


class OffenderHistoryView(ObjectHistoryView):
    model = Offender


# Court cases ----------------------------------------------------------------------------------
class CourtCaseListView(ObjectListView):
    queryset = CourtCase.objects.select_related("offender")
    table_class = tables.CourtCaseTable
    filterset_class = filters.CourtCaseFilterSet
    add_url_name = "core:courtcase_add"


class CourtCaseDetailView(ObjectDetailView):
    queryset = CourtCase.objects.select_related("offender")


class CourtCaseEditView(ObjectEditView):
    model = CourtCase
    form_class = forms.CourtCaseForm


class CourtCaseHistoryView(ObjectHistoryView):
    model = CourtCase


# Users ----------------------------------------------------------------------------------------
class UserListView(ObjectListView):
    queryset = User.objects.select_related("district").prefetch_related(
        Prefetch("facilities", queryset=Facility.objects.only("pk", "code"))
    )
    table_class = tables.UserTable
    filterset_class = filters.UserFilterSet
    add_url_name = "core:user_add"
    title = "Users and roles"


class UserDetailView(ObjectDetailView):
    queryset = User.objects.select_related("district").prefetch_related("facilities")
    template_name = "core/user_detail.html"


class UserEditView(ObjectEditView):
    model = User

    def get_form_class(self):
        return forms.UserCreateForm if self.object is None else forms.UserForm


class UserHistoryView(ObjectHistoryView):
    model = User
