"""Core's dashboard panels: what core knows for each role. Registered like any app's panels.

The dashboard (``core.views.ops.DashboardView``) holds no role branch: it renders, in order, the
panels registered for the signed-in role (``registry.panels_for``). Each panel is a
``PanelEntry(slug, roles, render, order)``; ``render(request)`` returns HTML, or None when it has
nothing for this user. Core's panels take the orders 0-9 (people and places first), 95 and 96
(alerts, background jobs); the apps' panels sit between.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.choices import JobOutcome, OffenderStatus, Role
from core.models import Alert, Facility, JobRun, Offender, Organization, User
from core.querysets import VIEW
from core.registry import PanelEntry, registry

EVERY_ROLE = frozenset(Role.values)
STATEWIDE = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
CASELOAD = frozenset({Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR, Role.BOARD_COORDINATOR})


def _cards(request, cards) -> str:
    return render_to_string("core/panels/cards.html", {"cards": cards}, request=request)


def statewide_cards(request):
    offenders = Offender.objects.restrict(request.user, VIEW)
    counts = offenders.aggregate(
        incarcerated=Count("pk", filter=Q(status=OffenderStatus.INCARCERATED)),
        supervised=Count("pk", filter=Q(status=OffenderStatus.SUPERVISED)),
    )
    offender_list = reverse("core:offender_list")
    return _cards(
        request,
        [
            ("Incarcerated", counts["incarcerated"], offender_list + "?status=incarcerated"),
            ("Supervised", counts["supervised"], offender_list + "?status=supervised"),
            ("Facilities", Facility.objects.filter(active=True).count(), reverse("core:facility_list")),
            (
                "Partner organizations",
                Organization.objects.filter(active=True).count(),
                reverse("core:organization_list"),
            ),
        ],
    )


def caseload_cards(request):
    user = request.user
    today = timezone.localdate()
    soon = today + dt.timedelta(days=60)
    supervised = Offender.objects.restrict(user, VIEW).filter(status=OffenderStatus.SUPERVISED)
    counts = supervised.aggregate(
        all=Count("pk"),
        ending=Count("pk", filter=Q(supervision_end_date__gte=today, supervision_end_date__lte=soon)),
    )
    offender_list = reverse("core:offender_list")
    label = "My caseload" if user.role == Role.PROBATION_OFFICER else "Supervised in my district"
    return _cards(
        request,
        [
            (label, counts["all"], offender_list + "?status=supervised"),
            (
                "Supervision ends within 60 days",
                counts["ending"],
                offender_list + f"?status=supervised&supervision_ends_before={soon:%Y-%m-%d}",
            ),
        ],
    )


def victim_services_cards(request):
    offenders = Offender.objects.restrict(request.user, VIEW)
    return _cards(request, [("Offenders statewide", offenders.count(), reverse("core:offender_list"))])


def my_facilities(request):
    facilities = Facility.objects.restrict(request.user, VIEW).annotate(
        incarcerated=Count("offenders", filter=Q(offenders__status=OffenderStatus.INCARCERATED))
    )
    return render_to_string("core/panels/facilities.html", {"facilities": facilities}, request=request)


def district_caseloads(request):
    user = request.user
    officers = (
        User.objects.filter(
            district_id=user.district_id,
            is_active=True,
            role__in=[Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR],
        )
        .annotate(caseload_count=Count("caseload", filter=Q(caseload__status=OffenderStatus.SUPERVISED)))
        .order_by("-caseload_count", "last_name")
    )
    return render_to_string("core/panels/officers.html", {"officers": officers}, request=request)


def alerts(request):
    unread = Alert.objects.restrict(request.user, VIEW).filter(read_at__isnull=True)[:10]
    return render_to_string("core/panels/alerts.html", {"alerts": unread}, request=request)


def background_jobs(request):
    recent = JobRun.objects.restrict(request.user, VIEW)[:5]
    failed = JobRun.objects.restrict(request.user, VIEW).filter(
        outcome=JobOutcome.FAILED, started_at__gte=timezone.now() - dt.timedelta(days=7)
    )[:5]
    return render_to_string("core/panels/jobs.html", {"recent_jobs": recent, "failed_jobs": failed}, request=request)


for entry in (
    PanelEntry("core-statewide", STATEWIDE, statewide_cards, order=0),
    PanelEntry("core-caseload", CASELOAD, caseload_cards, order=0),
    PanelEntry("core-victim-services", frozenset({Role.VICTIM_SERVICES}), victim_services_cards, order=0),
    PanelEntry("core-facilities", frozenset({Role.FACILITY_STAFF}), my_facilities, order=5),
    PanelEntry("core-district-caseloads", frozenset({Role.DISTRICT_SUPERVISOR}), district_caseloads, order=6),
    PanelEntry("core-alerts", EVERY_ROLE, alerts, order=95),
    PanelEntry("core-jobs", STATEWIDE, background_jobs, order=96),
):
    registry.panel(entry)
