"""Tables for community service lists. Querysets arrive restricted (and joined) from the views."""

import django_tables2 as tables
from django.utils.html import format_html

from core.tables import RIGHT, BaseTable, wide_only

from .models import HourLog

BADGES = {"pending": "text-bg-warning", "verified": "text-bg-success", "rejected": "text-bg-danger"}


class HourLogTable(BaseTable):
    date = tables.DateColumn(linkify=True)
    offender = tables.Column(
        accessor="offender", verbose_name="Person", order_by=("offender__last_name", "offender__first_name")
    )
    agency = tables.Column(accessor="placement__agency__organization__name", verbose_name="Agency")
    task = wide_only(tables.Column())
    hours = tables.Column(verbose_name="Reported", attrs=RIGHT)
    credited_hours = tables.Column(verbose_name="Credited", attrs=RIGHT)
    verification = tables.Column(verbose_name="Verification")

    class Meta(BaseTable.Meta):
        model = HourLog
        fields = ("date", "offender", "agency", "task", "hours", "credited_hours", "verification")

    def render_offender(self, record):
        return record.offender.full_name

    def value_offender(self, record):
        return f"{record.offender.full_name} ({record.offender.doc_id})"

    def render_verification(self, record):
        if record.voided_at:
            return format_html('<span class="badge text-bg-secondary">Void</span>')
        return format_html(
            '<span class="badge {}">{}</span>', BADGES[record.verification], record.get_verification_display()
        )

    def value_verification(self, record):
        return "void" if record.voided_at else record.verification
