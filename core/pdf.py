"""The one WeasyPrint wrapper: any app prints through it without importing the reports app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _url_fetcher(url: str, *args, **kwargs):
    """Serve /static/ files from disk so PDFs never fetch over the network."""
    from weasyprint import default_url_fetcher

    if url.startswith((settings.STATIC_URL, "file://" + settings.STATIC_URL)):
        path = finders.find(url.split(settings.STATIC_URL, 1)[1])
        if path:
            return default_url_fetcher("file://" + str(path))
    return default_url_fetcher(url, *args, **kwargs)


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """Render a Django template to PDF bytes. WeasyPrint is imported here: it costs ~0.7 s."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher).write_pdf()


def pdf_response(template: str, context: dict, filename: str, request=None, inline: bool = True) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request=request), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
