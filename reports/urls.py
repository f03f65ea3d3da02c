"""Staff pages under /reports/, public pages under /public/, and the brochure at /brochure.pdf."""

from django.urls import path

from .views import admin, catalog, photos, public

app_name = "reports"

urlpatterns = [
    # Staff.
    path("reports/", catalog.catalog_redirect),
    path("reports/catalog/", catalog.CatalogView.as_view(), name="catalog"),
    path("reports/run/<slug:slug>/", catalog.ReportRunView.as_view(), name="run"),
    path("reports/generated/", catalog.GeneratedReportListView.as_view(), name="generated_list"),
    path("reports/generated/<uuid:key>/", catalog.GeneratedReportDetailView.as_view(), name="generated_detail"),
    path(
        "reports/generated/<uuid:key>/download/",
        catalog.GeneratedReportDownloadView.as_view(),
        name="generated_download",
    ),
    path("reports/photos/", photos.PhotoListView.as_view(), name="photo_list"),
    path("reports/photos/review/", photos.PhotoReviewListView.as_view(), name="photo_review"),
    path("reports/photos/upload/", photos.photo_upload_start, name="photo_upload_start"),
    path(
        "reports/photos/upload/<str:app_model>/<int:object_id>/",
        photos.PhotoUploadView.as_view(),
        name="photo_upload",
    ),
    path("reports/photos/<int:pk>/", photos.PhotoDetailView.as_view(), name="photo_detail"),
    path("reports/photos/<int:pk>/image/", photos.PhotoImageView.as_view(), name="photo_image"),
    path("reports/photos/<int:pk>/image/<str:size>/", photos.PhotoImageView.as_view(), name="photo_image_size"),
    path("reports/brochure/", admin.BrochureAdminView.as_view(), name="brochure_admin"),
    path("reports/brochure/download/", admin.BrochureDownloadView.as_view(), name="brochure_download"),
    path("reports/brochure/blocks/<slug:key>/edit/", admin.BrochureBlockEditView.as_view(), name="brochureblock_edit"),
    path("reports/baselines/", admin.FigureBaselineListView.as_view(), name="figurebaseline_list"),
    path("reports/baselines/add/", admin.FigureBaselineEditView.as_view(), name="figurebaseline_add"),
    path("reports/baselines/<int:pk>/edit/", admin.FigureBaselineEditView.as_view(), name="figurebaseline_edit"),
    # Public, no sign-in.
    path("brochure.pdf", public.brochure_pdf, name="brochure_pdf"),
    path("public/", public.PublicHomeView.as_view(), name="public_home"),
    path("public/gallery/", public.GalleryView.as_view(), name="public_gallery"),
    path("public/photos/<uuid:key>.jpg", public.public_photo, name="public_photo"),
    path("public/photos/<uuid:key>/thumb.jpg", public.public_photo, {"size": "thumb"}, name="public_photo_thumb"),
]

PUBLIC_URL_NAMES = ["public_home", "public_gallery", "brochure_pdf", "public_photo", "public_photo_thumb"]
