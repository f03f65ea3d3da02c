"""Administrators' pages: the brochure (text blocks, photos, rebuild on demand) and historical baselines."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views import View
from django.views.generic import TemplateView

from core.choices import JobOutcome
from core.models import JobRun
from core.querysets import CHANGE, VIEW
from core.registry import registry
from core.views.generic import ObjectEditView

from ..forms import BrochureBlockForm, BrochurePhotosForm, FigureBaselineForm
from ..models import BrochureBlock, FigureBaseline, Photo
from ..sections import DEFAULTS_BY_KEY
from ..selectors import compute_figure, format_number, sections
from ..services import brochure_current, brochure_photos_choose


class AdministratorMixin(LoginRequiredMixin):
    """Administrators only; anyone else gets a 404 (the page is outside their scope)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_administrator:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


REQUESTED_KEY = "brochure_rebuild_requested_at"
WAIT_FOR_WORKER = dt.timedelta(minutes=10)


def _running_build():
    return JobRun.objects.filter(job="brochure", outcome=JobOutcome.RUNNING).order_by("-started_at").first()


class BrochureAdminView(AdministratorMixin, TemplateView):
    """The brochure: the current file, rebuild now, its text blocks and its photos."""

    template_name = "reports/brochure_admin.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["reports/includes/brochure_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        build = brochure_current()
        context["build"] = build
        context["running"] = _running_build()
        # After "rebuild now", keep polling until a worker has picked the job up and built a new file.
        requested = parse_datetime(self.request.session.get(REQUESTED_KEY) or "")
        if requested and (timezone.now() - requested > WAIT_FOR_WORKER or (build and build.built_at >= requested)):
            self.request.session.pop(REQUESTED_KEY, None)
            requested = None
        context["waiting"] = requested is not None and context["running"] is None
        context["last_run"] = JobRun.objects.filter(job="brochure").order_by("-started_at", "-pk").first()
        if not self.request.htmx:
            context["sections"] = sections(include_hidden=True)
            context["saved_blocks"] = {b.key: b for b in BrochureBlock.objects.all()}
            context["photos_form"] = kwargs.get("photos_form") or BrochurePhotosForm(
                initial={"photos": Photo.objects.public().filter(on_brochure=True)}
            )
        context["title"] = "Brochure"
        return context

    def post(self, request):
        if "rebuild" in request.POST:
            from core.tasks import run_job_task

            user_id = request.user.pk
            request.session[REQUESTED_KEY] = timezone.now().isoformat()
            transaction.on_commit(lambda: run_job_task.delay("brochure", None, user_id))
            messages.success(request, "The brochure is being rebuilt from today's figures.")
            return redirect("reports:brochure_admin")
        form = BrochurePhotosForm(request.POST)
        if form.is_valid():
            try:
                count = brochure_photos_choose(user=request.user, photo_ids=[p.pk for p in form.cleaned_data["photos"]])
            except ValidationError as exc:
                form.add_error("photos", exc)
            else:
                messages.success(
                    request,
                    f"The brochure will print {count} photo{'s' if count != 1 else ''}. Rebuild it to see them.",
                )
                return redirect("reports:brochure_admin")
        return self.render_to_response(self.get_context_data(photos_form=form))


class BrochureDownloadView(AdministratorMixin, View):
    """The current brochure file as a download (the public open the same file at /brochure.pdf)."""

    def get(self, request):
        build = brochure_current()
        if build is None:
            raise Http404("The brochure has not been built yet.")
        return FileResponse(
            build.file.open("rb"),
            as_attachment=True,
            filename=f"restorative-justice-brochure-{build.built_at:%Y-%m-%d}.pdf",
        )


class BrochureBlockEditView(ObjectEditView):
    """Edit one section's text; a section not yet saved starts from its default text."""

    model = BrochureBlock
    form_class = BrochureBlockForm

    def get_object(self, queryset=None):
        key = self.kwargs["key"]
        if not self.request.user.is_administrator:
            raise Http404
        block = BrochureBlock.objects.restrict(self.request.user, CHANGE).filter(key=key).first()
        if block is None:
            default = DEFAULTS_BY_KEY.get(key)
            if default is None:
                raise Http404
            block = BrochureBlock(
                key=key, title=default.title, body=default.body, page=default.page, order=default.order
            )
        return block

    def form_valid(self, form):
        form.instance.updated_by = self.request.user
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"Edit the brochure: {self.object.title}"
        context["cancel_url"] = self.object.get_absolute_url()
        return context


class FigureBaselineListView(AdministratorMixin, TemplateView):
    """Totals from before RJ Admin, each beside what the records hold and their sum."""

    template_name = "reports/baseline_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for baseline in FigureBaseline.objects.restrict(self.request.user, VIEW).select_related("entered_by"):
            entry = registry.figures.get(baseline.figure)
            value = compute_figure(entry) if entry else None
            numeric = value is not None and not isinstance(value, list)
            rows.append(
                {
                    "baseline": baseline,
                    "label": entry.label if entry else f"{baseline.figure} (not registered)",
                    "unit": entry.unit if entry else "",
                    "records": format_number(value) if numeric else "—",
                    "total": format_number(baseline.value + (value if numeric else 0)),
                }
            )
        context["rows"] = rows
        context["title"] = "Historical baselines"
        context["has_figures"] = bool(registry.figures)
        return context


class FigureBaselineEditView(ObjectEditView):
    model = FigureBaseline
    form_class = FigureBaselineForm
