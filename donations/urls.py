from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "donations"

urlpatterns = [
    path("add/", views.DonationCreateView.as_view(), name="donation_add"),
    path("add/line/<str:kind>/", views.DonationLineRowView.as_view(), name="donation_line_row"),
    path("available/", views.AvailableView.as_view(), name="available"),
    path("<int:pk>/receipt.pdf", views.DonationReceiptView.as_view(), name="donation_receipt"),
    path("stock/", views.StockView.as_view(), name="stock"),
    path("production/<int:pk>/workers/", views.ProductionWorkersView.as_view(), name="production_workers"),
    *resource_urls("donations"),
    # The reports run in the report catalog (reports:run); these old addresses send bookmarks there.
    path(
        "reports/season-harvest/",
        views.ReportRedirectView.as_view(slug="season-harvest"),
        name="report_season_harvest",
    ),
    path("reports/donations/", views.ReportRedirectView.as_view(slug="donations"), name="report_donations"),
]
