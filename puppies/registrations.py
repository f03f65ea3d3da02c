"""Puppies for Parole's entries in core's registry: model declarations (pages, menu, API), the offender-event
handler (continuity), the facility dashboard panel, the handlers' timeline, reports, the public figure
"dogs adopted" and the demo data."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.api.base import ReadOnlyScopedViewSet
from core.choices import OffenderEventKind, Role
from core.dates import format_date
from core.querysets import ADD, VIEW, can
from core.registry import (
    EventHandlerEntry,
    FigureEntry,
    MenuEntry,
    PanelEntry,
    ReportEntry,
    RestorativeProvider,
    TimelineProvider,
    registry,
)
from core.resources import Menu, Resource, register

from . import api, forms, selectors, services, views
from .choices import CGC_ITEMS
from .models import (
    Adoption,
    AdoptionApplication,
    CgcAttempt,
    ConductViolation,
    Dog,
    EligibilityRule,
    Graduation,
    HandlerAssignment,
    HandlerTask,
    Movement,
    ProgramRemoval,
    Shelter,
    TrainingLog,
    TrainingMilestone,
    Vaccination,
)

PROGRAM = frozenset({Role.ADMINISTRATOR, Role.FACILITY_STAFF, Role.AUDITOR})


def _program(user):
    return user.is_superuser or user.role in PROGRAM


# Declarations ------------------------------------------------------------------------------------------------
@register
class ShelterResource(Resource):
    """Partner shelters: core Organizations of kind animal shelter, and the facilities they work with."""

    model = Shelter
    fields = ("organization", "facilities", "contact_note", "active")
    table_fields = ("organization", "contact_note", "active")
    search_fields = ("organization__name", "organization__town")
    filter_fields = ("active",)
    url_prefix = "shelters"
    api_prefix = "puppies/shelters"
    title = "Partner shelters"
    menu = Menu("Programs", "Partner shelters", order=85)


@register
class DogResource(Resource):
    """A dog: intake and details here; status and location through the move page (a dated movement)."""

    model = Dog
    fields = (
        "shelter",
        "shelter_ref",
        "name",
        "breed",
        "sex",
        "birth_estimate",
        "colour",
        "intake_on",
        "spayed_neutered",
        "spay_neuter_on",
        "behaviour_notes",
        "good_with_dogs",
        "good_with_cats",
        "good_with_children",
        "training_level",
        "bio",
        "released_for_adoption",
    )
    api_fields = (*fields, "status", "facility", "housing_unit")
    table_fields = ("name", "shelter_ref", "breed", "status", "facility__code", "housing_unit", "training_level")
    search_fields = ("name", "shelter_ref", "breed")
    filter_fields = ("status", "shelter", "facility", "training_level")
    url_prefix = "dogs"
    api_prefix = "puppies/dogs"
    form_class = forms.DogForm
    serializer_class = api.DogSerializer
    detail_view = views.DogDetailView
    edit_view = views.DogEditView
    title = "Dogs"
    intro = "Puppies for Parole: shelter dogs trained by handlers at the facilities, for adoption."
    menu = Menu("Programs", "Dogs (Puppies for Parole)", order=80)


@register
class VaccinationResource(Resource):
    model = Vaccination
    fields = ("dog", "kind", "given_on", "expires_on", "note")
    search_fields = ("dog__name", "dog__shelter_ref")
    filter_fields = ("kind",)
    url_prefix = "vaccinations"
    api_prefix = "puppies/vaccinations"
    menu = None


@register
class MovementResource(Resource):
    """Written by the move, CGC, graduation, reservation and adoption services only."""

    model = Movement
    fields = ("dog", "status", "facility", "housing_unit", "started_on", "ended_on", "note")
    search_fields = ("dog__name", "dog__shelter_ref")
    filter_fields = ("status", "facility")
    pages = ("list", "detail", "history")
    url_prefix = "movements"
    api_prefix = "puppies/movements"
    viewset_class = ReadOnlyScopedViewSet
    detail_view = views.DetailView
    menu = None


@register
class HandlerAssignmentResource(Resource):
    """Added through ``handler_assign`` (eligibility, one open of each role per dog); ended on its own page."""

    model = HandlerAssignment
    fields = ("dog", "offender", "role", "started_on")
    detail_fields = ("dog", "offender", "facility", "role", "started_on", "ended_on", "end_reason")
    api_fields = detail_fields
    table_fields = ("dog", "offender", "role", "facility__code", "started_on", "ended_on", "end_reason")
    search_fields = ("dog__name", "offender__last_name", "offender__doc_id")
    filter_fields = ("role", "facility", "end_reason")
    pages = ("list", "add", "detail", "history")
    url_prefix = "handlers"
    api_prefix = "puppies/handlers"
    form_class = forms.HandlerAssignForm
    edit_view = views.HandlerAssignView
    viewset_class = ReadOnlyScopedViewSet
    title = "Dog handlers"
    detail_view = views.DetailView
    menu = Menu("Programs", "Dog handlers", order=81)


@register
class EligibilityRuleResource(Resource):
    """The handler eligibility rule, kept by administrators; each applies from its date."""

    model = EligibilityRule
    fields = ("effective_on", "excluded_offenses", "conduct_days", "note")
    table_fields = ("effective_on", "conduct_days", "note")
    url_prefix = "eligibility"
    api_prefix = "puppies/eligibility-rules"
    title = "Dog handler eligibility"
    intro = (
        "Offenses that exclude a person from handling dogs, and the days that must pass after a conduct "
        f"violation. Until one is set: {', '.join(services.DEFAULT_EXCLUDED)}; {services.DEFAULT_CONDUCT_DAYS} days."
    )
    menu = Menu("Administration", "Dog handler eligibility", order=85, visible=lambda u: u.is_administrator)


@register
class ConductViolationResource(Resource):
    model = ConductViolation
    fields = ("offender", "facility", "date", "description", "source")
    api_fields = (*fields, "voided_at", "void_reason")
    search_fields = ("offender__last_name", "offender__doc_id", "description")
    filter_fields = ("facility", "source")
    void_service = services.violation_void
    url_prefix = "conduct"
    api_prefix = "puppies/conduct-violations"
    edit_view = views.ViolationEditView
    void_view = views.ViolationVoidView
    viewset_class = ReadOnlyScopedViewSet
    title = "Conduct violations (dog handlers)"
    menu = Menu("Programs", "Conduct violations", order=84, visible=_program)


@register
class ProgramRemovalResource(Resource):
    """Removing a person ends every dog they handle and opens the dogs' tasks (``program_remove``)."""

    model = ProgramRemoval
    fields = ("offender", "facility", "removed_on", "reason")
    detail_fields = (*fields, "lifted_on")
    api_fields = detail_fields
    search_fields = ("offender__last_name", "offender__doc_id")
    filter_fields = ("facility",)
    pages = ("list", "add", "detail", "history")
    url_prefix = "removals"
    api_prefix = "puppies/removals"
    form_class = forms.ProgramRemovalForm
    edit_view = views.ProgramRemovalAddView
    viewset_class = ReadOnlyScopedViewSet
    detail_view = views.DetailView
    menu = None


@register
class TrainingLogResource(Resource):
    model = TrainingLog
    fields = ("dog", "handler", "date", "skills", "minutes", "notes")
    api_fields = (*fields, "facility", "voided_at", "void_reason")
    table_fields = ("date", "dog", "handler", "skills", "minutes")
    search_fields = ("dog__name", "handler__last_name", "skills")
    filter_fields = ("facility",)
    pages = ("list", "add", "detail", "history")
    void_service = services.training_log_void
    url_prefix = "training"
    api_prefix = "puppies/training"
    form_class = forms.TrainingLogForm
    edit_view = views.TrainingLogAddView
    void_view = views.TrainingLogVoidView
    viewset_class = ReadOnlyScopedViewSet
    title = "Dog training log"
    detail_view = views.DetailView
    menu = Menu("Programs", "Dog training log", order=82)


@register
class TrainingMilestoneResource(Resource):
    """Milestones belong to the dog; a level milestone sets its training level (``milestone_record``)."""

    model = TrainingMilestone
    fields = ("dog", "date", "milestone", "note")
    api_fields = (*fields, "facility")
    table_fields = ("date", "dog", "milestone", "note")
    search_fields = ("dog__name",)
    filter_fields = ("milestone", "facility")
    pages = ("list", "add", "detail", "history")
    url_prefix = "milestones"
    api_prefix = "puppies/milestones"
    form_class = forms.MilestoneForm
    edit_view = views.MilestoneAddView
    detail_view = views.DetailView
    viewset_class = ReadOnlyScopedViewSet
    title = "Training milestones"
    menu = None


@register
class CgcAttemptResource(Resource):
    model = CgcAttempt
    fields = (
        "dog",
        "date",
        "evaluator_name",
        "evaluator_akc_number",
        *[name for name, _ in CGC_ITEMS],
        "dismissed",
        "dismissal_reason",
    )
    detail_fields = (*fields, "passed", "facility")
    api_fields = detail_fields
    table_fields = ("date", "dog", "evaluator_name", "passed", "dismissed")
    search_fields = ("dog__name", "evaluator_name")
    filter_fields = ("passed", "facility")
    pages = ("list", "add", "detail", "history")
    url_prefix = "cgc"
    api_prefix = "puppies/cgc-attempts"
    form_class = forms.CgcAttemptForm
    edit_view = views.CgcAttemptAddView
    viewset_class = ReadOnlyScopedViewSet
    title = "Canine Good Citizen tests"
    detail_view = views.DetailView
    menu = Menu("Programs", "CGC tests", order=83)


@register
class GraduationResource(Resource):
    model = Graduation
    fields = ("facility", "date", "name", "dogs")
    table_fields = ("date", "name", "facility")
    filter_fields = ("facility",)
    search_fields = ("name",)
    pages = ("list", "add", "detail", "history")
    url_prefix = "graduations"
    api_prefix = "puppies/graduations"
    form_class = forms.GraduationForm
    edit_view = views.GraduationAddView
    viewset_class = ReadOnlyScopedViewSet
    title = "Dog graduations"
    detail_view = views.DetailView
    menu = Menu("Programs", "Dog graduations", order=86, visible=_program)


@register
class HandlerTaskResource(Resource):
    model = HandlerTask
    fields = ("dog", "facility", "kind", "reason", "opened_on", "resolved_at", "resolution")
    table_fields = ("opened_on", "kind", "dog", "facility__code", "reason", "resolved_at")
    filter_fields = ("kind", "facility")
    search_fields = ("dog__name",)
    pages = ("list", "detail", "history")
    url_prefix = "tasks"
    api_prefix = "puppies/tasks"
    viewset_class = ReadOnlyScopedViewSet
    title = "Dog handler tasks"
    detail_view = views.DetailView
    menu = Menu("Programs", "Dog handler tasks", order=87, visible=_program)


@register
class AdoptionApplicationResource(Resource):
    """Applications come from the public form; staff move them through their statuses on the decide page."""

    model = AdoptionApplication
    fields = (
        "dog",
        "status",
        "name",
        "email",
        "phone",
        "address",
        "town",
        "zip_code",
        "adults",
        "children",
        "children_ages",
        "other_pets",
        "home_type",
        "tenure",
        "landlord_name",
        "landlord_phone",
        "about",
        "staff_note",
    )
    api_fields = ("dog", "status", "submitted_at", "reserved", "name", "email", "phone", "town", "zip_code")
    table_fields = ("submitted_at", "dog", "name", "status", "reserved")
    search_fields = ("name", "email", "dog__name")
    filter_fields = ("status", "reserved")
    pages = ("list", "detail", "history")
    url_prefix = "applications"
    api_prefix = "puppies/applications"
    detail_view = views.ApplicationDetailView
    viewset_class = ReadOnlyScopedViewSet
    title = "Adoption applications"
    menu = Menu(
        "Programs",
        "Adoption applications",
        order=88,
        visible=lambda u: u.is_administrator or u.role in (Role.FACILITY_STAFF, Role.VICTIM_SERVICES),
    )


@register
class AdoptionResource(Resource):
    model = Adoption
    fields = (
        "dog",
        "shelter",
        "adopted_on",
        "fee",
        "adopter_name",
        "adopter_email",
        "adopter_phone",
        "adopter_address",
        "followup_30_on",
        "followup_30_note",
        "followup_90_on",
        "followup_90_note",
        "returned_on",
        "return_reason",
    )
    api_fields = ("dog", "shelter", "adopted_on", "fee", "followup_30_on", "followup_90_on", "returned_on")
    table_fields = ("adopted_on", "dog", "shelter", "fee", "followup_30_on", "followup_90_on", "returned_on")
    search_fields = ("dog__name", "adopter_name")
    filter_fields = ("shelter",)
    pages = ("list", "detail", "history")
    url_prefix = "adoptions"
    api_prefix = "puppies/adoptions"
    detail_view = views.AdoptionDetailView
    viewset_class = ReadOnlyScopedViewSet
    title = "Adoptions"
    menu = Menu(
        "Programs", "Dog adoptions", order=89, visible=lambda u: u.is_administrator or u.role == Role.FACILITY_STAFF
    )


registry.menu_item(
    MenuEntry(
        "puppies-apprenticeship",
        "Programs",
        "Dog handlers' apprenticeship hours",
        "puppies:apprenticeship",
        visible=lambda u: can(u, TrainingLog, VIEW),
        order=90,
    )
)


# Continuity: the offender-event hook -------------------------------------------------------------------------------
registry.event_handler(
    EventHandlerEntry(
        slug="puppies",
        handle=services.on_offender_event,
        kinds=frozenset({OffenderEventKind.FACILITY, OffenderEventKind.STATUS}),
    )
)


# The facility dashboard ---------------------------------------------------------------------------------------------
def render_tasks_panel(request):
    user = request.user
    if not can(user, HandlerTask, VIEW):
        return None
    tasks = list(selectors.open_tasks(user)[:20])
    dogs = selectors.dogs_for(user).filter(status__in=["in_training", "extended_training", "graduated", "reserved"])
    if not tasks and not dogs.exists():
        return None
    return render_to_string(
        "puppies/panels/tasks.html",
        {"tasks": tasks, "dogs": dogs.count(), "can_add": can(user, Dog, ADD)},
        request=request,
    )


registry.panel(
    PanelEntry("puppies-tasks", frozenset({Role.FACILITY_STAFF, Role.ADMINISTRATOR}), render_tasks_panel, order=25)
)


# The handler's timeline ---------------------------------------------------------------------------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    items = []
    for a in HandlerAssignment.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        items.append(
            TimelineItem(
                date=a.started_on,
                program="puppies",
                kind="Dog handler",
                text=f"{a.get_role_display()} of {a.dog.name} at {a.facility.code}",
                url=a.get_absolute_url(),
                source=f"puppies.HandlerAssignment:{a.pk}",
                sort_key=(a.started_on.isoformat(), a.pk),
            )
        )
        if a.ended_on:
            items.append(
                TimelineItem(
                    date=a.ended_on,
                    program="puppies",
                    kind="Dog handler ended",
                    text=f"{a.dog.name}: {a.get_end_reason_display().lower()}",
                    url=a.get_absolute_url(),
                    source=f"puppies.HandlerAssignment:{a.pk}:ended",
                    sort_key=(a.ended_on.isoformat(), a.pk),
                )
            )
    for r in ProgramRemoval.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        items.append(
            TimelineItem(
                date=r.removed_on,
                program="puppies",
                kind="Removed from Puppies for Parole",
                text=r.reason,
                url=r.get_absolute_url(),
                source=f"puppies.ProgramRemoval:{r.pk}",
                sort_key=(r.removed_on.isoformat(), r.pk),
            )
        )
    minutes = {}
    for log in TrainingLog.objects.restrict(user, VIEW).active().filter(handler=offender).order_by():
        minutes[log.date.year] = minutes.get(log.date.year, 0) + log.minutes
    for year, total in minutes.items():
        last = (
            TrainingLog.objects.restrict(user, VIEW).active().filter(handler=offender, date__year=year).latest("date")
        )
        items.append(
            TimelineItem(
                date=last.date,
                program="puppies",
                kind="Dog training hours",
                text=f"{total // 60} h {total % 60:02d} min of training logged in {year} (to {format_date(last.date)})",
                url=reverse("puppies:apprenticeship") + f"?offender={offender.pk}",
                source=f"puppies.TrainingLog:{offender.pk}:{year}",
                sort_key=(last.date.isoformat(), 0),
            )
        )
    return items


registry.timeline_provider(
    TimelineProvider(slug="puppies", program="puppies", label="Puppies for Parole", events=_timeline, order=60)
)


# Reports -------------------------------------------------------------------------------------------------------------
def _period(params):
    return params.get("start"), params.get("end")


def in_training_report(user, params) -> dict:
    rows = selectors.in_training_by_facility(user)
    return {
        "tables": [
            {
                "title": f"Dogs at facilities, {format_date(timezone.localdate())}",
                "columns": ["Facility", "In training", "Extended training", "Graduated or reserved"],
                "rows": [
                    [f"{r['facility__name']} ({r['facility__code']})", r["training"], r["extended"], r["graduated"]]
                    for r in rows
                ],
            }
        ]
    }


def graduations_report(user, params) -> dict:
    start, end = _period(params)
    rows = selectors.graduations(user, start, end).select_related("facility")
    return {
        "tables": [
            {
                "title": "Graduations",
                "columns": ["Date", "Cohort", "Facility", "Dogs"],
                "rows": [[format_date(g.date), g.name, g.facility.code, g.count] for g in rows],
            }
        ]
    }


BASELINE_NOTE = (
    "The adoptions from 2010 until RJ Admin (more than 7,000) are the historical baseline an administrator keeps "
    "under Reports, Historical baselines (figure “puppies-dogs-adopted”); the public figure adds it to the "
    "adoptions recorded here, which are never mixed with it."
)


def adoptions_report(user, params) -> dict:
    start, end = _period(params)
    rows = selectors.adoptions_by_month(user, start, end)
    days = selectors.days_to_adoption(user, start, end)
    average = round(sum(d for _, d in days) / len(days)) if days else None
    returned = selectors.returns(user)
    by_year = selectors.adoptions_by_year(user)
    intro = f"Average days from intake to adoption: {average}. " if average is not None else ""
    return {
        "intro": intro + BASELINE_NOTE,
        "tables": [
            {
                "title": "Adopted since the program began: recorded in RJ Admin, by year",
                "columns": ["Year", "Adoptions"],
                "rows": [[year, n] for year, n in by_year] + [["Recorded in all", sum(n for _, n in by_year)]],
            },
            {
                "title": "Adoptions by month and shelter",
                "columns": ["Month", "Shelter", "Adoptions", "Returned since", "Fees"],
                "rows": [
                    [f"{r['month']:%b %Y}", r["shelter__organization__name"], r["count"], r["returned"], r["fees"]]
                    for r in rows
                ],
            },
            {
                "title": "Days from intake to adoption",
                "columns": ["Dog", "Shelter", "Intake", "Adopted", "Days"],
                "rows": [
                    [a.dog.name, str(a.shelter), format_date(a.dog.intake_on), format_date(a.adopted_on), d]
                    for a, d in days
                ],
            },
            {
                "title": "Returns",
                "columns": ["Dog", "Adopted", "Returned", "Reason"],
                "rows": [
                    [a.dog.name, format_date(a.adopted_on), format_date(a.returned_on), a.return_reason]
                    for a in returned
                ],
            },
        ],
    }


def training_hours_report(user, params) -> dict:
    by = params.get("by") or "month"
    rows = selectors.training_hours_by_facility(user=user, start=params.get("start"), end=params.get("end"), by=by)
    label = (lambda d: f"{d:%Y}") if by == "year" else (lambda d: f"{d:%b %Y}")
    return {
        "intro": "Hours the handlers logged in the dogs' training logs (void logs count nowhere), "
        "and how many handlers logged them.",
        "tables": [
            {
                "title": f"Training hours by facility and {by}",
                "columns": ["Facility", "Year" if by == "year" else "Month", "Handlers", "Hours"],
                "rows": [[r["facility"], label(r["period"]), r["people"], r["hours"]] for r in rows]
                + [["All facilities", "", "", sum((r["hours"] for r in rows), 0)]],
            }
        ],
    }


REPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.FACILITY_STAFF, Role.AUDITOR})
for entry in (
    ReportEntry(
        slug="puppies-training-hours",
        title="Training hours by facility (Puppies for Parole)",
        app="puppies",
        description="Hours handlers logged training the dogs, and how many handlers, by facility and month or year.",
        build=training_hours_report,
        roles=REPORT_ROLES,
        form_class=forms.TrainingHoursReportForm,
    ),
    ReportEntry(
        slug="puppies-in-training",
        title="Dogs in training per facility",
        app="puppies",
        description="Dogs living at each facility today: in training, in extended training, graduated or reserved.",
        build=in_training_report,
        roles=REPORT_ROLES,
    ),
    ReportEntry(
        slug="puppies-graduations",
        title="Dog graduations",
        app="puppies",
        description="Graduation cohorts by facility and date, with the number of dogs.",
        build=graduations_report,
        roles=REPORT_ROLES,
        form_class=forms.ReportPeriodForm,
    ),
    ReportEntry(
        slug="puppies-adoptions",
        title="Dog adoptions by month and shelter",
        app="puppies",
        description="Adoptions by month and owning shelter, days from intake to adoption, and returns.",
        build=adoptions_report,
        roles=frozenset({Role.ADMINISTRATOR, Role.FACILITY_STAFF}),
        form_class=forms.ReportPeriodForm,
    ),
):
    registry.report(entry)


# Public figures ------------------------------------------------------------------------------------------------------
registry.figure(
    FigureEntry(
        "puppies-dogs-adopted",
        "Dogs adopted",
        lambda: selectors.dogs_adopted(),
        order=30,
        app="puppies",
        unit="dogs",
        describe="Shelter dogs trained by people in prison, then adopted through their shelters: 7,000 since 2010.",
        cumulative=True,
        compute_year=lambda year: selectors.dogs_adopted(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    )
)
registry.figure(
    FigureEntry(
        "puppies-dogs-in-training",
        "Dogs in training today",
        selectors.dogs_in_training,
        order=31,
        app="puppies",
        unit="dogs",
        describe="Each dog lives with two handlers for about eight weeks of training.",
    )
)


def _seed():
    from .demo import demo_seed

    demo_seed()


registry.demo_seeder(_seed, order=50)


# The person's restorative record (core.restorative): the hours they gave here.
def _restorative(offender, user, as_of):
    from core.restorative import participation_block

    return participation_block(label="Dog training", items=selectors.participation_items(offender, user))


registry.restorative_provider(
    RestorativeProvider(slug="puppies", program="participation", label="Participation", summary=_restorative, order=70)
)
