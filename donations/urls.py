from django.urls import path

from core.urls import crud

from . import views

app_name = "donations"

urlpatterns = [
    path("", views.DonationListView.as_view(), name="donation_list"),
    path("add/", views.DonationCreateView.as_view(), name="donation_add"),
    path("add/line/<str:kind>/", views.DonationLineRowView.as_view(), name="donation_line_row"),
    path("available/", views.AvailableView.as_view(), name="available"),
    path("<int:pk>/", views.DonationDetailView.as_view(), name="donation_detail"),
    path("<int:pk>/edit/", views.DonationEditView.as_view(), name="donation_edit"),
    path("<int:pk>/history/", views.DonationHistoryView.as_view(), name="donation_history"),
    path("<int:pk>/void/", views.DonationVoidView.as_view(), name="donation_void"),
    path("<int:pk>/receipt.pdf", views.DonationReceiptView.as_view(), name="donation_receipt"),
    path("stock/", views.StockView.as_view(), name="stock"),
    *crud(
        "production",
        "productionlog",
        views.ProductionListView,
        views.ProductionDetailView,
        views.ProductionEditView,
        views.ProductionHistoryView,
    ),
    path("production/<int:pk>/void/", views.ProductionVoidView.as_view(), name="productionlog_void"),
    *crud(
        "spoilage",
        "spoilage",
        views.SpoilageListView,
        views.SpoilageDetailView,
        views.SpoilageEditView,
        views.SpoilageHistoryView,
    ),
    path("spoilage/<int:pk>/void/", views.SpoilageVoidView.as_view(), name="spoilage_void"),
    *crud(
        "fundraisers",
        "fundraiser",
        views.FundraiserListView,
        views.FundraiserDetailView,
        views.FundraiserEditView,
        views.FundraiserHistoryView,
    ),
    path("fundraisers/purchases/add/", views.FundraiserPurchaseEditView.as_view(), name="fundraiserpurchase_add"),
    path(
        "fundraisers/purchases/<int:pk>/edit/",
        views.FundraiserPurchaseEditView.as_view(),
        name="fundraiserpurchase_edit",
    ),
    *crud("items", "item", views.ItemListView, views.ItemDetailView, views.ItemEditView, views.ItemHistoryView),
    # The reports run in the report catalog (reports:run); these old addresses send bookmarks there.
    path(
        "reports/season-harvest/",
        views.ReportRedirectView.as_view(slug="season-harvest"),
        name="report_season_harvest",
    ),
    path("reports/donations/", views.ReportRedirectView.as_view(slug="donations"), name="report_donations"),
]
