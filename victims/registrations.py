"""The victims app's entries in core's registry: its menu links (and, later, its conflict checker)."""

from django.urls import reverse

from core.choices import OffenderEventKind, Role
from core.registry import (
    ConflictChecker,
    EventHandlerEntry,
    FrequentTaskEntry,
    MenuEntry,
    PanelEntry,
    TimelineProvider,
    registry,
)

from . import conflicts, services
from .choices import StatementStatus
from .models import LIST_ROLES, ConflictMatch, ImpactStatement, Notification, ReadLog


def _sees_list(user) -> bool:
    return user.is_superuser or user.role in LIST_ROLES


registry.menu_item(MenuEntry("victims", "People", "Victims", "victims:victim_list", visible=_sees_list, order=40))
registry.menu_item(
    MenuEntry("victims-read-log", "People", "Victims' read log", "victims:readlog_list", model=ReadLog, order=41)
)

registry.conflict_checker(ConflictChecker(slug="victims", check=conflicts.check))

# Notifications: an offender released, discharged, escaped or dead, or a parole hearing recorded.
registry.event_handler(
    EventHandlerEntry(
        slug="victims-notify",
        handle=services.notifications_for_event,
        kinds=frozenset({OffenderEventKind.STATUS, OffenderEventKind.PAROLE_HEARING}),
    )
)
registry.frequent_task(FrequentTaskEntry("victims_notifications", "victims.send_due_notifications", 2))
registry.menu_item(
    MenuEntry(
        "victims-notifications",
        "People",
        "Victim notifications",
        "victims:notification_list",
        model=Notification,
        order=43,
    )
)
registry.menu_item(
    MenuEntry(
        "victims-conflicts", "People", "Possible conflicts", "victims:conflictmatch_list", model=ConflictMatch, order=42
    )
)


def _timeline(offender, user) -> list:
    """One line per statement, the same for every role that sees the person: "Victim impact statement
    received". Only a role that may read the statement gets its link; no victim, no content."""
    from django.db.models import Exists, OuterRef

    from core.timeline import TimelineItem

    readable = ImpactStatement.objects.restrict(user).filter(pk=OuterRef("pk"))
    rows = (
        ImpactStatement.objects.filter(case__offender=offender, status=StatementStatus.RECORDED)
        .annotate(readable=Exists(readable))
        .values("pk", "received_on", "created_at", "readable")
        .order_by()
    )
    return [
        TimelineItem(
            date=row["received_on"],
            program="victims",
            kind="Victim impact statement",
            text="Victim impact statement received",
            url=reverse("victims:statement_detail", args=[row["pk"]]) if row["readable"] else "",
            source=f"victims.ImpactStatement:{row['pk']}" if row["readable"] else "",
            sort_key=(row["created_at"].isoformat(), row["pk"]),
        )
        for row in rows
    ]


registry.timeline_provider(TimelineProvider(slug="victims", program="victims", label="Victims", events=_timeline))


def _panel(request):
    """Victim services' dashboard panel: what is waiting for them."""
    from django.template.loader import render_to_string

    from .models import can_read_identity
    from .selectors import dashboard

    if not can_read_identity(request.user):
        return None
    return render_to_string("victims/panel.html", dashboard(request.user), request=request)


registry.panel(
    PanelEntry("victims", roles=frozenset({Role.VICTIM_SERVICES, Role.ADMINISTRATOR}), render=_panel, order=15)
)


def _seed():
    from .demo import seed

    seed()


registry.demo_seeder(_seed, order=60)
