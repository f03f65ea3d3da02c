"""Django admin for superusers only (rjadmin/urls.py limits the site). Nothing is deleted here either."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Adoption, AdoptionApplication, Dog, HandlerAssignment, Movement, Shelter


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Shelter)
class ShelterAdmin(NoDeleteAdmin):
    list_display = ("organization", "active")
    raw_id_fields = ("organization",)


@admin.register(Dog)
class DogAdmin(NoDeleteAdmin):
    list_display = ("name", "shelter_ref", "shelter", "status", "facility")
    list_filter = ("status",)
    search_fields = ("name", "shelter_ref")
    readonly_fields = ("status", "facility", "housing_unit")


@admin.register(Movement)
class MovementAdmin(NoDeleteAdmin):
    list_display = ("dog", "status", "facility", "started_on", "ended_on")
    raw_id_fields = ("dog", "entered_by")


@admin.register(HandlerAssignment)
class HandlerAssignmentAdmin(NoDeleteAdmin):
    list_display = ("dog", "offender", "role", "started_on", "ended_on")
    raw_id_fields = ("dog", "offender", "entered_by")


@admin.register(AdoptionApplication)
class AdoptionApplicationAdmin(NoDeleteAdmin):
    list_display = ("key", "dog", "status", "reserved", "submitted_at")
    raw_id_fields = ("dog",)


@admin.register(Adoption)
class AdoptionAdmin(NoDeleteAdmin):
    list_display = ("dog", "adopted_on", "fee", "returned_on")
    raw_id_fields = ("dog", "application")
