"""Pages for core records: facilities, districts, organizations, offenders, court cases, users."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import FormView

from core import filters, forms, tables, timeline
from core.errors import form_errors_from
from core.models import CourtCase, District, Facility, Offender, Organization, User
from core.querysets import CHANGE, VIEW
from core.services import offender_save, parole_hearing_record

from .generic import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView, scoped_object_or_404


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


class OffenderTimelineView(ObjectDetailView):
    """Everything the person has done across the programs, newest first, as the viewer may see it."""

    queryset = Offender.objects.select_related("facility", "district", "supervising_officer")
    template_name = "core/offender_timeline.html"
    tab = "timeline"
    paginate_by = 25

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.TimelineFilterForm(self.request.GET or None, programs=timeline.programs())
        program = form.cleaned_data["program"] if form.is_valid() else ""
        items = timeline.timeline_for(self.object, self.request.user, program=program or None)
        page = Paginator(items, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            program=program,
            page_obj=page,
            page_query=query.urlencode(),
            title=f"Timeline of {self.object}",
            can_record_hearing=context["can_change"],
        )
        return context


class ParoleHearingAddView(LoginRequiredMixin, FormView):
    """Record a parole hearing of a person the user may change."""

    template_name = "core/object_form.html"
    form_class = forms.ParoleHearingForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.offender = scoped_object_or_404(Offender, request.user, kwargs["pk"], CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"Record a parole hearing: {self.offender}"
        context["cancel_url"] = reverse("core:offender_timeline", args=[self.offender.pk])
        return context

    def form_valid(self, form):
        try:
            parole_hearing_record(offender=self.offender, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Recorded the parole hearing.")
        return HttpResponseRedirect(reverse("core:offender_timeline", args=[self.offender.pk]))


class OffenderEditView(ObjectEditView):
    model = Offender
    form_class = forms.OffenderForm

    def save(self, form):
        # Through the service: a change of status, facility, district or officer is an offender event.
        return offender_save(offender=form.save(commit=False), user=self.request.user, clean=False)


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
