"""Django admin for superusers: read the ledger; money moves only through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Allocation, Disbursement, Obligation, Payee, Payment, PaymentPlan


class ReadOnlyMixin:
    """Financial records are never edited or deleted here: corrections are reversals."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


class ReadOnlyPlainAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(Payee)
class PayeeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "reference", "active")
    search_fields = ("name", "reference")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ("offender", "kind", "ordered_amount", "ordered_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("offender__doc_id", "case__case_number")


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ("obligation", "monthly_amount", "first_due_on", "replaced_at")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "offender", "amount", "received_on", "method", "source")
    search_fields = ("receipt_number", "offender__doc_id")


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyPlainAdmin):
    list_display = ("payment", "obligation", "amount", "allocated_on", "reversal")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ("payee", "amount", "disbursed_on", "reference")


# ComplianceSnapshot is not here: the admin cannot show a model with a composite primary key. The
# snapshots are read on the obligation and offender pages and through /api/v1/restitution/snapshots/.
