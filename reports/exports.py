"""A report's rows as tables (``{"title", "columns", "rows"}`` dicts), written by core.exports' to_csv and to_xlsx
(the one export path of lists and reports)."""

from __future__ import annotations

from core.registry import ReportEntry


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
