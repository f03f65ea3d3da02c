"""Django admin (superusers only): read-mostly views of the reports app's records."""

from django.contrib import admin

from .models import BrochureBlock, BrochureBuild, FigureBaseline, GeneratedReport, Photo


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ("title", "fmt", "user", "status", "progress", "created_at", "expires_at")
    list_filter = ("status", "fmt")
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]


@admin.register(BrochureBuild)
class BrochureBuildAdmin(admin.ModelAdmin):
    list_display = ("built_at", "built_by", "pages", "size", "type_size")
    readonly_fields = [f.name for f in BrochureBuild._meta.fields]


@admin.register(BrochureBlock)
class BrochureBlockAdmin(admin.ModelAdmin):
    list_display = ("key", "title", "page", "order", "show")


@admin.register(FigureBaseline)
class FigureBaselineAdmin(admin.ModelAdmin):
    list_display = ("figure", "value", "as_of", "entered_by")


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("alt_text", "content_type", "status", "consent_confirmed", "on_brochure", "uploaded_at")
    list_filter = ("status", "consent_confirmed", "on_brochure")
    readonly_fields = ("key", "image", "thumbnail", "width", "height", "uploaded_by", "uploaded_at")
