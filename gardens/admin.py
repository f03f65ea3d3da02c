"""Django admin for superusers only (rjadmin/urls.py limits the site). Nothing is deleted here either."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Crop, Garden, Harvest, Season


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Garden)
class GardenAdmin(NoDeleteAdmin):
    list_display = ("name", "facility", "active")
    list_filter = ("active", "facility")
    search_fields = ("name",)


@admin.register(Crop)
class CropAdmin(NoDeleteAdmin):
    list_display = ("name", "category", "value_per_lb", "active")
    list_filter = ("category", "active")
    search_fields = ("name",)


@admin.register(Season)
class SeasonAdmin(NoDeleteAdmin):
    list_display = ("year", "start_date", "end_date", "goal_tons")


@admin.register(Harvest)
class HarvestAdmin(NoDeleteAdmin):
    list_display = ("date", "facility", "garden", "crop", "weight_lb", "voided_at")
    list_filter = ("facility", "crop")
    date_hierarchy = "date"
    raw_id_fields = ("garden", "crop", "entered_by", "voided_by")
    readonly_fields = ("voided_at", "voided_by", "void_reason")
