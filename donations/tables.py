"""Tables for donation lists. Querysets arrive restricted, joined and annotated from the views."""

from decimal import Decimal

import django_tables2 as tables
from django.utils.safestring import mark_safe

from core.tables import RIGHT, BaseTable, DateColumn, wide_only

from .models import Donation, Fundraiser, ProductionLog, Spoilage


class FixedDecimalColumn(tables.Column):
    """A sum shown with a fixed number of decimals (a SUM over numeric keeps whatever scale it has)."""

    def __init__(self, *args, places: int = 1, **kwargs):
        self.exponent = Decimal(1).scaleb(-places)
        kwargs.setdefault("attrs", RIGHT)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{Decimal(value).quantize(self.exponent):,}"

    def value(self, value):
        return str(Decimal(value).quantize(self.exponent))


class StatusColumnMixin(tables.Table):
    status = tables.Column(accessor="voided_at", verbose_name="Status", orderable=False, empty_values=())

    def render_status(self, record):
        return mark_safe('<span class="badge text-bg-secondary">Void</span>') if record.voided_at else ""

    def value_status(self, record):
        return "void" if record.voided_at else ""


class DonationTable(StatusColumnMixin, BaseTable):
    receipt = tables.Column(accessor="pk", verbose_name="Receipt", linkify=lambda record: record.get_absolute_url())
    date = DateColumn()
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    recipient = tables.Column(accessor="recipient__name", verbose_name="Recipient")
    county = wide_only(tables.Column(accessor="recipient__county", verbose_name="County"))
    purpose = wide_only(tables.Column())
    total_lb = FixedDecimalColumn(verbose_name="Pounds", places=1)
    total_items = tables.Column(verbose_name="Items", attrs=RIGHT)
    total_value = FixedDecimalColumn(verbose_name="Estimated value ($)", places=2)
    acknowledged = wide_only(tables.BooleanColumn(verbose_name="Acknowledged"))

    class Meta(BaseTable.Meta):
        model = Donation
        fields = (
            "receipt",
            "date",
            "facility",
            "recipient",
            "county",
            "purpose",
            "total_lb",
            "total_items",
            "total_value",
            "acknowledged",
            "status",
        )

    def render_receipt(self, record):
        return record.receipt_number

    def value_receipt(self, record):
        return record.receipt_number


class ProductionTable(StatusColumnMixin, BaseTable):
    date = DateColumn(linkify=True)
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    item = tables.Column(accessor="item__name", verbose_name="Item")
    quantity = tables.Column(attrs=RIGHT)
    volunteer_hours = tables.Column(attrs=RIGHT)

    class Meta(BaseTable.Meta):
        model = ProductionLog
        fields = ("date", "facility", "shop", "item", "quantity", "volunteer_hours", "status")


class SpoilageTable(StatusColumnMixin, BaseTable):
    date = DateColumn(linkify=True)
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    crop = tables.Column(accessor="crop__name", verbose_name="Crop")
    weight_lb = tables.Column(verbose_name="Pounds", attrs=RIGHT)

    class Meta(BaseTable.Meta):
        model = Spoilage
        fields = ("date", "facility", "crop", "weight_lb", "reason", "status")


class FundraiserTable(BaseTable):
    name = tables.Column(linkify=True)
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    goal = tables.Column(verbose_name="Goal ($)", attrs=RIGHT)
    raised = tables.Column(verbose_name="Raised ($)", attrs=RIGHT)
    spent = FixedDecimalColumn(verbose_name="Spent ($)", places=2)

    class Meta(BaseTable.Meta):
        model = Fundraiser
        fields = ("name", "facility", "purpose", "start_date", "end_date", "goal", "raised", "spent")


class ItemTable(BaseTable):
    """Its columns are the declaration's (donations.registrations)."""

    estimated_value = tables.Column(verbose_name="Estimated value ($)", attrs=RIGHT)
