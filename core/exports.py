"""One export path for every list and every report: rows to CSV or XLSX that a spreadsheet opens as data.

A table is ``{"title", "columns", "rows"}``. What a person typed is never run by the spreadsheet:

- CSV: a text cell starting with ``= + - @``, a tab or a carriage return is prefixed with ``'``
  (OWASP's advice for CSV injection), so ``=HYPERLINK(...)`` opens as the text it is;
- XLSX: every text cell is written as a string cell, never a formula, exactly as stored;
- control characters that a file format cannot hold (NUL in CSV, the C0 controls but tab and
  newlines in XLSX) are dropped from the export instead of failing it, so nothing already stored
  can crash an export.

Lists (``ObjectListView`` and any view with ``TableExportMixin``) and the reports app's catalog both
write through ``to_csv`` and ``to_xlsx``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CSV_BAD = re.compile(r"\x00")
_XLSX_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def csv_text(value: str) -> str:
    """Text for a CSV cell: control characters CSV cannot hold dropped, a formula start neutralized."""
    value = _CSV_BAD.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def xlsx_text(value: str) -> str:
    """Text for an XLSX string cell: the control characters the format refuses dropped."""
    return _XLSX_BAD.sub("", value)


def _typed(value):
    """A number, date or time stays one; None is empty; a yes/no prints as words; the rest is text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime | dt.time):
        return value
    return str(value)


def to_csv(tables: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)

    def row(values):
        writer.writerow([csv_text(v) if isinstance(v, str) else v for v in map(_typed, values)])

    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            row([str(table.get("title", ""))])
        row([str(c) for c in table["columns"]])
        for values in table["rows"]:
            row(values)
    # A byte order mark, so Excel opens the UTF-8 file with its accents intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    value = _typed(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=xlsx_text(value))
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def to_xlsx(tables: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables or [{"title": "Report", "columns": [], "rows": []}]:
        name = _SHEET_BAD.sub(" ", xlsx_text(str(table.get("title") or "Sheet")))[:31].strip() or "Sheet"
        base, n = name, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        sheet = workbook.create_sheet(title=name)
        sheet.freeze_panes = "A2"

        sheet.append([_xlsx_cell(sheet, str(column), bold=True) for column in table["columns"]])
        for values in table["rows"]:
            sheet.append([_xlsx_cell(sheet, v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(tables: list[dict], fmt: str, filename: str) -> HttpResponse:
    content = to_csv(tables) if fmt == "csv" else to_xlsx(tables)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TableExportMixin:
    """``?_export=csv`` or ``xlsx`` on a django-tables2 page: every row of the filtered table (not just
    the page shown), through ``to_csv``/``to_xlsx``. In place of django-tables2's ``ExportMixin``, whose
    exports write a typed formula as a live one."""

    export_trigger_param = "_export"
    export_formats = ("csv", "xlsx")
    export_name = "table"
    exclude_columns = ()
    # Set by the reports app's task, which replays the list's request as its owner: the export answers
    # its tables rather than a file (``reports.list_exports``).
    export_in_task = False

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get_export_title(self) -> str:
        return self.export_name

    def export_tables(self) -> list[dict]:
        """Every row of the filtered table, as the export's one table."""
        table = self.get_table(**self.get_table_kwargs())
        values = list(table.as_values(exclude_columns=self.exclude_columns))
        return [{"title": self.get_export_title(), "columns": values[0] if values else [], "rows": values[1:]}]

    def create_export(self, export_format):
        return export_response(self.export_tables(), export_format, self.get_export_filename(export_format))

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            if self.export_in_task:
                return self.export_tables()
            return self.create_export(export_format)
        return super().render_to_response(context, **kwargs)
