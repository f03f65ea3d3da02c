"""Core's pages beyond the generic ones its declarations give (core.registrations): a facility's and a
district's detail with their people and staff, the offender's detail, timeline and parole hearings,
the offender's save through its service, and the users' pages."""

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
from core.models import Facility, Offender, User
from core.querysets import CHANGE, VIEW
from core.registry import registry
from core.services import offender_save, parole_hearing_record

from .generic import ObjectDetailView, ObjectEditView, ObjectListView, scoped_object_or_404


# Facilities -----------------------------------------------------------------------------------
class FacilityDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offender_count"] = (
            Offender.objects.restrict(self.request.user, VIEW).filter(facility=self.object).count()
        )
        context["staff"] = self.object.staff.filter(is_active=True).restrict(self.request.user, VIEW)
        return context


# Districts ------------------------------------------------------------------------------------
class DistrictDetailView(ObjectDetailView):
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


# Offenders ------------------------------------------------------------------------------------
class OffenderDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cases"] = self.object.cases.all()
        context["person_actions"] = registry.person_actions_for(self.request.user, self.object)
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
    def save(self, form):
        # Through the service: a change of status, facility, district or officer is an offender event.
        return offender_save(offender=form.save(commit=False), user=self.request.user, clean=False)


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
    template_name = "core/user_detail.html"


class UserEditView(ObjectEditView):
    def get_form_class(self):
        return forms.UserCreateForm if self.object is None else forms.UserForm
