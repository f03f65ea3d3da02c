"""The report catalog: which reports a user may run, their parameter forms, and their outputs.

A report's numbers come from its entry's ``build(user, params)``, which applies the user's scope;
this module only lays the result out as a page, a PDF, a CSV file or a workbook.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.exports import to_csv, to_xlsx
from core.forms import Form
from core.pdf import generated_stamp, parts_processes, render_pdf, render_pdf_parts
from core.registry import ReportEntry, registry

from . import conf
from .choices import ReportFormat
from .exports import row_count, tables_for

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def user_role(user) -> str:
    from core.choices import Role

    return Role.ADMINISTRATOR if user.is_superuser and not user.role else user.role


def may_run(entry: ReportEntry, user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active or not entry.listed:
        return False
    if user.is_superuser or not entry.roles:
        return bool(user.role) or user.is_superuser
    return user_role(user) in entry.roles


def entries_for(user) -> list[ReportEntry]:
    return sorted((e for e in registry.reports.values() if may_run(e, user)), key=lambda e: (e.app, e.title))


def formats_of(entry: ReportEntry) -> list[str]:
    """The outputs offered: "csv" in the entry's formats offers XLSX too (both are spreadsheets)."""
    offered = []
    for fmt in (ReportFormat.HTML, ReportFormat.PDF, ReportFormat.CSV, ReportFormat.XLSX):
        wanted = fmt in entry.formats or (fmt == ReportFormat.XLSX and ReportFormat.CSV in entry.formats)
        if wanted:
            offered.append(str(fmt))
    return offered


class NoParameters(Form):
    """The form of a report without parameters."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


def _make_form(form_class, user, data):
    try:
        return form_class(data=data, user=user)
    except TypeError:  # a plain form that takes no user
        return form_class(data=data)


def parameter_form(entry: ReportEntry, user, data=None) -> forms.Form:
    """The entry's parameter form; bound to ``data`` with each missing parameter taken from its initial
    value, so a plain link (``?format=pdf``) runs the report with its defaults."""
    form_class = entry.form_class or NoParameters
    if data is None:
        return _make_form(form_class, user, None)
    data = data.copy()
    unbound = _make_form(form_class, user, None)
    for name, field in unbound.fields.items():
        if name in data:
            continue
        initial = unbound.get_initial_for_field(field, name)
        if isinstance(initial, str | int) and not isinstance(initial, bool) and initial != "":
            data[name] = str(initial)
    return _make_form(form_class, user, data)


def report_params(entry: ReportEntry, form: forms.Form, data) -> dict:
    """What ``build`` receives: the form's cleaned data; for an entry without a form, the raw query
    (without ``format``), so a build that reads its own parameters (``season``...) still gets them."""
    if entry.form_class is not None:
        return form.cleaned_data
    if data is None:
        return {}
    raw = data.copy()
    raw.pop("format", None)
    return raw


def params_querydict(params: dict) -> QueryDict:
    """Stored parameters (each a list of values, as in a query string) back into form data."""
    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


def params_display(form: forms.Form) -> str:
    """The chosen parameters in words, for the page, the PDF header and the generated-report list."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label or name.replace('_', ' ').capitalize()}: {value}")
    return "; ".join(str(p) for p in parts)[:300]


def estimated_rows(entry: ReportEntry, user, params: dict) -> int | None:
    return entry.count(user, params) if entry.count is not None else None


def runs_as_task(entry: ReportEntry, user, params: dict) -> bool:
    rows = estimated_rows(entry, user, params)
    return rows is not None and rows > conf.async_rows()


def _accepts_progress(func: Callable) -> bool:
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return "progress" in parameters or any(p.kind == p.VAR_KEYWORD for p in parameters.values())


def build_context(entry: ReportEntry, user, params: dict, progress: Callable | None = None) -> dict:
    if progress is not None and _accepts_progress(entry.build):
        context = entry.build(user, params, progress=progress)
    else:
        context = entry.build(user, params)
    return dict(context or {})


@dataclass
class Output:
    content: bytes
    content_type: str
    filename: str
    rows: int | None


def page_context(entry: ReportEntry, user, context: dict, *, parameters: str, fmt: str) -> dict:
    return {
        **context,
        "report": entry,
        "entry": entry,
        "title": context.get("title") or entry.title,
        "generated": timezone.localtime(),
        "parameters": parameters,
        "generated_stamp": generated_stamp(),
        "generated_for": user,
        "output_format": fmt,
        "for_print": fmt == ReportFormat.PDF,
    }


def filename_for(entry: ReportEntry, fmt: str, context: dict | None = None) -> str:
    """The entry's slug and today's date; a build may name its file itself (``context["filename"]``, a
    list export names its list)."""
    named = (context or {}).get("filename")
    if named:
        return f"{named.rsplit('.', 1)[0]}.{fmt}"
    return f"{entry.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"


class NoTable(Exception):
    """The report has no rows to put in a spreadsheet."""


_FULL_DOCUMENT = re.compile(r"^\s*(<!doctype html|<html)", re.IGNORECASE)
# A table wider than this prints on a landscape page, so its last column is not cut at the edge.
WIDE_TABLE_COLUMNS = 7
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)


def render_output(
    entry: ReportEntry, user, context: dict, fmt: str, *, parameters: str = "", progress: Callable | None = None
) -> Output:
    """A built report as a file in one format. ``progress(note)`` is told when rendering starts."""
    if fmt == ReportFormat.PDF:
        tables = _tables_or_none(entry, context)
        if progress:
            progress("Laying out the PDF")
        full = page_context(entry, user, context, parameters=parameters, fmt=fmt)
        parts = _parts(entry, full)
        body = render_to_string(entry.template, full) if len(parts) == 1 else ""
        # A template that is a whole document (with its own print CSS) prints as it is; a fragment goes
        # into the print layout with its running header, page numbers and generation date. A long
        # document of independent pages is laid out in parts, side by side.
        if len(parts) > 1:
            content = render_pdf_parts(entry.template, parts)
        elif _FULL_DOCUMENT.match(body):
            document = {"document": mark_safe(body), "generated_stamp": full["generated_stamp"]}
            content = render_pdf("reports/print/document.html", document)
        else:
            landscape = entry.landscape
            if landscape is None:
                landscape = max((len(t["columns"]) for t in tables or []), default=0) > WIDE_TABLE_COLUMNS
            content = render_pdf(
                "reports/print/report.html", {**full, "report_body": mark_safe(body), "landscape": landscape}
            )
        return Output(
            content, CONTENT_TYPES[ReportFormat.PDF], filename_for(entry, fmt, context), row_count(tables or [])
        )
    tables = _tables_or_none(entry, context)
    if tables is None:
        raise NoTable(entry.slug)
    if progress:
        progress("Writing the spreadsheet")
    content = to_csv(tables) if fmt == ReportFormat.CSV else to_xlsx(tables)
    return Output(content, CONTENT_TYPES[fmt], filename_for(entry, fmt, context), row_count(tables))


# Below this many items a document is laid out in one process: forking costs more than it saves.
PARTS_FROM = 100


def _parts(entry: ReportEntry, context: dict) -> list[dict]:
    """The contexts of the parts an entry's PDF is laid out in (``entry.pdf_parts``): one per process,
    the items shared out in order; one part (the context itself) for a short document."""
    items = context.get(entry.pdf_parts) if entry.pdf_parts else None
    processes = parts_processes()
    if not items or len(items) < PARTS_FROM or processes < 2:
        return [context]
    size = -(-len(items) // processes)
    return [{**context, entry.pdf_parts: items[i : i + size]} for i in range(0, len(items), size)]


def _tables_or_none(entry, context):
    tables = tables_for(entry, context)
    return tables or None


def render_html_body(entry: ReportEntry, user, context: dict, *, parameters: str, request=None) -> str:
    """The report inside the page; of a template that is a whole document, only its body."""
    html = render_to_string(
        entry.template, page_context(entry, user, context, parameters=parameters, fmt="html"), request=request
    )
    if _FULL_DOCUMENT.match(html):
        match = _BODY.search(html)
        html = match.group(1) if match else ""
    return mark_safe(html)  # rendered by the template engine, which escaped every value
