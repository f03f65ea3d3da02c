"""The reparation boards' entries in core's registry: model declarations (pages, menu, API) and the
person's timeline (referrals and agreements)."""

from __future__ import annotations

from core.api.base import ReadOnlyScopedViewSet
from core.choices import Role
from core.querysets import ADD, can
from core.registry import (
    FigureEntry,
    PanelEntry,
    PersonActionEntry,
    ReportEntry,
    RestorativeProvider,
    TimelineProvider,
    registry,
)
from core.resources import Menu, Resource, register

from . import forms, reports, restorative, selectors, views
from .models import Agreement, Board, BoardReferral, Condition, Meeting, Member


@register
class BoardResource(Resource):
    model = Board
    fields = ("district", "name", "quorum", "coordinator", "active")
    table_fields = ("name", "district", "quorum", "coordinator", "active")
    search_fields = ("name",)
    filter_fields = ("district", "active")
    select_related = ("district", "coordinator")
    url_prefix = "boards"
    api_prefix = "boards/boards"
    form_class = forms.BoardForm
    edit_view = views.ServiceEditView
    viewset_class = ReadOnlyScopedViewSet
    title = "Reparation boards"
    intro = "Boards of trained citizens who meet people under supervision and agree how they repair the harm."
    menu = Menu("Programs", "Reparation boards", order=70)


@register
class MemberResource(Resource):
    """Citizen volunteers: their contact for coordinators (their district's boards) and administrators."""

    model = Member
    fields = ("board", "name", "phone", "email", "address", "term_start", "term_end", "training_completed_on")
    detail_fields = (*fields, "removed_on", "removal_reason")
    api_fields = detail_fields
    table_fields = ("name", "board", "term_start", "term_end", "training_completed_on", "removed_on")
    search_fields = ("name",)
    filter_fields = ("board",)
    select_related = ("board",)
    url_prefix = "members"
    api_prefix = "boards/members"
    form_class = forms.MemberForm
    detail_view = views.MemberDetailView
    edit_view = views.ServiceEditView
    viewset_class = ReadOnlyScopedViewSet
    title = "Board members"
    menu = Menu("Programs", "Board members", order=71)


@register
class BoardReferralResource(Resource):
    model = BoardReferral
    fields = ("board", "offender", "case", "source", "reason", "referred_on", "priority")
    detail_fields = (*fields, "status", "decided_on", "decline_reason", "referred_by")
    api_fields = (*fields, "status", "decided_on", "decline_reason")
    table_fields = ("referred_on", "offender", "board", "source", "priority", "status")
    search_fields = ("offender__last_name", "offender__doc_id", "case__case_number")
    filter_fields = ("board", "status", "source", "priority")
    select_related = ("board", "offender", "case")
    url_prefix = "referrals"
    api_prefix = "boards/referrals"
    form_class = forms.ReferralForm
    detail_view = views.BoardReferralDetailView
    edit_view = views.ServiceEditView
    viewset_class = ReadOnlyScopedViewSet
    title = "Board referrals"
    menu = Menu("Programs", "Board referrals", order=72)


@register
class MeetingResource(Resource):
    """Meetings are recorded by ``meeting_record`` (attendance, recusals)."""

    model = Meeting
    fields = ("board", "referral", "date", "place")
    # Never the victim's texts: what the victim wrote for the board only stays on the meeting's page.
    api_fields = ("board", "referral", "date", "place", "kind", "person_attended")
    table_fields = ("date", "board", "referral", "place")
    search_fields = ("place", "referral__offender__last_name")
    filter_fields = ("board",)
    select_related = ("board", "referral__offender", "referral__board")
    pages = ("list", "detail", "history")
    url_prefix = "meetings"
    api_prefix = "boards/meetings"
    detail_view = views.MeetingDetailView
    viewset_class = ReadOnlyScopedViewSet
    title = "Board meetings"


@register
class AgreementResource(Resource):
    """Agreements are approved by ``agreement_approve`` at a meeting with quorum."""

    model = Agreement
    fields = ("board", "referral", "meeting", "approved_on", "due_on", "status")
    api_fields = (
        *fields,
        "person_signed_at",
        "chair_signed_at",
        "mid_term_reviewed_on",
        "closed_on",
    )
    table_fields = ("approved_on", "board", "referral", "due_on", "status")
    search_fields = ("referral__offender__last_name", "referral__offender__doc_id")
    filter_fields = ("board", "status")
    select_related = ("board", "referral__offender", "referral__board", "meeting__board")
    pages = ("list", "detail", "history")
    url_prefix = "agreements"
    api_prefix = "boards/agreements"
    detail_view = views.AgreementDetailView
    viewset_class = ReadOnlyScopedViewSet
    title = "Reparative agreements"
    menu = Menu("Programs", "Reparative agreements", order=73)


@register
class ConditionResource(Resource):
    """Conditions of agreements, for the API only (read): their progress is on the agreement's page."""

    model = Condition
    fields = ("agreement", "kind", "description", "due_on", "hours", "amount", "status", "met_on")
    filter_fields = ("agreement", "kind", "status")
    select_related = ("agreement",)
    pages = ()
    api_prefix = "boards/conditions"
    viewset_class = ReadOnlyScopedViewSet
    title = "Agreement conditions"


# The person's timeline ---------------------------------------------------------------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    items = []
    for r in selectors.person_referrals(user, offender):
        items.append(
            TimelineItem(
                date=r.referred_on,
                program="boards",
                kind=f"Referred to a reparation board ({r.get_status_display().lower()})",
                text=f"{r.board} ({r.get_source_display()})",
                url=r.get_absolute_url(),
                source=f"boards.BoardReferral:{r.pk}",
                sort_key=(r.referred_on.isoformat(), r.pk),
            )
        )
    for a in selectors.person_agreements(user, offender):
        items.append(
            TimelineItem(
                date=a.approved_on,
                program="boards",
                kind="Reparative agreement approved",
                text=f"{a.board}: due {a.due_on:%m/%d/%Y} ({a.get_status_display().lower()})",
                url=a.get_absolute_url(),
                source=f"boards.Agreement:{a.pk}",
                sort_key=(a.approved_on.isoformat(), a.pk),
            )
        )
        if a.closed_on:
            items.append(
                TimelineItem(
                    date=a.closed_on,
                    program="boards",
                    kind="Reparative agreement closed",
                    text=f"{a.board}: {a.get_status_display().lower()}",
                    url=a.get_absolute_url(),
                    source=f"boards.Agreement:{a.pk}:closed",
                    sort_key=(a.closed_on.isoformat(), a.pk),
                )
            )
    return items


registry.timeline_provider(
    TimelineProvider(slug="boards", program="boards", label="Reparation boards", events=_timeline)
)


# The coordinator's dashboard panel ------------------------------------------------------------------------
def _panel(request):
    from django.template.loader import render_to_string
    from django.utils import timezone

    return render_to_string(
        "boards/panel.html", selectors.dashboard(request.user, timezone.localdate()), request=request
    )


registry.panel(
    PanelEntry("boards", roles=frozenset({Role.BOARD_COORDINATOR, Role.ADMINISTRATOR}), render=_panel, order=30)
)


# Reports, the public figure, the demo data --------------------------------------------------------------
REPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.BOARD_COORDINATOR, Role.DISTRICT_SUPERVISOR})

for entry in (
    ReportEntry(
        slug="boards-referrals",
        title="Reparation board referrals by district and year",
        app="boards",
        description="Referrals to reparation boards by district, year and who referred, with those accepted and "
        "declined.",
        build=reports.referrals_report,
        roles=REPORT_ROLES,
        form_class=forms.YearForm,
    ),
    ReportEntry(
        slug="boards-completion",
        title="Reparative agreements: completion rates and time to closure",
        app="boards",
        description="Agreements closed by district and year: completed, partially completed, failed and returned "
        "to court, the completion rate and the average days from approval to closure.",
        build=reports.completion_report,
        roles=REPORT_ROLES,
        form_class=forms.YearForm,
    ),
):
    registry.report(entry)

registry.figure(
    FigureEntry(
        "boards-completed",
        "Reparative agreements completed with a citizen reparation board",
        reports.agreements_completed_total,
        order=60,
        app="boards",
        unit="agreements",
        describe="Trained citizen volunteers meet people under supervision and agree how they repair the harm.",
        cumulative=True,
        compute_year=reports.agreements_completed_in_year,
    )
)


def _seed():
    from .demo import demo_seed

    demo_seed()


registry.demo_seeder(_seed, order=65)


# On the person's page: the officer refers the person to a board (boards:refer checks the scope again).
registry.person_action(
    PersonActionEntry(
        "boards-refer",
        "Refer to a board",
        "boards:refer",
        visible=lambda user, offender: offender.district_id is not None and can(user, BoardReferral, ADD),
        order=30,
    )
)


registry.restorative_provider(
    RestorativeProvider(
        slug="boards",
        program="boards",
        label="Reparation boards",
        summary=restorative.summary,
        unmet=restorative.unmet,
        durations=restorative.durations,
        order=40,
    )
)
