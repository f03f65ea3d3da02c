import datetime as dt

from django.urls import path, register_converter

from core.resources import resource_urls

from . import views

app_name = "gardens"


class IsoDateConverter:
    """A date in the path as yyyy-mm-dd; one that is no date (2026-02-30) matches nothing, so a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # a ValueError: the pattern does not match

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("harvests/day/", views.HarvestDayView.as_view(), name="harvest_quick"),
    path("harvests/day/row/", views.HarvestRowView.as_view(), name="harvest_quick_row"),
    path("harvests/<int:pk>/workers/", views.HarvestWorkersView.as_view(), name="harvest_workers"),
    path(
        "harvests/day/<int:garden>/<isodate:date>/workers/",
        views.HarvestDayWorkersView.as_view(),
        name="harvest_day_workers",
    ),
    *resource_urls("gardens"),
]
