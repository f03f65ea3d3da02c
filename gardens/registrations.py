"""Gardens' entries in core's registry: model declarations, menu items, the season panel, figures, demo data.

The season harvest report joins harvests to where the produce went, so it is entered by the
donations app, which stands on this one; its facility and crop figures come from this app's
selectors, the same ones this panel uses.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from core.choices import Role
from core.querysets import ADD, VIEW, can
from core.registry import (
    FigureEntry,
    MenuEntry,
    PanelEntry,
    ReportEntry,
    RestorativeProvider,
    TimelineProvider,
    registry,
)
from core.resources import Menu, Resource, register

from . import api, filters, forms, selectors, services, tables, views
from .models import Crop, Garden, Harvest, Season

PANEL_ROLES = frozenset({Role.FACILITY_STAFF, Role.ADMINISTRATOR, Role.AUDITOR})


def season_panel_context(user, today=None) -> dict | None:
    """The figures of the season panel, from the selectors the season report uses."""
    today = today or timezone.localdate()
    season = selectors.current_season(today)
    if season is None:
        return None
    totals = selectors.season_totals(user=user, season=season, through=today)
    weeks = selectors.pounds_by_week(user=user, season=season, through=today)
    return {
        "season": season,
        "totals": totals,
        "weeks": weeks,
        "chart": {"labels": [w.strftime("%b %-d") for w, _ in weeks], "pounds": [float(p) for _, p in weeks]},
        "top_crops": selectors.pounds_by_crop(user=user, season=season, through=today, limit=5),
        "comparison": selectors.season_comparison(user=user, season=season, today=today),
        "statewide": user.is_administrator or user.role == Role.AUDITOR,
        "can_add": can(user, Harvest, ADD),
    }


def render_season_panel(request):
    context = season_panel_context(request.user)
    if context is None:
        return None
    return render_to_string("gardens/panels/season.html", context, request=request)


def _this_season() -> selectors.SeasonTotals | None:
    season = selectors.current_season()
    return selectors.season_totals(user=None, season=season) if season else None


def produce_this_season():
    totals = _this_season()
    return totals.pounds if totals and totals.entries else None


def produce_tons_this_season():
    totals = _this_season()
    return totals.tons if totals and totals.entries else None


def garden_volunteer_hours_this_season():
    totals = _this_season()
    return totals.volunteer_hours if totals and totals.entries else None


registry.panel(PanelEntry("gardens-season", PANEL_ROLES, render_season_panel, order=20))
for figure in (
    FigureEntry(
        "produce-lb-season",
        "Pounds of produce grown this season",
        produce_this_season,
        order=10,
        app="gardens",
        unit="lb",
        describe="Offender volunteers weigh every crop they harvest, garden by garden.",
        compute_year=lambda year: selectors.year_totals(user=None, year=year).pounds,
    ),
    FigureEntry(
        "produce-tons-season",
        "Tons of produce grown this season",
        produce_tons_this_season,
        order=11,
        app="gardens",
        unit="tons",
        describe="The gardens grow about 100 tons of fresh produce a season for food banks and pantries.",
        compute_year=lambda year: selectors.year_totals(user=None, year=year).tons,
    ),
    FigureEntry(
        "garden-volunteer-hours-season",
        "Hours offenders worked in the gardens this season",
        garden_volunteer_hours_this_season,
        order=12,
        app="gardens",
        unit="hours",
        describe="Offender volunteers plant, tend and harvest the gardens.",
        compute_year=lambda year: selectors.year_totals(user=None, year=year).volunteer_hours,
    ),
):
    registry.figure(figure)

for entry in (
    MenuEntry(
        "harvest-day",
        "Programs",
        "Record a day's harvest",
        "gardens:harvest_quick",
        visible=lambda u: can(u, Harvest, ADD),
        order=11,
    ),
):
    registry.menu_item(entry)


# Declarations: the plots, and the catalogs every role may read (in the menu of those who work with harvests).
def _works_with_harvests(user):
    return can(user, Harvest, VIEW)


@register
class HarvestResource(Resource):
    """A voidable entry (core.entries): recorded on the day page, corrected, voided with a reason."""

    model = Harvest
    fields = ("garden", "crop", "date", "weight_lb", "volunteers", "volunteer_hours", "note")
    pages = ("list", "detail", "edit", "history")
    void_service = services.harvest_void
    void_arg = "harvest"
    list_view = views.HarvestListView
    detail_view = views.HarvestDetailView
    edit_view = views.HarvestEditView
    void_view = views.HarvestVoidView
    form_class = forms.HarvestCorrectForm
    table_class = tables.HarvestTable
    filterset_class = filters.HarvestFilterSet
    serializer_class = api.HarvestSerializer
    viewset_class = api.HarvestViewSet
    menu = Menu("Programs", "Harvests", order=10)


@register
class GardenResource(Resource):
    model = Garden
    fields = ("facility", "name", "size_acres", "active", "note")
    table_fields = ("name", "facility__code", "size_acres", "active")
    search_fields = ("name", "facility__code", "facility__name")
    filter_fields = ("facility", "active")
    url_prefix = "plots"
    api_prefix = "gardens"
    form_class = forms.GardenForm
    detail_view = views.GardenDetailView
    title = "Garden plots"
    menu = Menu("Programs", "Garden plots", order=60)


@register
class CropResource(Resource):
    model = Crop
    fields = ("name", "category", "value_per_lb", "active")
    search_fields = ("name",)
    filter_fields = ("category", "active")
    menu = Menu("Programs", order=61, visible=_works_with_harvests)


@register
class SeasonResource(Resource):
    model = Season
    fields = ("year", "start_date", "end_date", "goal_tons")
    filter_fields = ("year",)
    detail_view = views.SeasonDetailView
    menu = Menu("Programs", order=62, visible=_works_with_harvests)


# The person's timeline: one line per standing harvest they were named on -------------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    return [
        TimelineItem(
            date=item.date,
            program="gardens",
            kind="Harvest",
            text=f"Harvest: {item.hours} hours at {item.where}",
            url=item.url,
            source=item.source,
            sort_key=item.sort_key,
        )
        for item in selectors.participation_items(offender, user)
    ]


registry.timeline_provider(
    TimelineProvider(slug="gardens", program="gardens", label="Gardens", events=_timeline, order=30)
)


# Reports ------------------------------------------------------------------------------------------------
def participation_table(rows, *, by: str) -> dict:
    """Hours and people by facility and period, with a total per facility (people are counted once per period,
    so a facility's people are not summed across periods)."""
    label = (lambda d: f"{d:%Y}") if by == "year" else (lambda d: f"{d:%b %Y}")
    return {
        "title": f"Hours and people by facility and {by}",
        "columns": ["Facility", "Year" if by == "year" else "Month", "People", "Hours"],
        "rows": [[r["facility"], label(r["period"]), r["people"], r["hours"]] for r in rows]
        + [["All facilities", "", "", sum((r["hours"] for r in rows), 0)]],
    }


def participation_report(user, params) -> dict:
    by = params.get("by") or "month"
    rows = selectors.participation_by_facility(user=user, start=params.get("start"), end=params.get("end"), by=by)
    return {
        "intro": "Hours of the people named on standing harvests (void harvests count nowhere). "
        "A harvest that names nobody is not in this report; its volunteer hours are in the season figures.",
        "tables": [participation_table(rows, by=by)],
    }


registry.report(
    ReportEntry(
        slug="gardens-participation",
        title="Participation hours by facility (gardens)",
        app="gardens",
        description="Hours worked by the people named on harvests, and how many people, by facility and month or year.",
        build=participation_report,
        roles=frozenset({Role.ADMINISTRATOR, Role.FACILITY_STAFF, Role.AUDITOR}),
        form_class=forms.ParticipationReportForm,
    )
)


def _seed():
    from .demo import seed

    seed()


registry.demo_seeder(_seed, order=20)


# The person's restorative record (core.restorative): the hours they gave here.
def _restorative(offender, user, as_of):
    from core.restorative import participation_block

    return participation_block(label="Gardens", items=selectors.participation_items(offender, user))


registry.restorative_provider(
    RestorativeProvider(slug="gardens", program="participation", label="Participation", summary=_restorative, order=50)
)
