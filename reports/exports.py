"""A report's rows as CSV or XLSX. Tables are ``{"title", "columns", "rows"}`` dicts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from core.registry import ReportEntry

# A cell a spreadsheet would run as a formula (CSV injection): prefix it so it stays text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def tables_for(entry: ReportEntry, context: dict) -> list[dict]:
    """The tables of a built report: the entry's ``tabulate``, else ``tables``, else ``columns`` + ``rows``,
    else ``csv_rows`` (a header row, then the rows), else a django-tables2 table in the context."""
    if entry.tabulate is not None:
        return list(entry.tabulate(context))
    if context.get("tables"):
        return list(context["tables"])
    if "columns" in context and "rows" in context:
        return [{"title": entry.title, "columns": context["columns"], "rows": context["rows"]}]
    if context.get("csv_rows"):  # a header row, then the rows
        header, *rows = context["csv_rows"]
        return [{"title": entry.title, "columns": header, "rows": rows}]
    try:
        import django_tables2
    except ImportError:  # pragma: no cover
        return []
    for value in context.values():
        if isinstance(value, django_tables2.Table):
            rows = list(value.as_values())
            return [{"title": entry.title, "columns": rows[0], "rows": rows[1:]}] if rows else []
    return []


def row_count(tables: list[dict]) -> int:
    return sum(len(t["rows"]) for t in tables)


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        return value
    return _safe_text(str(value))


def to_csv(tables: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([_safe_text(str(table.get("title", "")))])
        writer.writerow([_safe_text(str(c)) for c in table["columns"]])
        for row in table["rows"]:
            writer.writerow([_cell(v) for v in row])
    # A byte order mark, so Excel opens the UTF-8 file with its accents intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables or [{"title": "Report", "columns": [], "rows": []}]:
        name = _SHEET_BAD.sub(" ", str(table.get("title") or "Sheet"))[:31].strip() or "Sheet"
        base, n = name, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        sheet = workbook.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        header = []
        for column in table["columns"]:
            cell = WriteOnlyCell(sheet, value=_safe_text(str(column)))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in table["rows"]:
            values = []
            for v in row:
                v = _cell(v)
                if isinstance(v, dt.datetime) and v.tzinfo is not None:
                    v = v.replace(tzinfo=None)  # Excel has no time zones
                values.append(v)
            sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
