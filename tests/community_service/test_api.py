"""The API: pace figures as of a date for the orders in the user's scope; records read-only; a log voided."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from community_service.models import HourLog
from community_service.pace import evaluate
from tests.factories.community_service import log

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_pace_as_of_a_date_matches_the_rule(world, cs):
    log(cs.order, cs.place, dt.date(2026, 5, 1), "12.00", user=world.officer)
    log(cs.order, cs.place, dt.date(2026, 6, 1), "8.00", user=world.officer)
    response = api(world.officer).get("/api/v1/community-service/", {"as_of": "2026-05-15"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["order"] for r in rows] == [cs.order.pk]  # officer.d10's order is not theirs
    expected = evaluate(
        hours_ordered=Decimal("100.00"),
        ordered_on=dt.date(2026, 1, 1),
        due_on=dt.date(2026, 12, 31),
        as_of=dt.date(2026, 5, 15),
        credited_logs=[(dt.date(2026, 5, 1), Decimal("12.00")), (dt.date(2026, 6, 1), Decimal("8.00"))],
        supervision_end=world.supervised.supervision_end_date,
    )
    row = rows[0]
    assert (row["as_of"], row["credited"], row["expected"], row["behind"], row["status"]) == (
        "2026-05-15",
        "12.00",
        str(expected.expected),
        str(expected.behind),
        expected.status,
    )
    assert row["case_number"] == world.case.case_number
    admin_rows = api(world.admin).get("/api/v1/community-service/", {"as_of": "2026-06-15"}).json()["results"]
    assert {r["order"] for r in admin_rows} == {cs.order.pk, cs.order_d10.pk}
    # Before the orders were made: nothing to list.
    assert api(world.admin).get("/api/v1/community-service/", {"as_of": "2025-12-31"}).json()["results"] == []


def test_a_bad_date_is_a_400_in_plain_words(world, cs):
    response = api(world.officer).get("/api/v1/community-service/", {"as_of": "15/05/2026"})
    assert response.status_code == 400
    assert response.json() == {"as_of": ["Enter a date as YYYY-MM-DD, for example 2026-06-30."]}


def test_facility_staff_and_anonymous_get_nothing(world, cs):
    assert api(world.staff_jccc).get("/api/v1/community-service/").json()["results"] == []
    assert APIClient().get("/api/v1/community-service/").status_code in (401, 403)


def test_records_are_read_only_and_a_log_is_voided_through_its_action(world, cs):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer)
    client = api(world.officer)
    assert client.get(f"/api/v1/community-service/hours/{entry.pk}/").json()["credited_hours"] == "3.00"
    assert client.patch(f"/api/v1/community-service/hours/{entry.pk}/", {"hours": "9"}).status_code == 405
    assert client.post("/api/v1/community-service/orders/", {}).status_code == 405
    response = client.post(f"/api/v1/community-service/hours/{entry.pk}/void/", {"reason": "Wrong day"})
    assert response.status_code == 200
    assert HourLog.objects.get(pk=entry.pk).void_reason == "Wrong day"
    assert (
        api(world.officer_d10).post(f"/api/v1/community-service/hours/{entry.pk}/void/", {"reason": "x"}).status_code
        == 404
    )
