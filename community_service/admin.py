"""Django admin for superusers only (rjadmin/urls.py limits the site). Nothing is deleted here either."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, HourLog, Order, Placement


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(NoDeleteAdmin):
    list_display = ("organization", "ein", "agreement_start", "agreement_end", "minors_present", "active")
    list_filter = ("active", "minors_present")


@admin.register(Order)
class OrderAdmin(NoDeleteAdmin):
    list_display = ("offender", "case", "hours_ordered", "ordered_on", "due_on", "status")
    list_filter = ("status", "source")
    raw_id_fields = ("offender", "case", "follows")


@admin.register(Placement)
class PlacementAdmin(NoDeleteAdmin):
    list_display = ("offender", "agency", "start_on", "end_on")
    raw_id_fields = ("offender",)


@admin.register(HourLog)
class HourLogAdmin(NoDeleteAdmin):
    list_display = ("offender", "date", "hours", "credited_hours", "verification")
    list_filter = ("verification",)
    raw_id_fields = ("offender", "order", "placement")
