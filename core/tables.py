"""Tables for core lists (django-tables2). Querysets arrive already restricted by the view."""

import datetime as dt
import inspect

import django_tables2 as tables
from django.utils import dateformat, formats, timezone
from django.utils.html import conditional_escape
from django_tables2 import utils as tables_utils
from django_tables2.columns import library

from core.models import JobRun, Offender, User
from core.money import format_money, quantize

RIGHT = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}

# django-tables2 calls ``inspect.signature`` on a column's render function for every cell it draws
# (``utils.call_with_appropriate``): a quarter of a list page's time in profiles. A function's
# signature never changes, so it is computed once per function (a bound method's once per function
# it binds) and kept. The cache is bounded: a table that made new callables per request would stop
# adding to it, not grow without end.
_tables2_signature = tables_utils.signature
_signatures: dict = {}


def _cached_signature(fn):
    key = (fn.__func__, "bound") if inspect.ismethod(fn) else fn
    try:
        return _signatures[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable callable: computed each time, as tables2 does
        return _tables2_signature(fn)
    result = _tables2_signature(fn)
    if len(_signatures) < 10_000:
        _signatures[key] = result
    return result


tables_utils.signature = _cached_signature


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


def _date_text(value, date_format: str) -> str:
    """What ``{{ value|date:date_format }}`` prints, without a template: django-tables2's date columns
    compile their one-line template for every cell, which was a third of a list page's time."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # the ``date`` filter's expects_localtime
    try:
        return formats.date_format(value, date_format)
    except AttributeError:
        try:
            return dateformat.format(value, date_format)
        except AttributeError:
            return ""


@library.register
class DateColumn(tables.DateColumn):
    """django-tables2's ``DateColumn`` (format, ``short``, export as ISO), rendered in Python. Registered
    after it, so the columns tables2 makes for a model's date fields are this one too."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        super().__init__(format, short, *args, **kwargs)

    def render(self, value, bound_column):
        return conditional_escape(_date_text(value, self.date_format) or bound_column.default)


@library.register
class DateTimeColumn(tables.DateTimeColumn):
    """django-tables2's ``DateTimeColumn``, rendered in Python (in the local time zone, as the filter)."""

    def __init__(self, format=None, short=True, *args, **kwargs):
        self.date_format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
        super().__init__(format, short, *args, **kwargs)

    def render(self, value, bound_column):
        return conditional_escape(_date_text(value, self.date_format) or bound_column.default)


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
