"""Core's pages beyond the generic ones its declarations give (core.registrations): a facility's and a
district's detail with their people and staff, the offender's detail, timeline and parole hearings,
the offender's save through its service, and the users' pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView

from core import filters, forms, restorative, tables, timeline
from core.choices import Role
from core.dates import format_days
from core.errors import form_errors_from
from core.jobs import READINESS_DAYS
from core.models import Facility, Offender, ProgressReport, Readiness, User
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
        # Hours given in the gardens, the craft shops and dog training, as the viewer may see them.
        context["participation"] = restorative.record_for(
            self.object, self.request.user, timezone.localdate(), program=restorative.PARTICIPATION
        ).blocks
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


# The restorative record (core.restorative) ----------------------------------------------------
def may_print(user) -> bool:
    """Who prints a progress report of a person they may see: staff who work with people; auditors read
    the copies others printed."""
    return user.role != Role.AUDITOR


class OffenderRecordView(ObjectDetailView):
    """What the person has repaired across every program, what is still owed and what will not be done
    before supervision ends, as the viewer may see it; the progress report is printed from here."""

    queryset = Offender.objects.select_related("facility", "district", "supervising_officer")
    template_name = "core/offender_record.html"
    tab = "record"
    form = None

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        record = restorative.record_for(self.object, user, today)
        context.update(
            record=record,
            title=f"Restorative record of {self.object}",
            progress_form=self.form or forms.ProgressReportForm(),
            copies=ProgressReport.objects.restrict(user, VIEW)
            .filter(offender=self.object)
            .select_related("produced_by")[:10],
            programs=timeline.programs(),
            may_print=may_print(user),
        )
        return context


class ProgressReportCreateView(OffenderRecordView):
    """Print the progress report: the copy is kept (who, when) and opened as a PDF."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not may_print(request.user):
            raise Http404
        form = forms.ProgressReportForm(request.POST)
        if not form.is_valid():
            self.form = form
            return self.render_to_response(self.get_context_data(object=self.object), status=400)
        report = restorative.progress_report_produce(
            offender=self.object,
            user=request.user,
            version=form.cleaned_data["version"],
            purpose=form.cleaned_data["purpose"],
        )
        return HttpResponseRedirect(report.get_absolute_url())


class ProgressReportFileView(LoginRequiredMixin, View):
    """A kept copy of a progress report, to whoever may see it (``ProgressReport.scope_q``)."""

    model = ProgressReport

    def get(self, request, pk):
        report = scoped_object_or_404(ProgressReport, request.user, pk, VIEW)
        response = FileResponse(report.file.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="progress-report-{report.offender_id}-{report.as_of:%Y%m%d}.pdf"'
        )
        return response


class ReadinessView(LoginRequiredMixin, ListView):
    """The last night's discharge readiness of the people the user may see whose supervision ends
    within 90 days (an officer's caseload, a supervisor's district), soonest first."""

    template_name = "core/readiness.html"
    paginate_by = 50

    def get_queryset(self):
        rows = Readiness.objects.restrict(self.request.user, VIEW)
        self.night = rows.order_by("-as_of").values_list("as_of", flat=True).first()
        rows = rows.filter(as_of=self.night).select_related("offender", "officer")
        self.show = self.request.GET.get("show", "")
        if self.show == "unmet":
            rows = rows.filter(unmet_count__gt=0)
        elif self.show == "late":
            rows = rows.filter(late=True)
        return rows.order_by("supervision_end_date", "offender_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            night=self.night, show=self.show, title="Discharge readiness", within=format_days(READINESS_DAYS)
        )
        return context
