"""Photos: upload onto a program record in the uploader's scope, list, view, and review by an administrator."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.views.generic import FormView, TemplateView

from core.errors import form_errors_from
from core.models import Facility
from core.querysets import ADD, CHANGE, VIEW, can
from core.tables import BaseTable
from core.views.generic import ObjectListView

from .. import conf
from ..choices import PhotoStatus
from ..forms import PhotoReviewForm, PhotoUploadForm
from ..models import Photo
from ..services import photo_review, photo_target, photo_upload


class PhotoFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PhotoStatus.choices, empty_label="Any status")

    class Meta:
        model = Photo
        fields = ["status"]


class PhotoTable(BaseTable):
    thumbnail = tables.Column(verbose_name="Photo", orderable=False, empty_values=())
    alt_text = tables.Column(verbose_name="Description", linkify=True)
    content_type = tables.Column(verbose_name="Attached to", orderable=False)
    uploaded_by = tables.Column(verbose_name="Uploaded by")

    class Meta(BaseTable.Meta):
        model = Photo
        fields = ("thumbnail", "alt_text", "caption", "content_type", "uploaded_by", "uploaded_at", "status")
        empty_text = "No photos yet."

    def render_thumbnail(self, record):
        return format_html(
            '<img src="{}" alt="" width="96" class="img-thumbnail">',
            record.get_absolute_url() + "image/thumb/",
        )

    def value_thumbnail(self, record):
        return str(record.key)

    def render_content_type(self, record):
        return record.content_type.name.capitalize()


class PhotoListView(ObjectListView):
    queryset = Photo.objects.select_related("content_type", "uploaded_by")
    table_class = PhotoTable
    filterset_class = PhotoFilterSet
    template_name = "reports/photo_list.html"
    title = "Photos"
    intro = "Photos of program records. A photo is public only after an administrator approves it."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facilities"] = Facility.objects.restrict(self.request.user, VIEW).filter(active=True)
        context["can_upload"] = can(self.request.user, Photo, ADD)
        return context


class PhotoUploadView(LoginRequiredMixin, FormView):
    """Attach a photo to one record: ``app_label.model`` and its id; the record must be in the user's scope."""

    form_class = PhotoUploadForm
    template_name = "reports/photo_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can(request.user, Photo, ADD):  # auditors read only
            raise Http404
        self.target = photo_target(user=request.user, app_model=kwargs["app_model"], object_id=kwargs["object_id"])
        if self.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["target_kind"] = self.target._meta.verbose_name
        context["title"] = "Add a photo"
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["image"]
        limit = conf.photo_max_bytes()
        if upload.size > limit:  # refuse before reading it into memory
            form.add_error("image", f"The photo is larger than {limit // (1024 * 1024)} MB. Send a smaller copy.")
            return self.form_invalid(form)
        try:
            photo = photo_upload(
                user=self.request.user,
                target=self.target,
                data=upload.read(),
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc, default_field="image")
            return self.form_invalid(form)
        messages.success(
            self.request,
            "The photo is saved without its location or camera details. An administrator reviews it "
            "before it appears on the public pages.",
        )
        return redirect(photo)


@login_required
def photo_upload_start(request):
    """The photo list's "add a photo of this facility" form lands here."""
    try:
        facility_id = int(request.GET.get("facility", ""))
    except ValueError:
        raise Http404 from None
    return redirect("reports:photo_upload", app_model="core.facility", object_id=facility_id)


def _scoped_photo(request, pk, action=VIEW) -> Photo:
    return get_object_or_404(
        Photo.objects.restrict(request.user, action).select_related("content_type", "uploaded_by", "reviewed_by"),
        pk=pk,
    )


class PhotoDetailView(LoginRequiredMixin, TemplateView):
    """One photo; an administrator reviews it here (approve with consent, or keep it private)."""

    template_name = "reports/photo_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        photo = kwargs.get("photo") or _scoped_photo(self.request, self.kwargs["pk"])
        context["photo"] = photo
        context["title"] = f"Photo: {photo}"
        target = photo.target
        context["target"] = target
        context["target_url"] = (
            target.get_absolute_url()
            if target is not None
            and hasattr(target, "get_absolute_url")
            and type(target)._default_manager.restrict(self.request.user, VIEW).filter(pk=target.pk).exists()
            else None
        )
        if self.request.user.is_administrator:
            context["review_form"] = kwargs.get("review_form") or PhotoReviewForm(
                initial={
                    "decision": "approve" if photo.status != PhotoStatus.REJECTED else "reject",
                    "alt_text": photo.alt_text,
                    "caption": photo.caption,
                    "consent_confirmed": photo.consent_confirmed,
                    "note": photo.review_note,
                }
            )
        return context

    def post(self, request, pk):
        if not request.user.is_administrator:
            raise Http404
        photo = _scoped_photo(request, pk, CHANGE)
        form = PhotoReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                photo = photo_review(
                    photo=photo,
                    user=request.user,
                    approve=data["decision"] == "approve",
                    consent_confirmed=data["consent_confirmed"],
                    caption=data["caption"],
                    alt_text=data["alt_text"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, "Approved: the photo is now public." if photo.is_public else "The photo stays private."
                )
                return redirect("reports:photo_review")
        return self.render_to_response(self.get_context_data(photo=photo, review_form=form))


class PhotoImageView(LoginRequiredMixin, TemplateView):
    """The stored image for staff, within scope (the public get approved photos from the public pages)."""

    def get(self, request, pk, size="photo"):
        photo = _scoped_photo(request, pk)
        field = photo.thumbnail if size == "thumb" else photo.image
        return FileResponse(field.open("rb"), content_type="image/jpeg")


class PhotoReviewListView(LoginRequiredMixin, TemplateView):
    """Administrators: photos waiting for review."""

    template_name = "reports/photo_review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_administrator:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = (
            Photo.objects.restrict(self.request.user, VIEW)
            .filter(status=PhotoStatus.PENDING)
            .select_related("uploaded_by", "content_type")
            .order_by("uploaded_at", "pk")
        )
        context["title"] = "Photo approval"
        return context
