"""Django admin, for superusers only (rjadmin/urls.py limits the site)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core.models import (
    Alert,
    AuditEvent,
    CourtCase,
    District,
    Facility,
    ImportBatch,
    JobRun,
    Offender,
    Organization,
    OrganizationKind,
    User,
)

# Second factors are set up by each user and reset by administrators in the app's own pages
# (core/views/signin.py), which log it; the admin's device pages would show every user's secret key.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class RJUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("RJ Admin", {"fields": ("role", "facilities", "district", "phone")}))
    list_display = ("username", "first_name", "last_name", "role", "district", "is_active")
    list_filter = ("role", "is_active", "district")

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, never deleted: their history and records must keep their author.
        return False


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("number", "name", "region")


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "town", "kind", "active")
    search_fields = ("name", "code")


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "county", "active")
    search_fields = ("name",)


@admin.register(Offender)
class OffenderAdmin(SimpleHistoryAdmin):
    list_display = ("doc_id", "last_name", "first_name", "status", "facility", "district")
    search_fields = ("doc_id", "last_name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CourtCase)
class CourtCaseAdmin(SimpleHistoryAdmin):
    list_display = ("case_number", "court", "offender", "sentencing_date")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "run_date", "started_at", "finished_at", "rows", "outcome")
    list_filter = ("job", "outcome")


admin.site.register(OrganizationKind)
admin.site.register(ImportBatch)
admin.site.register(Alert)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
