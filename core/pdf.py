"""The one WeasyPrint wrapper: any app prints through it without importing the reports app.

Every PDF gets a default print stylesheet (user origin, so a template's own CSS wins): US Letter,
page numbers and the generation date in the footer, table header rows repeated on each page and
rows kept whole. A template that wants another layout simply declares its own ``@page`` rules.
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from core.dates import format_datetime

DEFAULT_PRINT_CSS = """
@page {
  size: letter;
  margin: 0.75in 0.7in 0.8in 0.7in;
  @bottom-left { content: "Generated %(generated)s"; font-size: 8pt; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.35; }
table { border-collapse: collapse; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr, img, svg, figure { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
"""


def _url_fetcher():
    """A fetcher that serves /static/ files from disk and never fetches over the network.

    WeasyPrint 70 takes a ``URLFetcher`` instance (a plain function no longer works: it fails on the
    first image). Only ``file:`` and ``data:`` URLs are allowed.
    """
    from weasyprint.urls import URLFetcher

    static_prefixes = (settings.STATIC_URL, "file://" + settings.STATIC_URL)

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(static_prefixes):
                path = finders.find(url.split(settings.STATIC_URL, 1)[1].split("?", 1)[0])
                if path:
                    url = Path(path).resolve().as_uri()
            return super().fetch(url, headers)

    return StaticFilesFetcher(allowed_protocols=("file", "data"))


def generated_stamp(now=None) -> str:
    """The generation date as printed in footers (America/Chicago)."""
    return format_datetime(timezone.localtime(now))


def _default_css(context: dict) -> str:
    stamp = str(context.get("generated_stamp") or generated_stamp()).replace('"', "'")
    return DEFAULT_PRINT_CSS % {"generated": stamp}


def _lay_out(html: str, css: str):
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()).render(
        stylesheets=[CSS(string=css)]
    )


def render_document(template: str, context: dict, request=None):
    """Lay the template out as a WeasyPrint document (pages known, not yet written).

    Callers that must fit a page count (the two-page brochure) look at ``len(document.pages)``.
    WeasyPrint is imported here: importing it costs ~0.7 s.
    """
    return _lay_out(render_to_string(template, context, request=request), _default_css(context))


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render a Django template to PDF bytes."""
    return render_document(template, context, request=request).write_pdf()


def parts_processes() -> int:
    """How many processes lay out a long document's parts: the machine's cores, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def render_pdf_parts(template: str, contexts: list[dict], *, processes: int | None = None) -> bytes:
    """One PDF of ``template`` laid out for each of ``contexts`` (the parts of a long document of
    independent pages, such as a day's receipts), the parts side by side on the machine's cores
    (``side_by_side``) and joined in order. WeasyPrint lays out on one core: a thousand receipts take
    about 35 s in one process.

    The HTML of every part is rendered here, in this process (a template may read the database); the
    children lay out only HTML strings. A part's footer counts its own pages, so a template printed in
    parts names its pages itself (a receipt's number)."""
    htmls = [render_to_string(template, context) for context in contexts]
    css = _default_css(contexts[0] if contexts else {})
    processes = parts_processes() if processes is None else processes
    if processes <= 1:
        return join_pdfs([_lay_out(html, css).write_pdf() for html in htmls])
    return join_pdfs(side_by_side([lambda html=html: _lay_out(html, css).write_pdf() for html in htmls]))


def side_by_side(tasks: list) -> list:
    """Run ``tasks`` (callables) at once, each but the last in a forked child, the last in this process;
    their results in order (a child's is pickled through a temporary file, so any picklable value comes
    back). For layout work only: a task must not use the database (a child refuses any query, since it
    shares this process's connection). A child leaves with ``os._exit``, running none of this process's
    exit hooks; one that fails fails the whole. Without ``os.fork`` (or with one task) they run one after
    another."""
    if len(tasks) < 2 or not hasattr(os, "fork"):
        return [task() for task in tasks]
    import tempfile

    import weasyprint  # noqa: F401  (imported once, before the children are forked)

    with tempfile.TemporaryDirectory(prefix="rjadmin-pdf-") as folder:
        children = []
        for index, task in enumerate(tasks[:-1]):
            path = Path(folder) / f"part-{index}"
            pid = os.fork()
            if pid == 0:  # the child: work, write, leave
                code = 1
                try:
                    _refuse_database()
                    path.write_bytes(pickle.dumps(task()))
                    code = 0
                finally:
                    os._exit(code)
            children.append((pid, path))
        last = tasks[-1]()
        results = []
        for pid, path in children:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"A part laid out side by side failed (process {pid}).")
            results.append(pickle.loads(path.read_bytes()))  # our own child's result
    return [*results, last]


def _no_query(execute, sql, params, many, context):
    raise RuntimeError("A task laid out side by side may not use the database: read what it needs before.")


def _refuse_database() -> None:
    """In a forked child: any query raises instead of going down the parent's connection."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.execute_wrappers.insert(0, _no_query)


def join_pdfs(parts: list[bytes]) -> bytes:
    """The PDFs one after the other, as one document (the first part's title)."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for index, part in enumerate(parts):
        reader = PdfReader(io.BytesIO(part))
        writer.append(reader)
        if index == 0 and reader.metadata:
            writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_response(template: str, context: dict, filename: str, request=None, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request=request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
