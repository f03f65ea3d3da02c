"""The one WeasyPrint wrapper: any app prints through it without importing the reports app.

Every PDF gets a default print stylesheet (user origin, so a template's own CSS wins): US Letter,
page numbers and the generation date in the footer, table header rows repeated on each page and
rows kept whole. A template that wants another layout simply declares its own ``@page`` rules.
"""

from __future__ import annotations

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


def render_document(template: str, context: dict, request=None):
    """Lay the template out as a WeasyPrint document (pages known, not yet written).

    Callers that must fit a page count (the two-page brochure) look at ``len(document.pages)``.
    WeasyPrint is imported here: importing it costs ~0.7 s.
    """
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    stamp = str(context.get("generated_stamp") or generated_stamp()).replace('"', "'")
    default_css = CSS(string=DEFAULT_PRINT_CSS % {"generated": stamp})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()).render(
        stylesheets=[default_css]
    )


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render a Django template to PDF bytes."""
    return render_document(template, context, request=request).write_pdf()


def pdf_response(template: str, context: dict, filename: str, request=None, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request=request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
