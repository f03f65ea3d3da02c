from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "gardens"

urlpatterns = [
    path("harvests/day/", views.HarvestDayView.as_view(), name="harvest_quick"),
    path("harvests/day/row/", views.HarvestRowView.as_view(), name="harvest_quick_row"),
    path("harvests/<int:pk>/workers/", views.HarvestWorkersView.as_view(), name="harvest_workers"),
    *resource_urls("gardens"),
]
