"""The body of every list table, rendered in Python (``{% table_body table %}``).

django-tables2's packaged template renders each cell through the template engine: a loop step, the
column's attributes rebuilt for every cell and an ``{% if %}`` on its localization. On a 25-row
page of nine columns that was most of the page's time (profiles in docs/performance.md). This tag
writes the same markup: the column's ``td`` attributes once per column (our tables' attributes are
static dictionaries, never callables of the record), each cell from tables2's own ``get_cell`` (its
``render_*`` methods, links and empty values unchanged) and then localized and escaped exactly as
``{{ cell }}`` is (``render_value_in_context``), or with ``localize``/``unlocalize`` when the column
asks.
"""

import hashlib

from django import template
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.utils import AttributeDict

from core import freshness

register = template.Library()


def _cell(column, value, context) -> str:
    if column.localize is None:
        return render_value_in_context(value, context)
    if column.localize:
        return conditional_escape(localize(value, use_l10n=True))
    return conditional_escape(localize(value, use_l10n=False))


@register.simple_tag(takes_context=True)
def table_body(context, table):
    columns = list(table.columns)
    td_attrs = [column.attrs["td"].as_html() for column in columns]
    tbody = table.attrs.get("tbody")
    parts = [f"<tbody {AttributeDict(tbody).as_html() if tbody else ''}>"]
    rows = table.paginated_rows
    empty = True
    for row in rows:
        empty = False
        cells = "".join(
            f"<td {attrs}>{_cell(column, row.get_cell(column.name), context)}</td>"
            for column, attrs in zip(columns, td_attrs, strict=True)
        )
        parts.append(f"<tr {row.attrs.as_html()}>{cells}</tr>")
    if empty and table.empty_text:
        parts.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text))
    parts.append("</tbody>")
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def filter_fields(context, filterset):
    """A list's filter fields (crispy, one column each), kept until the next write (``core.freshness``).

    Their HTML depends only on the user (the choices they may see), the query string (the values and
    any error) and the data, so it is cached on exactly those: a select of 60 facilities costs a
    template per option, a fifth of a list page's time, and most views of a list repeat the last one.
    """
    request = context["request"]
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:24]
    key = f"filter:{request.path}:{request.user.pk}:{timezone.localdate():%Y%m%d}:{query}"
    return freshness.cached(
        key, lambda: render_to_string("core/includes/filter_fields.html", {"form": filterset.form}, request=request)
    )
