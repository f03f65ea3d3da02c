"""Generating an offering's sessions from its curriculum version (preview, then create; no duplicates on a
rerun) and revising the curriculum (a new version; enrollments keep theirs): the pages, their bad input
(clear messages, nothing stored), their scope and their query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classes import services
from classes.choices import OfferingStatus
from classes.models import CurriculumVersion, Offering, ScheduledSession
from tests.factories import OffenderFactory
from tests.factories.classes import enroll, missouri, offering

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 9, 1)


@pytest.fixture
def bare(world, time_machine):
    """A JCCC class with no sessions yet, starting on Tuesday, Sep 1, 2026; the clock on Aug 20."""
    time_machine.move_to(dt.datetime(2026, 8, 20, 15, 0, tzinfo=dt.UTC))
    return services.offering_save(
        offering=Offering(facility=world.jccc, version=missouri(), title="Fall class", capacity=12, starts_on=TUESDAY),
        user=world.admin,
        facilitators=[],
    )


def schedule(client, o, confirm=False, **fields):
    data = {"starts_on": "2026-09-01", "weekdays": ["1", "3"], "start_time": "13:00", "end_time": "17:00"}
    data["room"] = "Chapel"
    data.update(fields)
    if confirm:
        data["confirm"] = "1"
    return client.post(f"/classes/offerings/{o.pk}/schedule/", {k: v for k, v in data.items() if v is not None})


def test_sessions_are_previewed_then_created_and_a_rerun_adds_nothing(world, bare, client_for):
    client = client_for(world.staff_jccc)
    page = client.get(f"/classes/offerings/{bare.pk}/schedule/")
    assert page.status_code == 200 and page.context["form"].initial["weekdays"] == [1]
    preview = schedule(client, bare)
    assert preview.status_code == 200 and not ScheduledSession.objects.filter(offering=bare).exists()
    plan = preview.context["plan"]
    # Tuesdays and Thursdays from Sep 1: ten sessions in the curriculum's order.
    assert [p.date for p in plan][:4] == [
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 3),
        dt.date(2026, 9, 8),
        TUESDAY + dt.timedelta(days=9),
    ]
    assert plan[-1].date == dt.date(2026, 10, 1) and "Create 10 sessions" in preview.content.decode()
    done = schedule(client, bare, confirm=True)
    assert done.status_code == 302 and done["Location"] == bare.get_absolute_url()
    sessions = list(bare.sessions.select_related("topic").order_by("date"))
    assert len(sessions) == 10
    version_sessions = list(bare.version.sessions.order_by("position"))
    assert [s.topic_id for s in sessions] == [v.topic_id for v in version_sessions]
    assert {(s.start_time, s.end_time, s.room, s.hours) for s in sessions} == {
        (dt.time(13), dt.time(17), "Chapel", Decimal("4.00"))
    }
    # A rerun: every topic kept, nothing to create, nothing created.
    again = schedule(client, bare)
    assert all(p.existing for p in again.context["plan"]) and "nothing to create" in again.content.decode()
    refused = schedule(client, bare, confirm=True)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Every topic of this class's curriculum already has a session: nothing to add."
    ]
    assert bare.sessions.count() == 10


def test_only_missing_topics_are_added_and_taken_times_are_passed_over(world, bare, client_for):
    first, second = bare.version.sessions.select_related("topic").order_by("position")[:2]
    for topic, day in ((first.topic, dt.date(2026, 9, 1)), (second.topic, dt.date(2026, 9, 3))):
        services.session_schedule(
            user=world.admin, offering=bare, topic=topic, date=day, start_time=dt.time(13), end_time=dt.time(17)
        )
    response = schedule(client_for(world.staff_jccc), bare, confirm=True)
    assert response.status_code == 302
    added = list(bare.sessions.order_by("date").values_list("date", flat=True))
    assert len(added) == 10 and len(set(added)) == 10  # Sep 1 and 3 were taken at 13:00: not used twice
    assert added[2] == dt.date(2026, 9, 8)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"weekdays": None}, "weekdays", "Choose at least one weekday."),
        ({"weekdays": ["9"]}, "weekdays", "Select a valid choice. 9 is not one of the available choices."),
        ({"end_time": "12:00"}, "end_time", "The session ends before it starts."),
        (
            {"starts_on": "2026-08-25"},
            "starts_on",
            "The class starts on Sep 1, 2026: the sessions cannot start before.",
        ),
        ({"starts_on": "2026-02-30"}, "starts_on", "Enter a valid date."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"room": "x" * 61}, "room", "Ensure this value has at most 60 characters (it has 61)."),
    ],
)
def test_bad_schedules_are_refused_under_their_field_and_create_nothing(
    world, bare, client_for, fields, field, message
):
    for confirm in (False, True):
        response = schedule(client_for(world.staff_jccc), bare, confirm=confirm, **fields)
        assert response.status_code == 200
        assert message in response.context["form"].errors[field], response.context["form"].errors
    assert not bare.sessions.exists()


def test_a_closed_class_takes_no_sessions(world, bare, client_for):
    Offering.objects.filter(pk=bare.pk).update(status=OfferingStatus.CANCELLED)
    response = schedule(client_for(world.staff_jccc), bare, confirm=True)
    assert response.context["form"].errors["starts_on"] == ["This offering is closed: no sessions can be added."]
    assert not bare.sessions.exists()


def test_only_those_who_may_change_the_class_schedule_it(world, bare, client_for):
    for user in (world.staff_acc, world.officer, world.auditor, world.victims):
        client = client_for(user)
        assert client.get(f"/classes/offerings/{bare.pk}/schedule/").status_code == 404, user
        assert schedule(client, bare, confirm=True).status_code == 404, user
    assert not bare.sessions.exists()
    assert (
        "Schedule the sessions from the curriculum"
        in client_for(world.staff_jccc).get(bare.get_absolute_url()).content.decode()
    )


def test_the_preview_runs_the_same_queries_with_none_or_all_sessions_scheduled(world, bare, client_for):
    client = client_for(world.staff_jccc)
    schedule(client, bare)  # warm caches
    with CaptureQueriesContext(connection) as empty:
        assert len(schedule(client, bare).context["plan"]) == 10
    schedule(client, bare, confirm=True)
    with CaptureQueriesContext(connection) as full:
        assert all(p.existing for p in schedule(client, bare).context["plan"])
    assert len(full.captured_queries) == len(empty.captured_queries)


# Revising the curriculum ------------------------------------------------------------------------------
def revision(version, rows=None, confirm=False, **fields):
    rows = rows if rows is not None else [(s.topic_id, str(s.hours)) for s in version.sessions.order_by("position")]
    data = {
        "effective_on": "2026-07-01",
        "has_posttest": "on",
        "note": "The 2026 revision",
        "sessions-TOTAL_FORMS": str(len(rows)),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "40",
    }
    for i, (topic, hours) in enumerate(rows):
        data[f"sessions-{i}-topic"] = topic if topic is not None else ""
        data[f"sessions-{i}-hours"] = hours if hours is not None else ""
    data.update(fields)
    if confirm:
        data["confirm"] = "1"
    return data


def test_a_revision_is_previewed_then_made_a_new_version_and_enrollments_keep_theirs(world, client_for):
    old = missouri()
    o = offering(world.jccc)
    person = OffenderFactory(doc_id="4100001", status="incarcerated", facility=world.jccc, district=None)
    enrolled = enroll(o, person)
    client = client_for(world.admin)
    page = client.get(f"/classes/curriculum/{old.pk}/revise/")
    assert page.status_code == 200 and len(page.context["formset"].forms) == 13  # the ten, three empty
    assert "1 person enrolled on it now keeps it" in page.content.decode()
    assert "Revise: make version 2" in client.get(old.get_absolute_url()).content.decode()
    rows = [(s.topic_id, str(s.hours)) for s in old.sessions.order_by("position")]
    rows = [(rows[1][0], "2.5"), rows[0], *rows[2:9], (None, None)]  # swapped, one shortened, homicide dropped
    preview = client.post(f"/classes/curriculum/{old.pk}/revise/", revision(old, rows))
    assert preview.status_code == 200 and len(preview.context["preview"]) == 9
    assert CurriculumVersion.objects.filter(name=old.name).count() == 1  # nothing yet
    done = client.post(f"/classes/curriculum/{old.pk}/revise/", revision(old, rows, confirm=True))
    new = CurriculumVersion.objects.get(name=old.name, number=2)
    assert done.status_code == 302 and done["Location"] == new.get_absolute_url()
    assert [(s.topic_id, s.hours) for s in new.sessions.order_by("position")][:2] == [
        (rows[0][0], Decimal("2.50")),
        (rows[1][0], Decimal("4.00")),
    ]
    assert new.sessions.count() == 9 and new.has_posttest and not new.has_pretest and new.note == "The 2026 revision"
    old.refresh_from_db()
    enrolled.refresh_from_db()
    assert new.active and not old.active and enrolled.version == old
    # Only the latest version is revised.
    assert client.get(f"/classes/curriculum/{old.pk}/revise/").status_code == 404
    assert client.get(f"/classes/curriculum/{new.pk}/revise/").status_code == 200


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        ([(1, "4"), (1, "4")], ("sessions", 1, "topic"), "is already session 1: each topic appears once."),
        ([(None, None), (None, None)], ("formset",), "A curriculum has at least one session"),
        ([(1, None)], ("sessions", 0, "hours"), "Enter the hours of this session."),
        ([(None, "4")], ("sessions", 0, "topic"), "Choose the topic of this session, or clear its hours."),
        ([(1, "0.1")], ("sessions", 0, "hours"), "greater than or equal to 0.25"),
        ([(1, "41")], ("sessions", 0, "hours"), "less than or equal to 40"),
        ([(1, "abc")], ("sessions", 0, "hours"), "Enter a number."),
        ([(999999, "4")], ("sessions", 0, "topic"), "Select a valid choice."),
    ],
)
def test_bad_revisions_are_refused_with_clear_messages_and_store_nothing(world, client_for, rows, where, message):
    old = missouri()
    topic_ids = list(old.sessions.order_by("position").values_list("topic_id", flat=True))
    rows = [(topic_ids[t - 1] if t in (1, 2) else t, h) for t, h in rows]
    for confirm in (False, True):
        response = client_for(world.admin).post(f"/classes/curriculum/{old.pk}/revise/", revision(old, rows, confirm))
        assert response.status_code == 200
        formset = response.context["formset"]
        errors = formset.non_form_errors() if where[0] == "formset" else formset.forms[where[1]].errors[where[2]]
        assert any(message in e for e in errors), (errors, formset.errors)
    assert CurriculumVersion.objects.filter(name=old.name).count() == 1


def test_a_revision_with_a_bad_date_is_refused(world, client_for):
    old = missouri()
    response = client_for(world.admin).post(
        f"/classes/curriculum/{old.pk}/revise/", revision(old, effective_on="2026-13-01", confirm=True)
    )
    assert response.context["form"].errors["effective_on"] == ["Enter a valid date."]
    assert CurriculumVersion.objects.filter(name=old.name).count() == 1


def test_only_administrators_revise_the_curriculum(world, client_for):
    old = missouri()
    for user in (world.staff_jccc, world.auditor, world.officer, world.victims):
        client = client_for(user)
        assert client.get(f"/classes/curriculum/{old.pk}/revise/").status_code == 404, user
        assert client.post(f"/classes/curriculum/{old.pk}/revise/", revision(old, confirm=True)).status_code == 404
        assert "Revise: make version" not in client.get(old.get_absolute_url()).content.decode()
    assert CurriculumVersion.objects.filter(name=old.name).count() == 1
