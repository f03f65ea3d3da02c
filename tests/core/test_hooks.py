"""The three hooks core gives the programs: offender events, the person timeline, the conflict check.

Handlers and checkers are registered here as real entries in core's registry (the same call an app
makes from its registration module), and removed after each test.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import events
from core.choices import DeliveryStatus, OffenderEventKind, OffenderStatus, ParoleOutcome
from core.conflicts import PersonDetails, conflict_check, normalize_address, normalize_name, normalize_phone
from core.models import OffenderEvent, OffenderEventDelivery, ParoleHearing
from core.registry import ConflictChecker, EventHandlerEntry, registry
from core.services import caseload_reassign, offender_release_to_supervision, offender_status_set, offender_transfer
from tests.core.test_views_scope import _offender_post
from tests.factories.restitution import obligation, pay
from tests.queries import queries_at_1_and_20


@pytest.fixture
def handled():
    """A handler that records the events it gets; ``handled.fail`` makes it raise."""
    seen = []

    def handle(event):
        if handled_state["fail"]:
            raise RuntimeError("the victims' notification service is down")
        seen.append((event.kind, event.before, event.after))

    handled_state = {"fail": False, "seen": seen}
    entry = registry.event_handler(EventHandlerEntry(slug="test-recorder", handle=handle))
    yield handled_state
    registry.event_handlers.pop(entry.slug)


# Offender events -------------------------------------------------------------------------------


def test_officer_change_on_the_edit_page_emits_one_event_after_commit(
    world, client_for, handled, django_capture_on_commit_callbacks
):
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:offender_edit", args=[world.supervised.pk]),
            _offender_post(world.supervised, supervising_officer=world.officer2.pk),
        )
    assert response.status_code == 302
    event = OffenderEvent.objects.get(offender=world.supervised)
    assert (event.kind, event.before, event.after) == (
        OffenderEventKind.OFFICER,
        str(world.officer.pk),
        str(world.officer2.pk),
    )
    assert event.entered_by == world.supervisor
    assert handled["seen"] == [(OffenderEventKind.OFFICER, str(world.officer.pk), str(world.officer2.pk))]
    assert OffenderEventDelivery.objects.get(event=event, handler="test-recorder").status == DeliveryStatus.DELIVERED


def test_an_edit_rolled_back_out_of_scope_emits_nothing(world, client_for, handled, django_capture_on_commit_callbacks):
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:offender_edit", args=[world.supervised.pk]),
            _offender_post(world.supervised, district=world.d10.pk, supervising_officer=world.officer_d10.pk),
        )
    assert not OffenderEvent.objects.exists()
    assert handled["seen"] == []


def test_a_failing_handler_never_undoes_the_change_and_is_retried(world, handled, django_capture_on_commit_callbacks):
    handled["fail"] = True
    with django_capture_on_commit_callbacks(execute=True):
        offender_status_set(offender=world.supervised, status=OffenderStatus.ESCAPED, user=world.admin)
    world.supervised.refresh_from_db()
    assert world.supervised.status == OffenderStatus.ESCAPED  # the change stands
    delivery = OffenderEventDelivery.objects.get(handler="test-recorder")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "notification service is down" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()

    assert events.deliver() == 0, "not due yet"
    handled["fail"] = False
    assert events.deliver(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 2, "")
    assert handled["seen"] == [(OffenderEventKind.STATUS, OffenderStatus.SUPERVISED, OffenderStatus.ESCAPED)]


def test_a_handler_that_keeps_failing_is_given_up_and_administrators_are_alerted(world, handled):
    handled["fail"] = True
    offender_status_set(offender=world.supervised, status=OffenderStatus.DECEASED, user=world.admin)
    later = timezone.now()
    for _ in range(events.MAX_ATTEMPTS):
        later += dt.timedelta(days=1)
        events.deliver(now=later)
    delivery = OffenderEventDelivery.objects.get(handler="test-recorder")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, events.MAX_ATTEMPTS)
    assert world.admin.alerts.filter(title__contains="test-recorder").exists()


def test_release_transfer_and_reassignment_each_emit_their_kinds(world, handled):
    offender_transfer(offender=world.inmate, facility=world.acc, user=world.admin)
    offender_release_to_supervision(offender=world.inmate, district=world.d9, officer=world.officer, user=world.admin)
    moved = caseload_reassign(
        offenders=type(world.inmate).objects.filter(pk=world.inmate.pk), officer=world.officer2, user=world.supervisor
    )
    assert moved == 1
    kinds = list(OffenderEvent.objects.filter(offender=world.inmate).order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        OffenderEventKind.FACILITY,  # JCCC -> ACC
        OffenderEventKind.STATUS,  # incarcerated -> supervised
        OffenderEventKind.FACILITY,  # ACC -> none
        OffenderEventKind.DISTRICT,
        OffenderEventKind.OFFICER,
        OffenderEventKind.OFFICER,  # reassigned
    ]


def test_roster_import_emits_the_changes_it_makes(world, handled):
    from core.imports import import_run

    content = (
        "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username\n"
        f"{world.inmate.doc_id},{world.inmate.last_name},{world.inmate.first_name},"
        f"{world.inmate.date_of_birth:%Y-%m-%d},incarcerated,ACC,,\n"
    )
    result = import_run(kind="offenders", content=content, user=world.admin, commit=True)
    assert result.ok
    event = OffenderEvent.objects.get(offender=world.inmate)
    assert (event.kind, event.before, event.after) == (
        OffenderEventKind.FACILITY,
        str(world.jccc.pk),
        str(world.acc.pk),
    )


# Parole hearings -------------------------------------------------------------------------------


def test_officer_records_a_parole_hearing_and_it_is_on_the_timeline(
    world, client_for, handled, django_capture_on_commit_callbacks
):
    client = client_for(world.officer)
    url = reverse("core:offender_parole_hearing_add", args=[world.supervised.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"hearing_date": "2026-11-03", "outcome": ParoleOutcome.CONTINUED, "next_hearing_date": "2027-02-02"}
        )
    assert response.status_code == 302
    hearing = ParoleHearing.objects.get()
    assert hearing.entered_by == world.officer
    assert handled["seen"] == [(OffenderEventKind.PAROLE_HEARING, "", ParoleOutcome.CONTINUED)]
    page = client.get(reverse("core:offender_timeline", args=[world.supervised.pk])).content.decode()
    assert "Parole hearing" in page and "next hearing Feb 2, 2027" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"hearing_date": "", "outcome": ParoleOutcome.DENIED}, "hearing_date"),
        ({"hearing_date": "2026-11-03", "outcome": "maybe"}, "outcome"),
        ({"hearing_date": "2026-11-03", "outcome": "denied", "next_hearing_date": "2026-11-01"}, "next_hearing_date"),
        ({"hearing_date": "not a date", "outcome": "denied"}, "hearing_date"),
    ],
)
def test_bad_parole_hearing_input_says_why_and_stores_nothing(world, client_for, data, field):
    response = client_for(world.officer).post(
        reverse("core:offender_parole_hearing_add", args=[world.supervised.pk]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ParoleHearing.objects.exists()
    assert not OffenderEvent.objects.exists()


def test_a_second_hearing_on_the_same_day_is_refused_with_a_message(world, client_for):
    client = client_for(world.officer)
    url = reverse("core:offender_parole_hearing_add", args=[world.supervised.pk])
    client.post(url, {"hearing_date": "2026-11-03", "outcome": "denied"})
    response = client.post(url, {"hearing_date": "2026-11-03", "outcome": "granted"})
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors)
    assert ParoleHearing.objects.count() == 1


def test_hearing_and_timeline_pages_are_404_outside_scope(world, client_for):
    client = client_for(world.officer_d10)
    assert client.get(reverse("core:offender_timeline", args=[world.supervised.pk])).status_code == 404
    url = reverse("core:offender_parole_hearing_add", args=[world.supervised.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"hearing_date": "2026-11-03", "outcome": "denied"}).status_code == 404
    # The auditor reads the timeline but records nothing.
    auditor = client_for(world.auditor)
    assert auditor.get(reverse("core:offender_timeline", args=[world.supervised.pk])).status_code == 200
    assert auditor.get(url).status_code == 404
    assert not ParoleHearing.objects.exists()


# The timeline -----------------------------------------------------------------------------------


def test_timeline_merges_programs_newest_first_and_filters_by_program(world, client_for):
    ob = obligation(world.case, amount="300.00", ordered_on=dt.date(2026, 1, 5))
    pay(world.supervised, "25.00", dt.date(2026, 2, 1), user=world.officer)
    offender_status_set(offender=world.supervised, status=OffenderStatus.DISCHARGED, user=world.admin)
    client = client_for(world.supervisor)  # a discharged person leaves the officer's caseload, not the district
    url = reverse("core:offender_timeline", args=[world.supervised.pk])
    response = client.get(url)
    items = response.context["page_obj"].object_list
    assert [i.kind for i in items][-2:] == ["Payment", "Restitution ordered"]
    # Discharged today: the status and the officer it ended, both above the older restitution lines.
    assert {i.kind for i in items[:2]} == {"Status changed", "Supervising officer changed"}
    assert any("Supervised → Discharged" in i.text for i in items[:2])
    assert any(i.url == ob.get_absolute_url() for i in items)
    only = client.get(url, {"program": "restitution"}).context["page_obj"].object_list
    assert {i.program for i in only} == {"restitution"}
    # A payee's name never reaches the timeline (a payee may be a victim).
    assert ob.payee.name not in response.content.decode()


def test_timeline_is_paginated_and_keeps_the_filter(world, client_for):
    obligation(world.case, amount="5000.00", ordered_on=dt.date(2025, 1, 5))
    for day in range(30):
        pay(world.supervised, "1.00", dt.date(2025, 3, 1) + dt.timedelta(days=day))
    client = client_for(world.officer)
    url = reverse("core:offender_timeline", args=[world.supervised.pk])
    first = client.get(url, {"program": "restitution"})
    assert len(first.context["page_obj"].object_list) == 25
    assert "program=restitution&amp;page=2" in first.content.decode()
    second = client.get(url, {"program": "restitution", "page": 2})
    assert len(second.context["page_obj"].object_list) == 6


def test_timeline_empty_state(world, client_for):
    page = client_for(world.officer).get(reverse("core:offender_timeline", args=[world.supervised.pk]))
    assert "Nothing is recorded for this person yet" in page.content.decode()


def test_timeline_query_count_is_flat(world, client_for):
    obligation(world.case, amount="5000.00", ordered_on=dt.date(2025, 1, 5))
    client = client_for(world.officer)
    url = reverse("core:offender_timeline", args=[world.supervised.pk])

    def make_row(i):
        pay(world.supervised, "1.00", dt.date(2025, 3, 1) + dt.timedelta(days=i))

    at_1, at_20 = queries_at_1_and_20(client, url, make_row)
    assert at_1 == at_20


# The conflict check ------------------------------------------------------------------------------


def test_normalizers_compare_what_people_type():
    assert normalize_name("  O'Brien,  José ") == normalize_name("jose obrien")
    assert normalize_phone("(573) 751-2389") == normalize_phone("+1 573 751 2389") == "5737512389"
    assert normalize_address("2729 Plaza Drive, Suite 4") == normalize_address("2729 plaza dr. ste 4")


def test_no_checker_means_no_conflict(world):
    result = conflict_check(offender=world.supervised, person=PersonDetails.of(name="Ann Smith"))
    assert not result.possible and result.references == ()
    assert result.message == "No conflict found."


def test_a_checker_hit_gives_only_an_opaque_reference(world):
    protected = PersonDetails.of(name="Ann Smith", phone="573-555-0101")

    def check(offender, person):
        if offender.pk == world.supervised.pk and (person.phone == protected.phone or person.name == protected.name):
            return "v-7f3a"
        return None

    entry = registry.conflict_checker(ConflictChecker(slug="test-victims", check=check))
    try:
        hit = conflict_check(offender=world.supervised, person=PersonDetails.of(name="smith, ann"))
        other = conflict_check(offender=world.supervised_d10, person=PersonDetails.of(name="Ann Smith"))
    finally:
        registry.conflict_checkers.pop(entry.slug)
    assert hit.possible and hit.references == ("test-victims:v-7f3a",)
    assert "refer to victim services" in hit.message
    assert "Smith" not in hit.message and "555" not in hit.message
    assert not other.possible


def test_event_kinds_are_checked(world):
    with pytest.raises(ValueError):
        events.emit(offender=world.supervised, kind="moved_house")
    assert not OffenderEvent.objects.exists()
