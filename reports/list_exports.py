"""Large list exports through the reports app's task path.

Every list page exports its filtered rows (``?_export=csv`` or ``xlsx``, ``core.exports``). Up to
``REPORTS_ASYNC_ROWS`` rows (2,000 by default) the file is written in the request, as before. A larger
export would hold a web worker for many seconds (about 13 s for 5,600 harvests), so the list hands it
here instead (``registry.list_export_handler``): a generated report is queued, and the person is sent
to its page, which shows the progress and then the download, like any large report.

The task replays the list's own request as its owner: the same URL and query string, resolved to the
same view, through that view's ``dispatch`` (its sign-in and permission checks, its scope, its filters
and its sort), with ``export_in_task`` set so that the view answers the export's tables rather than a
file. So the file holds exactly what the person would have downloaded, in the scope they have when it
runs. Only a list page (``core.views.generic.ObjectListView``) can be replayed: any other path is
refused by the parameter form, and the entry is not in the catalog (``listed=False``), so it cannot be
run from the report page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from core.forms import Form
from core.registry import ReportEntry, registry

from . import conf

SLUG = "list-export"


def list_view_match(path: str):
    """The URL match of a list page on this site for ``path``, or a ValidationError saying why not."""
    from core.views.generic import ObjectListView

    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        raise ValidationError("Only a list page of this site can be exported.")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise ValidationError("No page of this site has that address.") from None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView):
        raise ValidationError("That page is not a list: only lists are exported.")
    return match


class ListExportForm(Form):
    path = forms.CharField(label="List", max_length=2000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_path(self):
        path = self.cleaned_data["path"]
        list_view_match(path)
        return path


def replay_request(path: str, user) -> HttpRequest:
    """A GET of ``path`` (with its query) by ``user``, as the list's view receives it."""
    parts = urlsplit(path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = parts.path
    request.GET = QueryDict(parts.query)
    site = urlsplit(settings.SITE_URL)
    request.META.update(
        {
            "REQUEST_METHOD": "GET",
            "QUERY_STRING": parts.query,
            "SERVER_NAME": site.hostname or "localhost",
            "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        }
    )
    request.user = user
    return request


def build(user, params, progress=None) -> dict:
    """The list's export as its owner would have downloaded it: its tables, and its own file name."""
    if not user.is_active:
        raise PermissionError(f"{user} no longer signs in: their list export is not built.")
    path = params["path"]
    match = list_view_match(path)
    request = replay_request(path, user)
    view = match.func.view_class(**match.func.view_initkwargs)
    view.export_in_task = True
    view.setup(request, *match.args, **match.kwargs)
    if progress:
        progress(f"Reading {view.get_export_title().lower()}")
    tables = view.dispatch(request, *match.args, **match.kwargs)
    if not isinstance(tables, list):  # a redirect to sign in, a 403 or a 404: the owner may no longer see it
        raise PermissionError(f"The list refused the export as {user}: {getattr(tables, 'status_code', tables)!r}")
    fmt = request.GET.get("_export", "csv")
    return {"tables": tables, "filename": view.get_export_filename(fmt)}


def handle(*, view, fmt: str):
    """A list's export: in the request up to the threshold; above it, queued as a generated report."""
    from .services import generated_report_create

    rows = view.object_list.count()
    if rows <= conf.async_rows():
        return None
    title = f"{view.get_export_title()}: {rows:,} rows"
    report = generated_report_create(
        user=view.request.user,
        entry=registry.reports[SLUG],
        fmt=fmt,
        data={"path": view.request.get_full_path()},
        parameters=view.request.GET.urlencode()[:300],
        title=title,
    )
    messages.info(view.request, f"{title} is being prepared. This page shows its progress; the file opens here.")
    return redirect(report)


ENTRY = ReportEntry(
    slug=SLUG,
    title="List export",
    app="reports",
    description="A list's filtered rows as a file, prepared in the background when the list is large.",
    build=build,
    formats=("csv",),
    form_class=ListExportForm,
    listed=False,
)
