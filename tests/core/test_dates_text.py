"""Dates print one way everywhere, "1 day" not "1 days", and note fields show their limit (issue 17, item 12)."""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from core.dates import format_date, format_datetime, format_days
from core.models import JobRun
from core.tables import JobRunTable

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "gardens", "donations", "restitution", "reports", "templates")
CHICAGO = ZoneInfo("America/Chicago")
DAY = dt.date(2026, 3, 5)
MOMENT = dt.datetime(2026, 3, 5, 14, 7, tzinfo=CHICAGO)

# The named formats a template may ask for (rjadmin/formats/en/formats.py); a literal format is a second way.
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
}


def _files(suffix):
    for app in APPS:
        yield from (p for p in (ROOT / app).rglob(f"*{suffix}") if "migrations" not in p.parts)


def test_every_named_format_prints_the_one_way():
    html = Template(
        "{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}|"
        "{{ m|date:'DATETIME_FORMAT' }}|{{ m|date:'SHORT_DATETIME_FORMAT' }}"
    ).render(Context({"d": DAY, "m": MOMENT}))
    assert html == "Mar 5, 2026|Mar 5, 2026|Mar 5, 2026 14:07|Mar 5, 2026 14:07"


def test_python_helpers_print_like_the_templates():
    assert format_date(DAY) == "Mar 5, 2026"
    assert format_datetime(MOMENT) == "Mar 5, 2026 14:07"
    assert format_datetime(MOMENT.astimezone(dt.UTC)) == "Mar 5, 2026 14:07"  # in America/Chicago


@pytest.mark.django_db
def test_list_tables_print_dates_like_the_detail_pages():
    JobRun.objects.create(job="brochure", run_date=DAY, outcome="success")
    row = JobRunTable(JobRun.objects.all()).rows[0]
    assert row.get_cell("run_date") == "Mar 5, 2026"


def test_templates_use_only_the_named_date_formats():
    literal = re.compile(r"\|(?:date|time):\"([^\"]+)\"")
    offenders = [
        f"{p.relative_to(ROOT)}: {fmt}"
        for p in _files(".html")
        for fmt in literal.findall(p.read_text())
        if fmt not in NAMED
    ]
    assert offenders == []


def test_python_prints_no_zero_padded_or_long_month_dates():
    pattern = re.compile(r"%b %d|%B|%d/%m|%m/%d")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _files(".py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(("n", "text"), [(0, "0 days"), (1, "1 day"), (2, "2 days"), (61, "61 days")])
def test_format_days_pluralizes(n, text):
    assert format_days(n) == text


def test_no_template_or_message_prints_a_count_with_a_bare_days():
    bare = re.compile(r"(\}\}|\})\s+days\b")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for suffix in (".html", ".py")
        for p in _files(suffix)
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if bare.search(line)
    ]
    assert offenders == []


def test_restitution_panel_says_1_day():
    row = SimpleNamespace(
        offender=SimpleNamespace(pk=1, first_name="Ann", last_name="Lee"), status="late", arrears=5, days_past_due=1
    )
    html = render_to_string("restitution/panel.html", {"worst": [row], "counts": {}})
    assert "1 day past due" in html
    assert "1 days" not in html


@pytest.mark.parametrize(
    ("app", "model"), [("gardens", "Garden"), ("donations", "Donation"), ("donations", "Fundraiser")]
)
def test_note_fields_have_a_limit_the_page_can_show(app, model):
    from django.apps import apps

    field = apps.get_model(app, model)._meta.get_field("note").formfield()
    assert field.max_length == 2000
    assert field.widget.attrs["maxlength"] == "2000"


def test_every_page_loads_the_character_counter():
    assert "js/char_count.js" in (ROOT / "templates" / "base.html").read_text()
