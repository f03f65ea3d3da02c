"""Generic views every app builds on (NetBox's idea): scope is applied here, so a view cannot forget it.

A list needs ``model``, ``table_class`` and ``filterset_class``; a detail needs ``model``; an edit
view needs ``model`` and ``form_class``. Out of scope is a 404, never a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.views import View
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.audit import audit_log
from core.errors import form_errors_from
from core.exports import TableExportMixin
from core.forms import VoidForm
from core.querysets import ADD, CHANGE, VIEW, OutOfScope, can, save_in_scope
from core.registry import registry


class ScopedMixin(LoginRequiredMixin):
    """Every queryset a view reads goes through ``.restrict(user, action)``."""

    model: type[models.Model] | None = None
    queryset = None
    action = VIEW
    resource = None  # the model's declaration (core.resources), set on the views it generates

    def base_queryset(self):
        if self.queryset is not None:
            return self.queryset.all()
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model or a queryset.")
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.action)

    def get_model(self):
        return self.model or self.queryset.model

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.get_model()
        context.setdefault("model_meta", model._meta)
        context.setdefault("can_add", can(self.request.user, model, ADD))
        return context


class ObjectListView(ScopedMixin, TableExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table with CSV and XLSX export of the filtered rows."""

    template_name = "core/object_list.html"
    paginate_by = 25
    export_formats = ("csv", "xlsx")
    add_url_name: str | None = None
    title: str | None = None
    intro: str = ""

    def get_table_pagination(self, table):
        return {"per_page": self.paginate_by}

    def get_paginate_by(self, queryset):
        # The table paginates (one COUNT); the list view's own pagination would count a second time.
        return None

    def get_export_filename(self, export_format):
        name = slugify(self.get_model()._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_export_title(self):
        return self.title or capfirst(self.get_model()._meta.verbose_name_plural)

    def create_export(self, export_format):
        audit_log(
            user=self.request.user,
            action=f"export_{export_format}",
            object_type=self.get_model()._meta.label,
            detail=self.request.GET.urlencode(),
        )
        # A large export is prepared in the background (the reports app's task path) rather than here.
        if registry.list_export_handler is not None:
            response = registry.list_export_handler(view=self, fmt=export_format)
            if response is not None:
                return response
        return super().create_export(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meta = self.get_model()._meta
        context["title"] = self.title or capfirst(meta.verbose_name_plural)
        context["intro"] = self.intro
        context["add_url_name"] = self.add_url_name if context["can_add"] else None
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        context["export_query"] = query.urlencode()
        context["filter_active"] = any(v for k, v in self.request.GET.items() if k not in ("page", "sort"))
        return context


class ObjectDetailView(ScopedMixin, DetailView):
    """One record, with its tabs. ``can_change`` says whether the user may edit it."""

    tab = "details"

    def get_template_names(self):
        meta = self.get_model()._meta
        return [f"{meta.app_label}/{meta.model_name}_detail.html", "core/object_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = (
            self.base_queryset().restrict(self.request.user, CHANGE).filter(pk=self.object.pk).exists()
        )
        context["tab"] = self.tab
        if self.resource is not None:
            context["detail_rows"] = self.resource.detail_rows(self.object)
        return context


class ObjectEditView(ScopedMixin, UpdateView):
    """Create (no pk in the URL) or edit a record.

    The form's dropdowns are restricted to the user's scope, and an edit that would move the record
    out of the user's scope is rolled back with a clear message.
    """

    template_name = "core/object_form.html"
    action = CHANGE

    def get_object(self, queryset=None):
        if self.kwargs.get(self.pk_url_kwarg) is None:
            if not can(self.request.user, self.get_model(), ADD):
                raise PermissionDenied
            return None
        return super().get_object(queryset)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        # "Add a court case" links prefill the new record (?offender=12); an edit shows the record as saved.
        if self.object is None:
            for key, value in self.request.GET.items():
                initial.setdefault(key, value)
        return initial

    def form_valid(self, form):
        creating = self.object is None
        try:
            self.object = save_in_scope(
                lambda: self.save(form),
                user=self.request.user,
                action=ADD if creating else CHANGE,
                queryset=self.base_queryset(),
            )
        except OutOfScope as exc:
            if creating:
                self.object = None
            form_errors_from(form, exc)
            return self.form_invalid(form)
        verb = "Added" if creating else "Saved"
        messages.success(self.request, f"{verb} {self.get_model()._meta.verbose_name} “{self.object}”.")
        return HttpResponseRedirect(self.get_success_url())

    def save(self, form):
        """Save the valid form (inside the view's transaction); a model with a service overrides this."""
        return form.save()

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meta = self.get_model()._meta
        if self.object is None:
            context["title"] = f"Add {meta.verbose_name}"
        else:
            context["title"] = f"Edit {meta.verbose_name}: {self.object}"
        context["cancel_url"] = self.object.get_absolute_url() if self.object else None
        return context


class ServiceErrorMixin:
    """An edit its service refuses (a rule across rows, such as stock) shows the reason on the form."""

    def form_valid(self, form):
        from django.core.exceptions import ValidationError

        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)


class EditOnlyMixin:
    """For records a service creates elsewhere (a quick entry, a donation with lines): this view only edits."""

    def get_object(self, queryset=None):
        if self.kwargs.get(self.pk_url_kwarg) is None:
            raise Http404
        return super().get_object(queryset)


class ObjectVoidView(LoginRequiredMixin, View):
    """Void a record with a reason: a confirmation page, then the app's ``<entity>_void`` service.

    Subclasses set ``model`` and ``service`` (called as ``service(<service_arg>=obj, user=...,
    reason=...)``). The form (``core.forms.VoidForm`` or a subclass), the template
    (``core/object_void.html``) and the wording (``title``, formatted with ``verbose_name`` and
    ``object``; ``intro``; ``submit_label``) are class attributes an app may change. Out of scope
    (including a void entry) is 404. See ``core.entries`` for the whole pattern.
    """

    model = None
    service = None
    service_arg = "entry"
    form_class = VoidForm
    template_name = "core/object_void.html"
    title = "Void {verbose_name}: {object}"
    intro = "A void entry stays on record with its reason and history, and counts in no figure. This cannot be undone."
    submit_label = "Void this entry"

    def get_object(self):
        return scoped_object_or_404(self.model, self.request.user, self.kwargs["pk"], CHANGE)

    def render_form(self, obj, form, status=200):
        context = {
            "object": obj,
            "form": form,
            "model_meta": self.model._meta,
            "title": self.title.format(verbose_name=self.model._meta.verbose_name, object=obj),
            "intro": self.intro,
            "submit_label": self.submit_label,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_form(self.get_object(), self.form_class())

    def post(self, request, pk):
        from django.core.exceptions import ValidationError

        obj = self.get_object()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                type(self).service(**{self.service_arg: obj}, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Voided {self.model._meta.verbose_name} “{obj}”.")
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render_form(obj, form, status=400)


def _display(field, value, lookups):
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        return lookups.get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    return str(value)


class ObjectHistoryView(ScopedMixin, DetailView):
    """The History tab: every version of the record, who made it, when, and what changed."""

    template_name = "core/object_history.html"
    paginate_by = 25

    def hidden_fields(self) -> set[str]:
        """Fields whose values this user may not read (a victim payee's name for an auditor): their
        changes are left out of the tab, old and new values alike."""
        return set()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        if not hasattr(obj, "history"):
            raise Http404
        hidden = self.hidden_fields()
        records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
        model_fields = {f.attname: f for f in obj._meta.concrete_fields}
        model_fields.update({f.name: f for f in obj._meta.concrete_fields})
        model_fields.update({f.name: f for f in obj._meta.many_to_many})
        entries = []
        previous = None
        wanted: dict[type, set] = {}
        for record in records:
            changes = []
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    changes.append((model_fields.get(change.field), change.field, change.old, change.new))
            else:
                for name, field in ((f.attname, f) for f in obj._meta.concrete_fields):
                    if name in ("id",) or not hasattr(record, name):
                        continue
                    changes.append((field, name, None, getattr(record, name)))
            changes = [c for c in changes if c[1] not in hidden and (c[0] is None or c[0].name not in hidden)]
            for field, _name, old, new in changes:
                if field is not None and field.is_relation and field.many_to_one:
                    wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v not in (None, ""))
                elif field is not None and field.many_to_many:
                    # M2M history holds the through rows as dicts: collect the related pks to name them.
                    for rows in (old, new):
                        wanted.setdefault(field.related_model, set()).update(_m2m_pks(field, rows))
            entries.append((record, changes))
            previous = record
        lookups = {}
        for model, pks in wanted.items():
            manager = model._default_manager
            # Iterating in the model's ordering gives each name a rank, so M2M lists read in that order.
            for related in manager.filter(pk__in=pks):
                lookups[(model, related.pk)] = str(related)
        rows = []
        for record, changes in reversed(entries):
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "type": {"+": "Created", "~": "Changed", "-": "Deleted"}.get(record.history_type, "Changed"),
                    "reason": record.history_change_reason,
                    "changes": [
                        {
                            "field": capfirst(field.verbose_name if field is not None else name),
                            "old": _m2m(field, old, lookups)
                            if isinstance(old, list)
                            else _display(field, old, lookups),
                            "new": _m2m(field, new, lookups)
                            if isinstance(new, list)
                            else _display(field, new, lookups),
                        }
                        for field, name, old, new in changes
                        if not (record.history_type == "+" and new in (None, ""))
                    ],
                }
            )
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, tab="history", title=f"History of {obj}")
        return context


def _m2m_pks(field, rows) -> list:
    """The related pks in a many-to-many history value (a list of through-row dicts)."""
    if not isinstance(rows, list):
        return []
    key = field.m2m_reverse_field_name()
    return [row[key] for row in rows if isinstance(row, dict) and row.get(key) is not None]


def _m2m(field, rows, lookups):
    """A many-to-many history value as the related records' names, in the related model's order."""
    if field is None or not field.many_to_many:
        return ", ".join(str(v) for v in rows) or "—"
    model = field.related_model
    order = {key: i for i, key in enumerate(lookups)}
    keys = sorted(((model, pk) for pk in _m2m_pks(field, rows)), key=lambda k: order.get(k, len(order)))
    return ", ".join(lookups.get(k, f"#{k[1]}") for k in keys) or "—"


def scoped_object_or_404(model, user, pk, action=VIEW):
    """The one way code outside the generic views fetches a single scoped record."""
    return get_object_or_404(model._default_manager.restrict(user, action), pk=pk)
