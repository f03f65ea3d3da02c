"""The victims' lists and pages run the same number of queries at 1 row and at 20 rows."""

import pytest
from django.urls import reverse

from core.conflicts import PersonDetails
from tests.factories.victims import PHONE, make_statement, make_victim
from tests.queries import queries_at_1_and_20
from victims.conflicts import check
from victims.models import ReadLog

pytestmark = pytest.mark.django_db


def test_the_victim_list_with_names_and_its_read_log_rows(world, client_for):
    client = client_for(world.victims)
    made = []

    def row(i):
        made.append(make_victim(cases=[world.case], identity={"name": f"Person Number{i:02d}"}))

    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:victim_list"), row, lambda i: f"Person Number{i:02d}")
    assert at_1 == at_20
    assert ReadLog.objects.filter(source="list").count() == 1 + 1 + 20  # warm-up, at 1, at 20: one per name shown


def test_the_read_log_page(world, victim, client_for):
    client = client_for(world.auditor)

    def row(i):
        ReadLog.objects.create(user=world.victims, victim=victim, what="identity", source="page", path=f"/p{i:02d}/")

    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:readlog_list"), row, lambda i: f"/p{i:02d}/")
    assert at_1 == at_20


def test_the_conflict_list(world, client_for):
    client = client_for(world.victims)

    def row(i):
        make_victim(cases=[world.case], identity={"phone": f"573-555-01{i:02d}", "name": f"Name{i}"})
        check(world.supervised, PersonDetails.of(name="Pat Doe", phone=f"573-555-01{i:02d}"))

    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:conflictmatch_list"), row)
    assert at_1 == at_20


def test_a_case_with_many_victims_and_a_victim_with_many_statements(world, client_for):
    client = client_for(world.officer)
    first = []

    def row(i):
        victim = make_victim(cases=[world.case], identity={"phone": PHONE})
        first.append(victim)
        make_statement(first[0], losses=[("medical", "10.00", "")])

    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:case_victims", args=[world.case.pk]), row)
    assert at_1 == at_20
    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:victim_detail", args=[first[0].pk]), lambda i: None)
    assert at_1 == at_20


def test_the_notification_list_and_a_notice_with_many_attempts(world, client_for):
    from core.events import emit
    from victims.services import notification_record_call, notifications_for_event

    client = client_for(world.victims)
    victim = make_victim(cases=[world.case], statutory_category="domestic_assault", notify_by_phone=True)
    notices = []

    def row(i):
        event = emit(offender=world.supervised, kind="status", before="incarcerated", after="supervised")
        notices.extend(notifications_for_event(event))

    at_1, at_20 = queries_at_1_and_20(client, reverse("victims:notification_list"), row)
    assert at_1 == at_20 and len(notices) == 20 and victim.notifications.count() == 20

    def attempt(i):
        notification_record_call(user=world.victims, notification=notices[0], outcome="no_answer", note=f"Try {i:02d}")

    url = reverse("victims:notification_detail", args=[notices[0].pk])
    at_1, at_20 = queries_at_1_and_20(client, url, attempt, lambda i: f"Try {i:02d}")
    assert at_1 == at_20
