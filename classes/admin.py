from django.contrib import admin

from .models import Attendance, CurriculumVersion, Enrollment, Offering, Referral, Topic


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


for model in (Topic, CurriculumVersion, Offering, Referral, Enrollment, Attendance):
    admin.site.register(model, NoDelete)
