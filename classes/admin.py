from django.contrib import admin

from .models import Attendance, CurriculumVersion, Enrollment, Offering, Referral, Topic


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoDelete):
    """Attendance and enrollments change only through the services, which keep each course's progress
    (``classes.progress``) and void entries with a reason: Django admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


for model in (Topic, CurriculumVersion, Offering, Referral):
    admin.site.register(model, NoDelete)
for model in (Enrollment, Attendance):
    admin.site.register(model, ReadOnly)
