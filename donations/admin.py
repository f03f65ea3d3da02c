"""Django admin for superusers only. Nothing is deleted here either; donation lines are read only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Donation, DonationLine, Fundraiser, FundraiserPurchase, Item, ProductionLog, Spoilage


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class DonationLineInline(admin.TabularInline):
    model = DonationLine
    extra = 0
    can_delete = False
    readonly_fields = ("crop", "weight_lb", "item", "quantity", "estimated_value")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(NoDeleteAdmin):
    list_display = ("name", "category", "estimated_value", "active")
    list_filter = ("category", "active")


@admin.register(ProductionLog)
class ProductionLogAdmin(NoDeleteAdmin):
    list_display = ("date", "facility", "shop", "item", "quantity", "voided_at")
    list_filter = ("facility", "item__category")
    readonly_fields = ("voided_at", "voided_by", "void_reason")


@admin.register(Spoilage)
class SpoilageAdmin(NoDeleteAdmin):
    list_display = ("date", "facility", "crop", "weight_lb", "voided_at")
    readonly_fields = ("voided_at", "voided_by", "void_reason")


@admin.register(Donation)
class DonationAdmin(NoDeleteAdmin):
    list_display = ("receipt_number", "date", "facility", "recipient", "purpose", "acknowledged", "voided_at")
    list_filter = ("facility", "purpose", "acknowledged")
    inlines = [DonationLineInline]
    readonly_fields = ("facility", "date", "voided_at", "voided_by", "void_reason")


class FundraiserPurchaseInline(admin.TabularInline):
    model = FundraiserPurchase
    extra = 0
    can_delete = False


@admin.register(Fundraiser)
class FundraiserAdmin(NoDeleteAdmin):
    list_display = ("name", "facility", "purpose", "start_date", "goal", "raised")
    inlines = [FundraiserPurchaseInline]
