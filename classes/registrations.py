"""The classes' entries in core's registry: model declarations (pages, menu, API), the timeline provider,
the transfer handler, reports, the public figure and the demo data."""

from __future__ import annotations

from core.api.base import ReadOnlyScopedViewSet
from core.choices import OffenderEventKind, Role
from core.querysets import VIEW, can
from core.registry import (
    EventHandlerEntry,
    FigureEntry,
    MenuEntry,
    ReportEntry,
    RestorativeProvider,
    TimelineProvider,
    registry,
)
from core.resources import Menu, Resource, register

from . import api, forms, reports, restorative, selectors, services, views
from .models import (
    COORDINATORS,
    Attendance,
    CurriculumVersion,
    Enrollment,
    Offering,
    Referral,
    ScheduledSession,
    Speaker,
    SpeakerBooking,
    Topic,
)

FACILITY_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.FACILITY_STAFF})


@register
class TopicResource(Resource):
    model = Topic
    fields = ("code", "name")
    search_fields = ("name",)
    url_prefix = "topics"
    api_prefix = "classes/topics"
    title = "Class topics"
    menu = Menu("Administration", "Class topics", order=85, visible=lambda u: u.is_administrator)


@register
class CurriculumVersionResource(Resource):
    """Versions are made by ``curriculum_create`` and ``curriculum_revise`` (a revision is a new version)."""

    model = CurriculumVersion
    fields = ("name", "number", "effective_on", "has_pretest", "has_posttest", "active", "note")
    pages = ("list", "detail", "history")
    url_prefix = "curriculum"
    api_prefix = "classes/curriculum"
    viewset_class = ReadOnlyScopedViewSet
    detail_view = views.CurriculumVersionDetailView
    title = "Class curriculum versions"
    menu = Menu("Programs", "Class curriculum", order=66, visible=lambda u: u.role in FACILITY_ROLES)


@register
class OfferingResource(Resource):
    model = Offering
    fields = ("facility", "version", "title", "capacity", "status", "starts_on", "facilitators", "note")
    table_fields = ("title", "facility__code", "version", "starts_on", "capacity", "status")
    search_fields = ("title", "facility__name", "facility__code")
    filter_fields = ("facility", "status")
    select_related = ("facility", "version")
    url_prefix = "offerings"
    api_prefix = "classes/offerings"
    form_class = forms.OfferingForm
    detail_view = views.OfferingDetailView
    edit_view = views.ServiceEditView
    viewset_class = ReadOnlyScopedViewSet
    title = "Impact of Crime on Victims classes"
    intro = "Classes at each facility and P&P office: their sessions, roster and attendance."
    menu = Menu("Programs", "Victim impact classes", order=60)


@register
class ScheduledSessionResource(Resource):
    model = ScheduledSession
    fields = ("offering", "topic", "date", "start_time", "end_time", "room", "hours")
    table_fields = ("date", "start_time", "offering", "topic", "room", "hours")
    search_fields = ("offering__title", "topic__name", "room")
    filter_fields = ("topic",)
    select_related = ("offering__facility", "topic")
    url_prefix = "sessions"
    api_prefix = "classes/sessions"
    form_class = forms.ScheduledSessionForm
    detail_view = views.SessionDetailView
    edit_view = views.ServiceEditView
    viewset_class = ReadOnlyScopedViewSet
    title = "Class sessions"


@register
class ReferralResource(Resource):
    model = Referral
    fields = ("offender", "facility", "source", "referred_on", "note")
    detail_fields = (*fields, "status", "referred_by", "closed_reason")
    api_fields = (*fields, "status", "closed_reason")
    table_fields = ("offender", "facility__code", "source", "referred_on", "status")
    search_fields = ("offender__last_name", "offender__doc_id")
    filter_fields = ("facility", "status", "source")
    select_related = ("offender", "facility")
    url_prefix = "referrals"
    api_prefix = "classes/referrals"
    form_class = forms.ReferralForm
    detail_view = views.ReferralDetailView
    edit_view = views.ServiceEditView
    serializer_class = api.ReferralSerializer
    viewset_class = api.ReferralViewSet
    title = "Class referrals"
    menu = Menu("Programs", "Class referrals", order=62)


@register
class EnrollmentResource(Resource):
    """Seats are given by ``enrollment_enroll`` (from the offering's page), ended by the services."""

    model = Enrollment
    fields = ("offender", "offering", "enrolled_on")
    detail_fields = (
        *fields,
        "version",
        "course_started_on",
        "status",
        "ended_on",
        "end_reason",
        "pretest_score",
        "posttest_score",
    )
    api_fields = detail_fields
    table_fields = ("offender", "offering", "enrolled_on", "status")
    search_fields = ("offender__last_name", "offender__doc_id", "offering__title")
    filter_fields = ("status",)
    select_related = ("offender", "offering__facility")
    pages = ("list", "detail", "history")
    url_prefix = "enrollments"
    api_prefix = "classes/enrollments"
    serializer_class = api.EnrollmentSerializer
    viewset_class = api.EnrollmentViewSet
    detail_view = views.EnrollmentDetailView
    title = "Class enrollments"
    menu = Menu("Programs", "Class enrollments", order=63)


@register
class AttendanceResource(Resource):
    """A voidable entry, marked on the roster (one tap), voided with a reason."""

    model = Attendance
    fields = ("session", "enrollment", "status", "hours", "not_held_reason", "remark")
    detail_fields = ("offender", "date", "topic", *fields, "makeup", "entered_by", "voided_at", "void_reason")
    api_fields = (*fields, "offender", "topic", "date", "facility", "makeup", "voided_at", "void_reason")
    table_fields = ("date", "offender", "topic", "status", "hours", "makeup")
    search_fields = ("offender__last_name", "offender__doc_id")
    filter_fields = ("status", "topic")
    select_related = ("offender", "topic", "session__offering")
    pages = ("list", "detail", "history", "void")
    void_service = services.attendance_void
    void_arg = "entry"
    void_view = views.AttendanceVoidView
    detail_view = views.AttendanceDetailView
    url_prefix = "attendance"
    api_prefix = "classes/attendance"
    serializer_class = api.AttendanceSerializer
    viewset_class = api.AttendanceViewSet
    title = "Class attendance"


@register
class SpeakerResource(Resource):
    """Victim volunteers: name and contact for victim services and administrators only."""

    model = Speaker
    fields = ("name", "phone", "email", "address", "topics", "active")
    detail_fields = ("reference", *fields)
    table_fields = ("reference", "name", "active")
    search_fields = ("name", "reference")
    filter_fields = ("active",)
    url_prefix = "speakers"
    api = False
    title = "Guest speakers (victim volunteers)"
    menu = Menu("Programs", "Class guest speakers", order=65, visible=lambda u: u.role in COORDINATORS)


@register
class SpeakerBookingResource(Resource):
    """Bookings are made by ``speaker_book`` (the conflict check) from a session's page."""

    model = SpeakerBooking
    fields = ("speaker", "session")
    detail_fields = ("speaker", "session", "status", "conflict_references", "cleared_at")
    table_fields = ("speaker", "session", "status")
    select_related = ("speaker", "session__topic")
    pages = ("list", "detail", "history")
    url_prefix = "bookings"
    api = False
    detail_view = views.BookingDetailView
    title = "Guest speaker bookings"


for entry in (
    MenuEntry(
        "classes-roster",
        "Programs",
        "Class roster for today",
        "classes:roster",
        visible=lambda u: can(u, Attendance, "add"),
        order=59,
    ),
    MenuEntry(
        "classes-waiting",
        "Programs",
        "Class waiting lists",
        "classes:waiting",
        visible=lambda u: u.role in FACILITY_ROLES,
        order=61,
    ),
    MenuEntry(
        "classes-statewide",
        "Programs",
        "Classes statewide",
        "classes:statewide",
        visible=lambda u: u.is_administrator or u.role == Role.AUDITOR,
        order=64,
    ),
):
    registry.menu_item(entry)


# The person's timeline ---------------------------------------------------------------------------------
def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    items = []
    for e in Enrollment.objects.restrict(user, VIEW).filter(offender=offender).select_related("offering__facility"):
        items.append(
            TimelineItem(
                date=e.enrolled_on,
                program="classes",
                kind="Enrolled in the victim impact class",
                text=f"{e.offering}",
                url=e.get_absolute_url(),
                source=f"classes.Enrollment:{e.pk}",
                sort_key=(e.enrolled_on.isoformat(), e.pk),
            )
        )
        if e.ended_on:
            items.append(
                TimelineItem(
                    date=e.ended_on,
                    program="classes",
                    kind=f"Class {e.get_status_display().lower()}",
                    text=f"{e.offering}" + (f" ({e.end_reason})" if e.end_reason else ""),
                    url=e.get_absolute_url(),
                    source=f"classes.Enrollment:{e.pk}:ended",
                    sort_key=(e.ended_on.isoformat(), e.pk),
                )
            )
    return items


registry.timeline_provider(
    TimelineProvider(slug="classes", program="classes", label="Victim impact classes", events=_timeline)
)


# A transfer mid-course: the enrollment ends as transferred and the person goes on the new facility's list.
def _on_transfer(event) -> None:
    from django.utils import timezone

    from core.models import Facility

    offender = event.offender
    if not offender.facility_id:
        return
    services.person_transferred(
        offender=offender,
        facility=Facility.objects.get(pk=offender.facility_id),
        user=event.entered_by,
        on=timezone.localdate(event.occurred_at),
    )


registry.event_handler(
    EventHandlerEntry(slug="classes-transfer", handle=_on_transfer, kinds=frozenset({OffenderEventKind.FACILITY}))
)


def _seed():
    from .demo import demo_seed

    demo_seed()


registry.demo_seeder(_seed, order=50)


# Reports and the public figure ---------------------------------------------------------------------------
REPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.FACILITY_STAFF, Role.DISTRICT_SUPERVISOR})

for entry in (
    ReportEntry(
        slug="classes-completions",
        title="Victim impact class completions by facility, district and year",
        app="classes",
        description="Completions recorded in RJ Admin, by the facility of the class, the person's district and "
        "the year; the historical baseline from before RJ Admin is shown apart.",
        build=reports.completions_report,
        roles=REPORT_ROLES,
        form_class=forms.YearForm,
    ),
    ReportEntry(
        slug="classes-attendance",
        title="Victim impact class attendance rates",
        app="classes",
        description="Sessions held and the share of people present or late, by facility; sessions not held "
        "(lockdown, count, cancelled) counted apart.",
        build=reports.attendance_report,
        roles=REPORT_ROLES,
        form_class=forms.YearForm,
    ),
    ReportEntry(
        slug="classes-waiting",
        title="Victim impact class waiting lists",
        app="classes",
        description="People waiting at each facility and how long they have waited; the days from referral to "
        "enrollment of those enrolled, and the pre/post test change.",
        build=reports.waiting_report,
        roles=REPORT_ROLES,
    ),
):
    registry.report(entry)

registry.figure(
    FigureEntry(
        "classes-completions",
        "People who completed the Impact of Crime on Victims class",
        selectors.completions_total,
        order=50,
        app="classes",
        unit="people",
        describe="A 40-hour class in which victims speak to offenders about the harm of crime.",
        cumulative=True,
        compute_year=selectors.completions_in_year,
    )
)


registry.restorative_provider(
    RestorativeProvider(
        slug="classes",
        program="classes",
        label="Victim impact classes",
        summary=restorative.summary,
        unmet=restorative.unmet,
        durations=restorative.durations,
        order=30,
    )
)
