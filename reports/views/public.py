"""Public pages, no sign-in: the landing page with live figures, the gallery, the brochure.

Nothing here shows an offender's name, DOC ID or face, or anything about a victim: figures are
statewide counts, texts are administrators' blocks checked for names, and photos are public only
once an administrator approved them and confirmed consent.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from ..models import Photo
from ..selectors import public_photos, sections
from ..services import brochure_build, brochure_current


class PublicMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        build = brochure_current()
        context["brochure_built_at"] = build.built_at if build else None
        return context


class PublicHomeView(PublicMixin, TemplateView):
    template_name = "reports/public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        all_sections = sections()
        context["intro"] = next((s for s in all_sections if s.key == "intro"), None)
        context["contact"] = next((s for s in all_sections if s.key == "contact"), None)
        context["programs"] = [s for s in all_sections if s.is_program]
        context["highlights"] = [s.shown_figures[0] for s in context["programs"] if s.has_data][:4]
        context["photos"] = list(public_photos()[:3])
        context["title"] = "Restorative Justice"
        return context


class GalleryView(PublicMixin, TemplateView):
    template_name = "reports/public/gallery.html"
    paginate_by = 24

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = Paginator(public_photos(), self.paginate_by).get_page(self.request.GET.get("page"))
        context["title"] = "Photo gallery"
        return context


@require_GET
def public_photo(request, key, size="photo"):
    photo = Photo.objects.public().filter(key=key).first()
    if photo is None:
        raise Http404
    field = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def brochure_pdf(request):
    """The newest built brochure, as stored: nothing is computed per request.

    Only on a new install, before the nightly job has ever run, is it built once here.
    """
    build = brochure_current()
    if build is None:
        build = brochure_build()
    response = FileResponse(build.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="restorative-justice-brochure.pdf"'
    response["Last-Modified"] = http_date(build.built_at.timestamp())
    patch_cache_control(response, public=True, max_age=600)
    return response
