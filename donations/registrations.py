"""Donations' entries in core's registry: the season harvest report, the donations report, the
dashboard panel, public figures, menu items and demo data.

Each report's context is built here from selectors only (gardens' for what was grown, ours for
where it went), and the dashboard panels read the same selectors, so a panel and a report agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from core.choices import Role
from core.models import Facility
from core.money import quantize
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
from core.units import one_decimal, to_tons
from gardens import selectors as garden_selectors

from . import api, filters, forms, selectors, services, tables, views
from .forms import SeasonReportForm
from .models import Donation, Fundraiser, FundraiserPurchase, Item, ProductionLog, Spoilage

REPORT_ROLES = frozenset({Role.FACILITY_STAFF, Role.ADMINISTRATOR, Role.AUDITOR})
SEASON_HARVEST_TITLE = "Season harvest report"
DONATIONS_TITLE = "Donations report"


def _params_season(params) -> object | None:
    """A season from the report form's cleaned data (a Season) or a query string (a year)."""
    value = params.get("season")
    if value is not None and not isinstance(value, str | int):
        return value
    season = garden_selectors.season_for_year(value) if value else None
    return season or garden_selectors.current_season()


def _params_facility(user, params):
    """A facility within the user's scope, from cleaned data (a Facility) or a query string (an id)."""
    value = params.get("facility")
    if isinstance(value, Facility):
        value = value.pk
    value = str(value or "")
    if not value.isdigit():
        return None
    return Facility.objects.restrict(user, VIEW).filter(pk=value).first()


def _tabulate(context) -> list[dict]:
    """The CSV rows as the reports app's tables: one table per section."""
    rows = context.get("csv_rows") or []
    if len(rows) < 2:
        return [{"title": "Report", "columns": rows[0] if rows else [], "rows": []}]
    columns, body = rows[0], rows[1:]
    tables = {}
    for row in body:
        tables.setdefault(row[0], []).append(row[1:])
    return [{"title": section.capitalize(), "columns": columns[1:], "rows": data} for section, data in tables.items()]


def _scope_label(user, facility) -> str:
    if facility is not None:
        return str(facility)
    if user.role == Role.FACILITY_STAFF:
        return ", ".join(f.code for f in Facility.objects.restrict(user, VIEW)) or "No facility"
    return "Statewide"


def _season_context(user, params, title: str):
    """What both season reports start from: the season and facility asked for, the scope line, the
    title with the season, the seasons to choose from."""
    season = _params_season(params)
    facility = _params_facility(user, params)
    return (
        season,
        facility,
        {
            "title": f"{title}: {season}" if season else title,
            "season": season,
            "facility": facility,
            "scope": _scope_label(user, facility),
            "seasons": list(garden_selectors.seasons()),
        },
    )


def build_season_harvest(user, params) -> dict:
    """The season harvest report: totals, then by facility, by crop and by recipient of the produce."""
    season, facility, context = _season_context(user, params, SEASON_HARVEST_TITLE)
    if season is None:
        context["csv_rows"] = [["No season is set up."]]
        return context
    through = garden_selectors.season_end(season)
    totals = garden_selectors.season_totals(user=user, season=season, facility=facility)
    by_facility = garden_selectors.pounds_by_facility(user=user, season=season, facility=facility)
    by_crop = garden_selectors.pounds_by_crop(user=user, season=season, facility=facility)
    by_recipient = selectors.produce_by_recipient(
        user=user, start=season.start_date, end=season.end_date, facility=facility
    )
    donated = one_decimal(sum((r.pounds for r in by_recipient), Decimal(0)))
    spoiled = selectors.spoiled_pounds(user=user, start=season.start_date, end=season.end_date, facility=facility)
    context.update(
        through=through,
        totals=totals,
        by_facility=by_facility,
        by_crop=by_crop,
        by_recipient=by_recipient,
        donated_lb=donated,
        donated_tons=to_tons(donated),
        spoiled_lb=spoiled,
        recipients_value=quantize(sum((r.value for r in by_recipient), Decimal(0))),
    )
    rows = [["section", "code", "name", "pounds", "tons", "entries", "volunteer_hours"]]
    for r in by_facility:
        rows.append(["facility", r.detail, r.label, r.pounds, r.tons, r.entries, r.volunteer_hours])
    rows.append(["facility", "", "Total", totals.pounds, totals.tons, totals.entries, totals.volunteer_hours])
    for r in by_crop:
        rows.append(["crop", r.detail, r.label, r.pounds, r.tons, r.entries, r.volunteer_hours])
    rows.append(["crop", "", "Total", totals.pounds, totals.tons, totals.entries, totals.volunteer_hours])
    for r in by_recipient:
        rows.append(["recipient", r.county, r.name, r.pounds, r.tons, r.donations, ""])
    rows.append(["recipient", "", "Total given", donated, to_tons(donated), "", ""])
    context["csv_rows"] = rows
    return context


def build_donations(user, params) -> dict:
    """The donations report: the season's totals, then by recipient, by county and items by kind."""
    season, facility, context = _season_context(user, params, DONATIONS_TITLE)
    if season is None:
        context["csv_rows"] = [["No season is set up."]]
        return context
    start, end = season.start_date, season.end_date
    totals = selectors.donation_totals(user=user, start=start, end=end, facility=facility)
    context.update(
        through=garden_selectors.season_end(season),
        totals=totals,
        by_recipient=selectors.by_recipient(user=user, start=start, end=end, facility=facility),
        by_county=selectors.by_county(user=user, start=start, end=end, facility=facility),
        items_by_category=selectors.items_by_category(user=user, start=start, end=end, facility=facility),
    )
    rows = [["section", "county", "name", "donations", "pounds", "tons", "items", "estimated_value"]]
    for r in context["by_recipient"]:
        rows.append(["recipient", r.county, r.name, r.donations, r.pounds, r.tons, r.items, r.value])
    for r in context["by_county"]:
        rows.append(
            ["county", r["county"], r["county"], r["donations"], r["pounds"], r["tons"], r["items"], r["value"]]
        )
    rows.append(["total", "", "Total", totals.donations, totals.pounds, totals.tons, totals.items, totals.value])
    context["csv_rows"] = rows
    return context


registry.report(
    ReportEntry(
        slug="season-harvest",
        title=SEASON_HARVEST_TITLE,
        app="donations",
        description="Produce grown in a season by facility and crop, and where it went, with the season's totals.",
        build=build_season_harvest,
        template="donations/reports/_season_harvest_body.html",
        roles=REPORT_ROLES,
        form_class=SeasonReportForm,
        tabulate=_tabulate,
    )
)
registry.report(
    ReportEntry(
        slug="donations",
        title=DONATIONS_TITLE,
        app="donations",
        description="What was given in a season, by recipient and by county, with the season's totals.",
        build=build_donations,
        template="donations/reports/_donations_body.html",
        roles=REPORT_ROLES,
        form_class=SeasonReportForm,
        tabulate=_tabulate,
    )
)


# Dashboard panel ------------------------------------------------------------------------------
def donations_panel_context(user, today: dt.date | None = None) -> dict | None:
    today = today or timezone.localdate()
    season = garden_selectors.current_season(today)
    if season is None:
        return None
    through = garden_selectors.season_end(season, today)
    on_hand = selectors.on_hand_totals(user=user, on=today)
    return {
        "season": season,
        "totals": selectors.donation_totals(user=user, start=season.start_date, end=through),
        "top_recipients": selectors.by_recipient(user=user, start=season.start_date, end=through, limit=5),
        "items_by_category": selectors.items_by_category(user=user, start=season.start_date, end=through),
        "produce_on_hand": on_hand.pounds,
        "items_on_hand": on_hand.items,
        "statewide": user.is_administrator or user.role == Role.AUDITOR,
        "can_add": can(user, Donation, ADD),
    }


def render_donations_panel(request):
    context = donations_panel_context(request.user)
    if context is None:
        return None
    return render_to_string("donations/panels/season.html", context, request=request)


registry.panel(PanelEntry("donations-season", REPORT_ROLES, render_donations_panel, order=21))


# Public figures (statewide) ------------------------------------------------------------------
def _season_totals() -> selectors.DonationTotals | None:
    season = garden_selectors.current_season()
    if season is None:
        return None
    totals = selectors.donation_totals(user=None, start=season.start_date, end=season.end_date)
    return totals if totals.donations else None


def _season_value(name: str):
    totals = _season_totals()
    return getattr(totals, name) if totals else None


def _year_totals(year: int) -> selectors.DonationTotals:
    return selectors.donation_totals(user=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def _items_by_kind(start, end) -> dict | None:
    rows = selectors.items_by_category(user=None, start=start, end=end)
    return {r["category"]: r["items"] for r in rows} or None


def _season_items_by_kind():
    season = garden_selectors.current_season()
    return _items_by_kind(season.start_date, season.end_date) if season else None


def _raised_this_year():
    return selectors.fundraiser_totals(user=None, year=timezone.localdate().year)["raised"] or None


for figure in (
    FigureEntry(
        "produce-donated-lb-season",
        "Pounds of produce donated this season",
        lambda: _season_value("pounds"),
        order=12,
        app="donations",
        section="gardens",
        unit="lb",
        describe="The produce goes to food banks, pantries, shelters and senior centers near each facility.",
        compute_year=lambda year: _year_totals(year).pounds,
    ),
    FigureEntry(
        "items-donated-season",
        "Items made and donated this season",
        lambda: _season_value("items"),
        order=13,
        app="donations",
        unit="items",
        describe="Quilts, hats for premature newborns, bicycles, wheelchairs, toys and more, given free of charge.",
        compute_year=lambda year: _year_totals(year).items,
    ),
    FigureEntry(
        "items-donated-by-kind-season",
        "Items donated this season, by kind",
        _season_items_by_kind,
        order=14,
        app="donations",
        compute_year=lambda year: _items_by_kind(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    ),
    FigureEntry(
        "organizations-served-season",
        "Organizations that received donations this season",
        lambda: _season_value("recipients"),
        order=15,
        app="donations",
        unit="organizations",
        compute_year=lambda year: _year_totals(year).recipients,
    ),
    FigureEntry(
        "fundraisers-raised-year",
        "Dollars raised by fundraisers this year",
        _raised_this_year,
        order=16,
        app="donations",
        section="fundraisers",
        unit="dollars",
        describe="Offenders run fundraisers that buy school supplies and send aid after disasters.",
        compute_year=lambda year: selectors.fundraiser_totals(user=None, year=year)["raised"],
    ),
):
    registry.figure(figure)


# Menu -----------------------------------------------------------------------------------------
def _may_view_donations(user):
    return can(user, Donation, VIEW)


for entry in (
    MenuEntry(
        "donation-add",
        "Programs",
        "Record a donation",
        "donations:donation_add",
        visible=lambda u: can(u, Donation, ADD),
        order=31,
    ),
    MenuEntry("stock", "Programs", "Stock on hand", "donations:stock", visible=_may_view_donations, order=32),
    # A menu entry names a URL without arguments, so these two go through the old report addresses,
    # which send the user on to the report catalog's page of the report (reports:run).
    MenuEntry(
        "report-season-harvest",
        "Programs",
        "Season harvest report",
        "donations:report_season_harvest",
        visible=_may_view_donations,
        order=50,
    ),
    MenuEntry(
        "report-donations",
        "Programs",
        "Donations report",
        "donations:report_donations",
        visible=_may_view_donations,
        order=51,
    ),
):
    registry.menu_item(entry)


# The person's timeline: one line per standing production entry they were named on ------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    return [
        TimelineItem(
            date=item.date,
            program="donations",
            kind="Craft production",
            text=f"Craft production: {item.hours} hours at {item.where}",
            url=item.url,
            source=item.source,
            sort_key=item.sort_key,
        )
        for item in selectors.participation_items(offender, user)
    ]


registry.timeline_provider(
    TimelineProvider(slug="donations", program="donations", label="Craft production", events=_timeline, order=35)
)


def participation_report(user, params) -> dict:
    by = params.get("by") or "month"
    rows = selectors.participation_by_facility(user=user, start=params.get("start"), end=params.get("end"), by=by)
    label = (lambda d: f"{d:%Y}") if by == "year" else (lambda d: f"{d:%b %Y}")
    return {
        "intro": "Hours of the people named on standing craft production entries (void entries count nowhere). "
        "An entry that names nobody is not in this report.",
        "tables": [
            {
                "title": f"Hours and people by facility and {by}",
                "columns": ["Facility", "Year" if by == "year" else "Month", "People", "Hours"],
                "rows": [[r["facility"], label(r["period"]), r["people"], r["hours"]] for r in rows]
                + [["All facilities", "", "", sum((r["hours"] for r in rows), 0)]],
            }
        ],
    }


registry.report(
    ReportEntry(
        slug="donations-participation",
        title="Participation hours by facility (craft production)",
        app="donations",
        description="Hours worked by the people named on craft production entries, and how many people, "
        "by facility and month or year.",
        build=participation_report,
        roles=REPORT_ROLES,
        form_class=forms.ParticipationReportForm,
    )
)


def _seed():
    from .demo import seed

    seed()


registry.demo_seeder(_seed, order=30)


# Declarations ---------------------------------------------------------------------------------
# The three entries (donations, production, spoilage) are voidable (core.entries): their void page
# and API action go through the app's services, like every save.
@register
class DonationResource(Resource):
    """A gift with its lines, entered on its own page (donations:donation_add)."""

    model = Donation
    fields = tuple(services.EDITABLE)
    url_prefix = ""
    api_prefix = "donations"
    pages = ("list", "detail", "edit", "history")
    void_service = services.donation_void
    void_arg = "donation"
    prefetch_related = ("lines",)
    list_view = views.DonationListView
    detail_view = views.DonationDetailView
    edit_view = views.DonationEditView
    void_view = views.VoidView
    form_class = forms.DonationEditForm
    table_class = tables.DonationTable
    filterset_class = filters.DonationFilterSet
    serializer_class = api.DonationSerializer
    viewset_class = api.DonationViewSet
    menu = Menu("Programs", "Donations", order=30)


@register
class ProductionResource(Resource):
    model = ProductionLog
    fields = ("facility", "shop", "item", "quantity", "date", "volunteer_hours", "note")
    url_prefix = "production"
    void_service = services.production_void
    intro = "What the sewing, knitting, bicycle and wood shops made. Void entries are hidden unless you ask."
    detail_view = views.ProductionDetailView
    edit_view = views.ProductionEditView
    void_view = views.VoidView
    form_class = forms.ProductionForm
    table_class = tables.ProductionTable
    filterset_class = filters.ProductionFilterSet
    serializer_class = api.ProductionSerializer
    viewset_class = api.ProductionViewSet
    menu = Menu("Programs", "Craft production", order=20)


@register
class SpoilageResource(Resource):
    model = Spoilage
    fields = ("facility", "crop", "date", "weight_lb", "reason")
    url_prefix = "spoilage"
    void_service = services.spoilage_void
    intro = "Produce that went bad before it could be given. It leaves the stock on hand."
    detail_view = views.SpoilageDetailView
    edit_view = views.SpoilageEditView
    void_view = views.VoidView
    form_class = forms.SpoilageForm
    table_class = tables.SpoilageTable
    filterset_class = filters.SpoilageFilterSet
    serializer_class = api.SpoilageSerializer
    viewset_class = api.SpoilageViewSet


@register
class FundraiserResource(Resource):
    model = Fundraiser
    fields = ("facility", "name", "purpose", "start_date", "end_date", "goal", "raised", "note")
    prefetch_related = ("purchases",)
    list_view = views.FundraiserListView
    detail_view = views.FundraiserDetailView
    form_class = forms.FundraiserForm
    table_class = tables.FundraiserTable
    filterset_class = filters.FundraiserFilterSet
    serializer_class = api.FundraiserSerializer
    viewset_class = api.FundraiserViewSet
    menu = Menu("Programs", order=40)


@register
class FundraiserPurchaseResource(Resource):
    """Added and edited from the fundraiser's page; it has no list or page of its own."""

    model = FundraiserPurchase
    fields = ("fundraiser", "date", "description", "quantity", "amount", "recipient", "given_to")
    url_prefix = "fundraisers/purchases"
    api_prefix = "fundraiser-purchases"
    pages = ("add", "edit")
    edit_view = views.FundraiserPurchaseEditView
    form_class = forms.FundraiserPurchaseForm
    serializer_class = api.FundraiserPurchaseSerializer
    viewset_class = api.FundraiserPurchaseViewSet


@register
class ItemResource(Resource):
    """The craft items catalog: administrators keep it; whoever records or reads donations sees it."""

    model = Item
    fields = ("name", "category", "estimated_value", "active")
    search_fields = ("name",)
    filter_fields = ("category", "active")
    table_class = tables.ItemTable
    title = "Craft items"
    menu = Menu("Programs", "Craft items", order=63, visible=lambda u: can(u, Item, ADD) or _may_view_donations(u))


# The person's restorative record (core.restorative): the hours they gave here.
def _restorative(offender, user, as_of):
    from core.restorative import participation_block

    return participation_block(label="Craft production", items=selectors.participation_items(offender, user))


registry.restorative_provider(
    RestorativeProvider(
        slug="donations", program="participation", label="Participation", summary=_restorative, order=60
    )
)
