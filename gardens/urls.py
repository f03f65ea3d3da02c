from django.urls import path

from core.urls import crud

from . import views

app_name = "gardens"

urlpatterns = [
    path("harvests/", views.HarvestListView.as_view(), name="harvest_list"),
    path("harvests/day/", views.HarvestDayView.as_view(), name="harvest_quick"),
    path("harvests/day/row/", views.HarvestRowView.as_view(), name="harvest_quick_row"),
    path("harvests/<int:pk>/", views.HarvestDetailView.as_view(), name="harvest_detail"),
    path("harvests/<int:pk>/edit/", views.HarvestEditView.as_view(), name="harvest_edit"),
    path("harvests/<int:pk>/history/", views.HarvestHistoryView.as_view(), name="harvest_history"),
    path("harvests/<int:pk>/void/", views.HarvestVoidView.as_view(), name="harvest_void"),
    *crud(
        "plots",
        "garden",
        views.GardenListView,
        views.GardenDetailView,
        views.GardenEditView,
        views.GardenHistoryView,
    ),
    *crud("crops", "crop", views.CropListView, views.CropDetailView, views.CropEditView, views.CropHistoryView),
    *crud(
        "seasons",
        "season",
        views.SeasonListView,
        views.SeasonDetailView,
        views.SeasonEditView,
        views.SeasonHistoryView,
    ),
]
