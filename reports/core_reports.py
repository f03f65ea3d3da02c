"""Reports built on core's records and on the registry's figures, so the catalog is useful on day one.

Each ``build(user, params)`` applies the user's scope with ``.restrict()``: a facility's staff get
their facility's numbers only, an officer their caseload, a supervisor their district.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Count, F, Q
from django.utils import timezone

from core.choices import OffenderStatus, Role
from core.dates import format_date
from core.forms import Form, ScopedFormMixin
from core.models import District, Facility, Offender
from core.querysets import VIEW
from core.registry import ReportEntry

from .selectors import compute_figure_year, figure_values, sections
from .svg import bar_chart

STATEWIDE = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
READINESS_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.DISTRICT_SUPERVISOR, Role.PROBATION_OFFICER})


class PeopleForm(ScopedFormMixin, forms.Form):
    """Where: a facility or a district, within the user's scope (the dropdowns are restricted)."""

    facility = forms.ModelChoiceField(
        queryset=Facility.objects.all(), required=False, empty_label="Every facility I may see"
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="Every district I may see"
    )


class RosterForm(PeopleForm):
    status = forms.ChoiceField(choices=[("", "Any status"), *OffenderStatus.choices], required=False)


def _people(user, params):
    qs = Offender.objects.restrict(user, VIEW)
    if params.get("facility"):
        qs = qs.filter(facility=params["facility"])
    if params.get("district"):
        qs = qs.filter(district=params["district"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    return qs


def people_by_status(user, params):
    """Totals by status, incarcerated people by facility, supervised people by district."""
    qs = _people(user, params)
    totals = qs.aggregate(
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in OffenderStatus},
        total=Count("pk"),
    )
    by_facility = (
        qs.filter(status=OffenderStatus.INCARCERATED)
        .values("facility__code", "facility__name")
        .annotate(people=Count("pk"))
        .order_by("facility__name")
    )
    by_district = (
        qs.filter(status=OffenderStatus.SUPERVISED)
        .values("district__number", "district__name")
        .annotate(people=Count("pk"))
        .order_by("district__number")
    )
    tables = [
        {
            "title": "People by status",
            "columns": ["Status", "People"],
            "rows": [*[[s.label, totals[s.value]] for s in OffenderStatus], ["Total", totals["total"]]],
        },
        {
            "title": "Incarcerated by facility",
            "columns": ["Facility", "Code", "People"],
            "rows": [[r["facility__name"], r["facility__code"], r["people"]] for r in by_facility],
        },
        {
            "title": "Supervised by district",
            "columns": ["District", "Name", "People"],
            "rows": [[r["district__number"], r["district__name"], r["people"]] for r in by_district],
        },
    ]
    return {"tables": tables, "totals": totals}


# Discharge readiness (core.restorative): the nightly check's rows, read as outcomes ------------------
class ReadinessYearsForm(ScopedFormMixin, forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="Every district I may see"
    )


def _readiness(user, params):
    from core.models import Readiness

    qs = Readiness.objects.restrict(user, VIEW)
    if params.get("district"):
        qs = qs.filter(district_id=params["district"].pk)
    return qs


def readiness_now(user, params):
    """The last night's check by district: people whose supervision ends within 90 days, those with
    nothing left, something unmet, something that will not be met in time, and the share at risk."""
    qs = _readiness(user, params)
    night = qs.order_by("-as_of").values_list("as_of", flat=True).first()
    rows = (
        qs.filter(as_of=night)
        .values("district_id")
        .annotate(
            people=Count("pk"),
            ready=Count("pk", filter=Q(unmet_count=0)),
            unmet=Count("pk", filter=Q(unmet_count__gt=0)),
            late=Count("pk", filter=Q(late=True)),
        )
        .order_by("district_id")
    )
    names = dict(District.objects.values_list("pk", "number"))
    table = [
        [
            f"District {names.get(r['district_id'], '—')}",
            r["people"],
            r["ready"],
            r["unmet"],
            r["late"],
            f"{100 * r['late'] / r['people']:.0f}%" if r["people"] else "—",
        ]
        for r in rows
    ]
    intro = (
        f"As checked on the night of {format_date(night)}: everyone whose supervision ends within 90 days."
        if night
        else "The nightly readiness check has not run yet."
    )
    return {
        "intro": intro,
        "tables": [
            {
                "title": "Discharge readiness by district",
                "columns": [
                    "District",
                    "Ending within 90 days",
                    "Nothing left",
                    "Something unmet",
                    "At risk",
                    "Share at risk",
                ],
                "rows": table,
            }
        ],
    }


# Per district and year of the end date: the people discharged (each person and end date once, its last
# night checked on or before that date) and those with nothing unmet that night. ``{last}`` is that
# DISTINCT ON query over the viewer's rows, so the scope stays in SQL (no list of ids in Python).
_AT_DISCHARGE = """
SELECT district_id, EXTRACT(year FROM supervision_end_date)::int, count(*), count(*) FILTER (WHERE unmet_count = 0)
  FROM ({last}) last_night
 GROUP BY 1, 2
"""


def readiness_at_discharge(user, params):
    """People whose supervision ended, by district and year: how many had completed everything they were
    ordered to (nothing unmet on the last night checked before the end). One query."""
    from django.db import connection

    last = (
        _readiness(user, params)
        .filter(as_of__lte=F("supervision_end_date"), supervision_end_date__lte=timezone.localdate())
        .order_by("offender_id", "supervision_end_date", "-as_of")
        .distinct("offender_id", "supervision_end_date")
        .values("district_id", "supervision_end_date", "unmet_count")
    )
    sql, sql_params = last.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_AT_DISCHARGE.format(last=sql), sql_params)
        counts = {(district, year): (n, done) for district, year, n, done in cursor.fetchall()}
    names = dict(District.objects.values_list("pk", "number"))
    rows = [
        [f"District {names.get(d, '—')}", year, n, done, f"{100 * done / n:.0f}%"]
        for (d, year), (n, done) in sorted(counts.items(), key=lambda kv: (names.get(kv[0][0], 0), kv[0][1]))
    ]
    return {
        "intro": "People whose supervision has ended, by the year it ended: those with nothing unmet on the last "
        "night the readiness check ran before the end date completed everything they were ordered to.",
        "tables": [
            {
                "title": "Completed everything before discharge",
                "columns": ["District", "Year", "Discharged", "Completed everything", "Share"],
                "rows": rows,
            }
        ],
    }


class YearForm(Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, help_text="Empty: this year.")


def completion_times(user, params):
    """How long each program's obligations completed in the year took from order to completion."""
    from core.restorative import durations_for

    year = params.get("year") or timezone.localdate().year
    rows = [
        [
            d.what,
            d.completed,
            round(d.median_days) if d.median_days is not None else "—",
            round(d.p90_days) if d.p90_days is not None else "—",
        ]
        for d in durations_for(user, dt.date(year, 1, 1), dt.date(year, 12, 31))
    ]
    return {
        "intro": f"Obligations completed in {year}, as your scope holds them: days from the order to completion.",
        "tables": [
            {
                "title": f"Time from order to completion, {year}",
                "columns": ["Program", "Completed", "Median days", "90% within days"],
                "rows": rows,
            }
        ],
    }


ROSTER_CHUNK = 500


def offender_roster_count(user, params) -> int:
    return _people(user, params).count()


def offender_roster(user, params, progress=None):
    """Every person in scope, one row each: large for administrators, so it can run as a task."""
    qs = (
        _people(user, params)
        .select_related("facility", "district", "supervising_officer")
        .order_by("last_name", "first_name", "doc_id")
    )
    total = qs.count() if progress else 0
    status_labels = dict(OffenderStatus.choices)
    rows = []
    for i, o in enumerate(qs.iterator(chunk_size=ROSTER_CHUNK), start=1):
        rows.append(
            [
                o.doc_id,
                o.last_name,
                o.first_name,
                status_labels.get(o.status, o.status),
                o.facility.code if o.facility else "",
                o.district.number if o.district else "",
                str(o.supervising_officer) if o.supervising_officer else "",
                o.supervision_end_date,
            ]
        )
        if progress and i % ROSTER_CHUNK == 0:
            progress(i, total, f"{i:,} of {total:,} people")
    columns = ["DOC ID", "Last name", "First name", "Status", "Facility", "District", "Officer", "Supervision ends"]
    return {"tables": [{"title": "Offender roster", "columns": columns, "rows": rows}], "row_total": len(rows)}


def _year_choices():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year, this_year - 12, -1)]


class AnnualReportForm(Form):
    year = forms.TypedChoiceField(coerce=int, choices=_year_choices, help_text="The year the report is about.")
    span = forms.TypedChoiceField(
        label="Years compared",
        coerce=int,
        choices=[("3", "3 years"), ("5", "5 years")],
        initial="5",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = str(timezone.localdate().year)


def _numeric(value) -> bool:
    return value is not None and not isinstance(value, list)


def annual_report(user, params):
    """Statewide, one section per program: each figure year over year (with a chart) and to date,
    the historical baseline shown apart from what RJ Admin's records hold."""
    year = int(params.get("year") or timezone.localdate().year)
    span = int(params.get("span") or 5)
    years = list(range(year - span + 1, year + 1))
    values = figure_values()
    program_sections = []
    table_rows = []
    for section in sections(figures=values):
        if not section.is_program:
            continue
        items = []
        for fv in section.figures:
            series = None
            if fv.entry.compute_year is not None:
                series = [(str(y), compute_figure_year(fv.entry, y)) for y in years]
            numeric = series is not None and all(v is None or _numeric(v) for _, v in series)
            chart = None
            if numeric and any(v for _, v in series):
                chart = bar_chart(series, title=fv.label, unit=fv.unit)
            items.append({"figure": fv, "series": series if numeric else None, "chart": chart})
            table_rows.append(
                [
                    section.title,
                    fv.label,
                    fv.unit,
                    *[(v if _numeric(v) else None) for _, v in (series if numeric else [(y, None) for y in years])],
                    fv.value if _numeric(fv.value) else (fv.printed() if fv.is_breakdown else None),
                    fv.baseline.value if fv.baseline else None,
                    fv.baseline.as_of if fv.baseline else None,
                    fv.number if fv.baseline else None,
                ]
            )
        program_sections.append({"section": section, "items": items})
    columns = [
        "Program",
        "Figure",
        "Unit",
        *[str(y) for y in years],
        "In RJ Admin to date",
        "Before RJ Admin (baseline)",
        "Baseline counted up to",
        "Since records began",
    ]
    return {
        "year": year,
        "years": years,
        "program_sections": program_sections,
        "tables": [{"title": f"Programs {years[0]}-{years[-1]}", "columns": columns, "rows": table_rows}],
    }


def program_figures(user, params):
    """Every registered figure: what RJ Admin's records hold, the historical baseline, and their sum."""
    rows = []
    for fv in figure_values():
        rows.append(
            [
                fv.label,
                fv.slug,
                fv.unit,
                fv.value if _numeric(fv.value) else (fv.printed() if fv.is_breakdown else None),
                fv.baseline.value if fv.baseline else None,
                fv.baseline.as_of if fv.baseline else None,
                fv.number if fv.baseline else (fv.value if _numeric(fv.value) else None),
            ]
        )
    columns = [
        "Figure",
        "Key",
        "Unit",
        "In RJ Admin",
        "Before RJ Admin (baseline)",
        "Baseline counted up to",
        "Since records began",
    ]
    return {"tables": [{"title": "Program figures", "columns": columns, "rows": rows}]}


ENTRIES = [
    ReportEntry(
        slug="people-by-status",
        title="People by status",
        app="core",
        description="How many people are incarcerated, supervised or discharged, by facility and by district.",
        build=people_by_status,
        template="reports/reports/tables.html",
        formats=("html", "pdf", "csv"),
        form_class=PeopleForm,
    ),
    ReportEntry(
        slug="offender-roster",
        title="Offender roster",
        app="core",
        description="Every person in your scope with status, facility, district, officer and supervision end date.",
        build=offender_roster,
        template="reports/reports/tables.html",
        formats=("html", "pdf", "csv"),
        form_class=RosterForm,
        count=offender_roster_count,
    ),
    ReportEntry(
        slug="readiness-now",
        title="Discharge readiness by district",
        app="core",
        description="Everyone whose supervision ends within 90 days: nothing left, something unmet, at risk.",
        build=readiness_now,
        formats=("html", "pdf", "csv"),
        roles=READINESS_ROLES,
        form_class=ReadinessYearsForm,
    ),
    ReportEntry(
        slug="readiness-at-discharge",
        title="Completed everything before discharge",
        app="core",
        description="People whose supervision ended, by district and year, and how many had nothing left unmet.",
        build=readiness_at_discharge,
        formats=("html", "pdf", "csv"),
        roles=READINESS_ROLES,
        form_class=ReadinessYearsForm,
    ),
    ReportEntry(
        slug="completion-times",
        title="Time from order to completion",
        app="core",
        description="Each program's obligations completed in a year: how many, and the days from order to completion.",
        build=completion_times,
        formats=("html", "pdf", "csv"),
        roles=READINESS_ROLES,
        form_class=YearForm,
    ),
    ReportEntry(
        slug="annual-report",
        title="Annual report",
        app="core",
        description="Statewide: each program year over year with charts, and totals since records began.",
        build=annual_report,
        template="reports/reports/annual.html",
        formats=("html", "pdf", "csv"),
        roles=STATEWIDE,
        form_class=AnnualReportForm,
    ),
    ReportEntry(
        slug="program-figures",
        title="Program figures and historical baselines",
        app="core",
        description="Each public figure as RJ Admin's records hold it, the total before RJ Admin, and their sum.",
        build=program_figures,
        template="reports/reports/tables.html",
        formats=("html", "pdf", "csv"),
        roles=STATEWIDE,
    ),
]
