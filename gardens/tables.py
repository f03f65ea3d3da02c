"""Tables for garden lists. Querysets arrive restricted (and with their relations joined) from the views."""

import django_tables2 as tables
from django.utils.safestring import mark_safe

from core.tables import RIGHT, BaseTable, DateColumn

from .models import Harvest


class HarvestTable(BaseTable):
    date = DateColumn(linkify=True)
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    garden = tables.Column(accessor="garden__name", verbose_name="Garden")
    crop = tables.Column(accessor="crop__name", verbose_name="Crop")
    weight_lb = tables.Column(verbose_name="Pounds", attrs=RIGHT)
    entered_by = tables.Column(verbose_name="Entered by", order_by=("entered_by__last_name", "entered_by__first_name"))
    status = tables.Column(accessor="voided_at", verbose_name="Status", orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = Harvest
        fields = (
            "date",
            "facility",
            "garden",
            "crop",
            "weight_lb",
            "volunteers",
            "volunteer_hours",
            "entered_by",
            "status",
        )

    def render_status(self, record):
        if record.voided_at:
            return mark_safe('<span class="badge text-bg-secondary">Void</span>')
        return ""

    def value_status(self, record):
        return "void" if record.voided_at else ""

    def value_entered_by(self, record):
        return str(record.entered_by)
