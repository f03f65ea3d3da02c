"""Dashboard, alerts, background jobs, CSV imports and health checks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core import freshness
from core.choices import JobOutcome, Role
from core.filters import JobRunFilterSet
from core.forms import ImportUploadForm, RunJobForm
from core.imports import (
    IMPORTERS,
    import_batch_commit,
    import_batch_create,
    import_batch_discard,
    importers_for,
    preview_data,
)
from core.jobs import JOBS, job_run_mark_failed, stale_runs
from core.models import Alert, ImportBatch, JobRun
from core.querysets import VIEW, can
from core.registry import registry
from core.tables import JobRunTable

from .generic import ObjectListView, scoped_object_or_404


class DashboardView(LoginRequiredMixin, TemplateView):
    """The panels registered for the user's role, in order (core's in core/dashboards.py, the apps' in
    their registration modules). No role branch lives here."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        role = Role.ADMINISTRATOR if user.is_superuser and not user.role else user.role
        context["role"] = role
        context["role_label"] = Role(role).label if role else "No role yet"
        context["panels"] = [html for html in (self.render_panel(p) for p in registry.panels_for(role)) if html]
        return context

    def render_panel(self, panel) -> str:
        """The panel's HTML, from the cache kept per user and data version when the panel allows it."""
        if not panel.cached:
            return panel.render(self.request) or ""
        # The date is in the key: "ends within 60 days" changes at midnight without a write.
        key = f"panel:{panel.slug}:{self.request.user.pk}:{timezone.localdate():%Y%m%d}"
        return freshness.cached(key, lambda: panel.render(self.request) or "")


class AlertListView(LoginRequiredMixin, ListView):
    template_name = "core/alert_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Alert.objects.restrict(self.request.user, VIEW)

    def post(self, request):
        ids = request.POST.getlist("alert")
        qs = self.get_queryset().filter(read_at__isnull=True)
        if ids:
            qs = qs.filter(pk__in=ids)
        count = qs.update(read_at=timezone.now())
        messages.success(request, f"Marked {count} alert{'s' if count != 1 else ''} as read.")
        return redirect("core:alert_list")


# Jobs -----------------------------------------------------------------------------------------
class JobRunListView(ObjectListView):
    """Job runs, and a form that queues a job now. Administrators run; auditors read."""

    queryset = JobRun.objects.select_related("triggered_by")
    table_class = JobRunTable
    template_name = "core/jobrun_list.html"
    title = "Background jobs"
    filterset_class = JobRunFilterSet

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, JobRun, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs"] = sorted(JOBS.values(), key=lambda j: (j.hour is None, j.hour or 0, j.minute, j.name))
        context["can_run"] = self.request.user.is_administrator
        context["run_form"] = kwargs.get("run_form") or RunJobForm(jobs=context["jobs"])
        # Runs in progress: the page polls while there is one; a run whose lock is free has stopped.
        running = list(self.get_queryset().filter(outcome=JobOutcome.RUNNING).order_by("started_at")[:50])
        stale = stale_runs(running)
        context["running"] = [(run, run.pk in stale) for run in running]
        context["polling"] = any(run.pk not in stale for run in running)
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.is_administrator:
            raise PermissionDenied  # auditors read the runs; only administrators start one
        form = RunJobForm(request.POST, jobs=JOBS.values())
        if not form.is_valid():
            self.object_list = self.get_queryset()
            messages.error(request, "Choose a job and a valid date.")
            return redirect("core:jobrun_list")
        from core.tasks import run_job_task

        name = form.cleaned_data["job"]
        run_date = form.cleaned_data["run_date"] or timezone.localdate()
        transaction.on_commit(lambda: run_job_task.delay(name, run_date.isoformat(), request.user.pk))
        messages.success(request, f"Queued {name.replace('_', ' ')} for {run_date:%b %-d, %Y}. Refresh to see its run.")
        return redirect("core:jobrun_list")


class JobRunMarkFailedView(LoginRequiredMixin, View):
    """Close a run left "running" by a process that stopped: a confirmation, then ``job_run_mark_failed``.

    Administrators only (auditors read the runs: 403); other roles: 404, like the jobs page."""

    model = JobRun
    template_name = "core/jobrun_mark_failed.html"

    def get_run(self, request, pk):
        run = scoped_object_or_404(JobRun, request.user, pk, VIEW)
        if not request.user.is_administrator:
            raise PermissionDenied
        return run

    def get(self, request, pk):
        run = self.get_run(request, pk)
        context = {
            "run": run,
            "title": "Mark this run failed",
            "stale": run.pk in stale_runs([run]),
        }
        return render(request, self.template_name, context)

    def post(self, request, pk):
        run = self.get_run(request, pk)
        try:
            job_run_mark_failed(run=run, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The run of {run.job} for {run.run_date:%b %-d, %Y} was marked failed.")
        return redirect("core:jobrun_list")


# Imports --------------------------------------------------------------------------------------
class ImportStartView(LoginRequiredMixin, FormView):
    template_name = "core/import_start.html"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not importers_for(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = importers_for(self.request.user)
        return kwargs

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["importers"] = importers_for(self.request.user)
        context["recent"] = ImportBatch.objects.restrict(self.request.user, VIEW).select_related("uploaded_by")[:10]
        return context

    def form_valid(self, form):
        filename, content = form.cleaned_data["file"]
        batch = import_batch_create(
            user=self.request.user, kind=form.cleaned_data["kind"], filename=filename, content=content
        )
        return redirect("core:import_preview", pk=batch.pk)


class ImportPreviewView(LoginRequiredMixin, TemplateView):
    """The dry run: every row with its errors by column; commit only when there are none."""

    template_name = "core/import_preview.html"

    def get_batch(self):
        batch = get_object_or_404(ImportBatch.objects.restrict(self.request.user, VIEW), pk=self.kwargs["pk"])
        importer = IMPORTERS.get(batch.kind)
        if importer is not None and importer.sensitive and not importer.allowed(self.request.user):
            raise Http404  # protected rows: only for those who may import them (not an auditor)
        return batch

    def get_template_names(self):
        if self.request.htmx:
            return ["core/includes/import_progress.html"]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.htmx and not self.batch.is_running:
            response["HX-Refresh"] = "true"  # the step is over: show the whole page with its findings
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.batch = batch = self.get_batch()
        context.update(batch=batch, importer=IMPORTERS[batch.kind])
        if self.request.htmx or batch.is_running:
            return context
        preview = preview_data(batch)
        context["preview"] = preview
        if preview is not None:
            context["ok"] = not preview["file_errors"] and not preview["error_rows"]
        return context

    def post(self, request, pk):
        batch = self.get_batch()
        try:
            result = import_batch_commit(batch=batch, user=request.user)
        except PermissionError:
            raise PermissionDenied from None
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("core:import_preview", pk=pk)
        if result is None:
            messages.info(request, f"Committing {batch.filename}: this page shows how far it has gone.")
        elif result.committed:
            counts = ", ".join(f"{n:,} {a}d" for a, n in sorted(result.counts().items())) or "nothing"
            messages.success(request, f"Imported {batch.filename}: {counts}.")
        else:
            messages.error(request, "Nothing was imported: the file has errors. Fix them and upload it again.")
        return HttpResponseRedirect(reverse("core:import_preview", args=[pk]))


class ImportDiscardView(LoginRequiredMixin, View):
    def post(self, request, pk):
        batch = get_object_or_404(
            ImportBatch.objects.restrict(request.user, VIEW).filter(uploaded_by=request.user), pk=pk
        )
        if import_batch_discard(batch=batch):
            messages.info(request, f"Discarded {batch.filename}. Nothing was imported.")
        return redirect("core:import_start")


# Health ---------------------------------------------------------------------------------------
def healthz(request):
    """The process answers."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The database and the message broker are reachable."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # report, don't raise: this is a probe
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        from celery import current_app  # the project's app (rjadmin loads it): core imports no project module

        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
