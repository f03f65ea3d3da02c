"""The report catalog, running a report in a format, and the generated reports with their progress."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView, TemplateView

from core.audit import audit_log
from core.querysets import VIEW
from core.registry import registry

from ..catalog import (
    NoTable,
    build_context,
    entries_for,
    estimated_rows,
    formats_of,
    may_run,
    parameter_form,
    params_display,
    render_html_body,
    render_output,
    report_params,
    runs_as_task,
)
from ..choices import ReportFormat, ReportStatus
from ..models import GeneratedReport
from ..services import generated_report_create

GROUP_NAMES = {"core": "People, places and statewide"}


def _group_name(app_label: str) -> str:
    if app_label in GROUP_NAMES:
        return GROUP_NAMES[app_label]
    try:
        return apps.get_app_config(app_label).verbose_name
    except LookupError:
        return app_label.replace("_", " ").capitalize()


class CatalogView(LoginRequiredMixin, TemplateView):
    """The reports this user may run, grouped by program."""

    template_name = "reports/catalog.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups: dict[str, list] = {}
        for entry in entries_for(self.request.user):
            groups.setdefault(_group_name(entry.app), []).append(
                {"entry": entry, "formats": [ReportFormat(f).label for f in formats_of(entry)]}
            )
        context["groups"] = sorted(groups.items())
        context["title"] = "Report catalog"
        return context


class ReportRunView(LoginRequiredMixin, TemplateView):
    """One report: its parameter form, then the report as a page, a PDF, a CSV file or a workbook.

    A report larger than the threshold runs as a task into a generated report (a file to download).
    """

    template_name = "reports/report_run.html"

    def get_entry(self):
        entry = registry.reports.get(self.kwargs["slug"])
        if entry is None or not may_run(entry, self.request.user):
            raise Http404
        return entry

    def get(self, request, *args, **kwargs):
        entry = self.get_entry()
        user = request.user
        fmt = request.GET.get("format", "")
        offered = formats_of(entry)
        if fmt and fmt not in offered:
            raise Http404
        form = parameter_form(entry, user, data=request.GET if fmt else None)
        context = {
            "entry": entry,
            "form": form,
            "formats": [(f, ReportFormat(f).label) for f in offered],
            "title": entry.title,
        }
        if fmt and form.is_valid():
            params = report_params(entry, form, request.GET)
            parameters = params_display(form)
            context["parameters"] = parameters
            large = runs_as_task(entry, user, params)
            if large and fmt != ReportFormat.HTML:
                data = {k: request.GET.getlist(k) for k in request.GET if k != "format"}
                report = generated_report_create(user=user, entry=entry, fmt=fmt, data=data, parameters=parameters)
                messages.info(request, f"{entry.title} is being prepared. This page shows its progress.")
                return redirect(report)
            audit_log(user=user, action=f"report_{fmt}", object_type="report", object_id=entry.slug, detail=parameters)
            if fmt == ReportFormat.HTML:
                if large:
                    context["too_large"] = estimated_rows(entry, user, params)
                else:
                    built = build_context(entry, user, params)
                    context["body"] = render_html_body(entry, user, built, parameters=parameters, request=request)
            else:
                built = build_context(entry, user, params)
                try:
                    output = render_output(entry, user, built, fmt, parameters=parameters)
                except NoTable:
                    raise Http404("This report has no table to put in a spreadsheet.") from None
                response = HttpResponse(output.content, content_type=output.content_type)
                disposition = "inline" if fmt == ReportFormat.PDF else "attachment"
                response["Content-Disposition"] = f'{disposition}; filename="{output.filename}"'
                return response
        return self.render_to_response(self.get_context_data(**context))


class GeneratedReportListView(LoginRequiredMixin, ListView):
    template_name = "reports/generated_list.html"
    paginate_by = 25

    def get_queryset(self):
        # Each user's own list (administrators open others' from a link, by scope).
        return GeneratedReport.objects.restrict(self.request.user, VIEW).filter(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "My generated reports"
        return context


def _scoped_report(request, key) -> GeneratedReport:
    return get_object_or_404(GeneratedReport.objects.restrict(request.user, VIEW).select_related("user"), key=key)


class GeneratedReportDetailView(LoginRequiredMixin, TemplateView):
    """A generated report's progress, read from its row; a download link once it is ready."""

    template_name = "reports/generated_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["reports/includes/generated_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = _scoped_report(self.request, self.kwargs["key"])
        context.update(report=report, title=report.title)
        return context


class GeneratedReportDownloadView(LoginRequiredMixin, View):
    def get(self, request, key):
        report = _scoped_report(request, key)
        if report.status != ReportStatus.READY or not report.file:
            raise Http404("This report has no file: it is not ready or it has expired.")
        audit_log(user=request.user, action="report_download", obj=report, detail=report.slug)
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename)


def catalog_redirect(request):
    return redirect("reports:catalog")
