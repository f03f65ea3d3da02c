"""Tables for core lists (django-tables2). Querysets arrive already restricted by the view."""

import django_tables2 as tables

from core.models import JobRun, Offender, User
from core.money import format_money, quantize

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"
        empty_text = "Nothing matches. Clear the filters or add the first record."


# Column priority on a tablet (768 px): a column marked wide_only is shown from 1200 px up, so the
# columns that matter fit the screen without sideways scrolling. Exports keep every column.
WIDE_ONLY = "d-none d-xl-table-cell"


def wide_only(column: tables.Column) -> tables.Column:
    attrs = dict(column.attrs or {})
    for part in ("th", "td"):
        cell = dict(attrs.get(part, {}))
        cell["class"] = f"{cell.get('class', '')} {WIDE_ONLY}".strip()
        attrs[part] = cell
    column.attrs = attrs
    return column


class MoneyColumn(tables.Column):
    """Dollars, right-aligned, printed one way (``$1,234.50``); exported as the plain amount."""

    attrs = RIGHT

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return quantize(value)


class OffenderTable(BaseTable):
    doc_id = tables.Column(linkify=True, verbose_name="DOC ID")
    name = tables.Column(
        accessor="last_name",
        verbose_name="Name",
        order_by=("last_name", "first_name"),
        linkify=lambda record: record.get_absolute_url(),
    )
    facility = tables.Column(accessor="facility__code", verbose_name="Facility")
    district = tables.Column(accessor="district__number", verbose_name="District")
    supervising_officer = tables.Column(verbose_name="Officer")

    class Meta(BaseTable.Meta):
        model = Offender
        fields = ("doc_id", "name", "status", "facility", "district", "supervising_officer", "supervision_end_date")

    def render_name(self, record):
        return f"{record.last_name}, {record.first_name}"

    def value_name(self, record):
        return f"{record.last_name}, {record.first_name}"


class CourtCaseTable(BaseTable):
    """Its columns are the declaration's ``table_fields``; the person is linked too."""

    case_number = tables.Column(linkify=True)
    offender = tables.Column(linkify=True)


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    name = tables.Column(accessor="last_name", verbose_name="Name", order_by=("last_name", "first_name"))
    district = tables.Column(accessor="district__number", verbose_name="District")
    facilities = tables.ManyToManyColumn(
        verbose_name="Facilities",
        orderable=False,
        transform=lambda f: f.code,
    )

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "name", "role", "district", "facilities", "is_active", "last_login")

    def render_name(self, record):
        return record.get_full_name() or "—"

    def value_name(self, record):
        return record.get_full_name()


class JobRunTable(BaseTable):
    class Meta(BaseTable.Meta):
        model = JobRun
        fields = ("job", "run_date", "started_at", "finished_at", "rows", "outcome", "triggered_by")
