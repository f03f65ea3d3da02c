"""The API: pace figures as of a date for the orders in the user's scope; records read-only; a log voided."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from community_service import services
from community_service.models import HourLog, Order, Placement
from community_service.pace import evaluate
from tests.factories.community_service import AgencyFactory, log

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


def test_a_log_is_voided_through_its_action_and_nothing_is_deleted(world, cs):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer)
    client = api(world.officer)
    assert client.get(f"/api/v1/community-service/hours/{entry.pk}/").json()["credited_hours"] == "3.00"
    assert client.delete(f"/api/v1/community-service/hours/{entry.pk}/").status_code == 405
    assert client.delete(f"/api/v1/community-service/orders/{cs.order.pk}/").status_code == 405
    response = client.post(f"/api/v1/community-service/hours/{entry.pk}/void/", {"reason": "Wrong day"})
    assert response.status_code == 200
    assert HourLog.objects.get(pk=entry.pk).void_reason == "Wrong day"
    assert (
        api(world.officer_d10).post(f"/api/v1/community-service/hours/{entry.pk}/void/", {"reason": "x"}).status_code
        == 404
    )


# Writes through the services: orders ------------------------------------------------------------------------
ORDERS = "/api/v1/community-service/orders/"
PLACEMENTS = "/api/v1/community-service/placements/"
HOURS = "/api/v1/community-service/hours/"


def new_order(world, **extra):
    data = {
        "offender": world.supervised.pk,
        "case": world.case.pk,
        "hours_ordered": "40.00",
        "ordered_on": "2026-05-01",
        "due_on": "2026-11-30",
    }
    data.update(extra)
    return data


def test_an_officer_opens_and_changes_an_order_of_their_person(world, cs):
    client = api(world.officer)
    response = client.post(ORDERS, new_order(world, schedule="consecutive", follows=cs.order.pk), format="json")
    assert response.status_code == 201, response.json()
    order = Order.objects.get(pk=response.json()["id"])
    assert (order.hours_ordered, order.follows, order.status) == (Decimal("40.00"), cs.order, "open")
    assert order.history.first().history_user == world.officer
    response = client.patch(f"{ORDERS}{order.pk}/", {"hours_ordered": "45.50", "note": "Amended"}, format="json")
    assert response.status_code == 200 and response.json()["hours_ordered"] == "45.50"
    assert Order.objects.get(pk=order.pk).note == "Amended"
    # status is not written through the API: closing is its own page (every hour credited)
    client.patch(f"{ORDERS}{order.pk}/", {"status": "completed"}, format="json")
    assert Order.objects.get(pk=order.pk).status == "open"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"due_on": "2026-04-01"}, "due_on", "The due date must be after the order date."),
        ({"source": "fine"}, "fine_rate", "An order in lieu of a fine needs the dollars each hour pays off."),
        ({"schedule": "consecutive"}, "follows", "A consecutive order names the order it starts after."),
        ({"hours_ordered": "abc"}, "hours_ordered", "A valid number is required."),
        ({"hours_ordered": "0"}, "hours_ordered", "greater than or equal to 0.01"),
        ({"ordered_on": "2026-13-01"}, "ordered_on", "Date has wrong format"),
        ({"case": "CASE"}, "case", "Incorrect type"),
        ({"note": "bad\x00note"}, "note", "Null characters are not allowed."),
    ],
)
def test_bad_orders_are_clear_400s_and_store_nothing(world, cs, extra, field, message):
    before = Order.objects.count()
    response = api(world.officer).post(ORDERS, new_order(world, **extra), format="json")
    assert response.status_code == 400
    assert any(message.lower() in m.lower() for m in response.json()[field]), response.json()
    assert Order.objects.count() == before


def test_orders_out_of_scope_are_refused(world, cs):
    before = Order.objects.count()
    # officer.d9 cannot open an order for officer.d10's person, nor change one, nor may an auditor write.
    theirs = api(world.officer).post(
        ORDERS, new_order(world, offender=world.supervised_d10.pk, case=world.case_d10.pk), format="json"
    )
    assert theirs.status_code == 400 and set(theirs.json()) & {"offender", "case", "non_field_errors"}
    assert api(world.officer).patch(f"{ORDERS}{cs.order_d10.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api(world.auditor).post(ORDERS, new_order(world), format="json").status_code == 403
    assert Order.objects.count() == before
    mixed = api(world.officer).post(ORDERS, new_order(world, case=world.case_d10.pk), format="json")
    assert mixed.status_code == 400 and Order.objects.count() == before


def test_a_closed_order_is_not_changed(world, cs):
    services.order_close(order=cs.order, user=world.admin, status="revoked", closed_on=dt.date(2026, 6, 1))
    response = api(world.officer).patch(f"{ORDERS}{cs.order.pk}/", {"note": "late"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This order is revoked: a closed order is not changed."]}


def test_an_order_date_after_its_logged_hours_is_refused(world, cs):
    log(cs.order, cs.place, dt.date(2026, 3, 2), "2.00", user=world.officer)
    response = api(world.officer).patch(f"{ORDERS}{cs.order.pk}/", {"ordered_on": "2026-04-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ordered_on": ["Hours are logged on Mar 2, 2026, before that date."]}
    assert Order.objects.get(pk=cs.order.pk).ordered_on == dt.date(2026, 1, 1)


# Placements ---------------------------------------------------------------------------------------------------
def test_placements_are_made_and_ended_through_the_service(world, cs):
    other = AgencyFactory()
    client = api(world.officer)
    response = client.post(
        PLACEMENTS, {"offender": world.supervised.pk, "agency": other.pk, "start_on": "2026-06-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    place = Placement.objects.get(pk=response.json()["id"])
    response = client.patch(f"{PLACEMENTS}{place.pk}/", {"end_on": "2026-06-10"}, format="json")
    assert response.status_code == 200 and Placement.objects.get(pk=place.pk).end_on == dt.date(2026, 6, 10)
    moved = client.patch(f"{PLACEMENTS}{place.pk}/", {"agency": cs.agency.pk}, format="json")
    assert moved.status_code == 400
    assert moved.json() == {
        "agency": ["A placement keeps its person, agency and start: end it and make a new placement."]
    }
    assert Placement.objects.get(pk=place.pk).agency == other


def test_bad_placements_are_clear_400s_and_store_nothing(world, cs):
    lapsed = AgencyFactory(agreement_start=dt.date(2024, 1, 1), agreement_end=dt.date(2025, 12, 31))
    client = api(world.officer)
    before = Placement.objects.count()
    response = client.post(
        PLACEMENTS, {"offender": world.supervised.pk, "agency": lapsed.pk, "start_on": "2026-06-01"}, format="json"
    )
    assert response.status_code == 400 and "has no agreement on file" in response.json()["agency"][0]
    response = client.post(
        PLACEMENTS,
        {"offender": world.supervised.pk, "agency": cs.agency.pk, "start_on": "2026-06-01", "end_on": "2026-05-01"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["end_on"] == ["The placement ends before it starts."]
    log(cs.order, cs.place, dt.date(2026, 6, 5), "2.00", user=world.officer)
    response = client.patch(f"{PLACEMENTS}{cs.place.pk}/", {"end_on": "2026-06-01"}, format="json")
    assert response.status_code == 400 and response.json() == {
        "end_on": ["Hours are logged on Jun 5, 2026, after that date."]
    }
    assert Placement.objects.count() == before and Placement.objects.get(pk=cs.place.pk).end_on is None


def test_placements_out_of_scope_are_refused(world, cs):
    client = api(world.officer)
    before = Placement.objects.count()
    theirs = client.post(
        PLACEMENTS, {"offender": world.supervised_d10.pk, "agency": cs.agency.pk, "start_on": "2026-06-01"}
    )
    assert theirs.status_code == 400
    assert client.patch(f"{PLACEMENTS}{cs.place_d10.pk}/", {"note": "x"}, format="json").status_code == 404
    assert api(world.auditor).patch(f"{PLACEMENTS}{cs.place.pk}/", {"note": "x"}, format="json").status_code == 403
    assert Placement.objects.count() == before


# Hour logs -----------------------------------------------------------------------------------------------------
def new_hours(cs, **extra):
    data = {"order": cs.order.pk, "placement": cs.place.pk, "date": "2026-06-10", "task": "Sorting"}
    data.update(extra)
    return data


def test_hours_are_recorded_pending_and_corrected_while_pending(world, cs):
    client = api(world.officer)
    response = client.post(
        HOURS,
        new_hours(cs, start_time="08:00", end_time="11:15", verification="verified", credited_hours="3.25"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["hours"], body["verification"], body["credited_hours"], body["source"]) == (
        "3.25",
        "pending",
        "0.00",
        "officer",
    )
    entry = HourLog.objects.get(pk=body["id"])
    assert entry.entered_by == world.officer
    response = client.patch(f"{HOURS}{entry.pk}/", {"start_time": "09:00"}, format="json")
    assert response.status_code == 200 and response.json()["hours"] == "2.25"
    assert entry.history.first().history_change_reason == "Corrected through the API"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"date": "2026-06-16", "hours": "2"}, "date", "future"),
        ({"date": "2026-01-20", "hours": "2"}, "date", "This is before the placement starts (Feb 1, 2026)."),
        ({"hours": "17"}, "hours", ""),
        ({"date": "2026-06-01", "hours": "14"}, "hours", "more than 16 hours in one day"),
        ({"date": "2026-06-01", "start_time": "09:30", "end_time": "10:00"}, "start_time", "overlap"),
        ({"start_time": "12:00", "end_time": "09:00"}, "end_time", "The end time must be after the start time."),
        ({}, "hours", "Enter the hours worked, or the start and end times."),
        ({"hours": "1.234"}, "hours", "decimal"),
        ({"hours": "2", "task": ""}, "task", "may not be blank"),
        ({"hours": "2", "order": 999999}, "order", "does not exist"),
    ],
)
def test_bad_hours_are_clear_400s_and_store_nothing(world, cs, extra, field, message):
    log(cs.order, cs.place, dt.date(2026, 6, 1), None, user=world.officer, start=dt.time(9), end=dt.time(12))
    before = HourLog.objects.count()
    response = api(world.officer).post(HOURS, new_hours(cs, **extra), format="json")
    assert response.status_code == 400
    assert any(message.lower() in m.lower() for m in response.json()[field]), response.json()
    assert HourLog.objects.count() == before


def test_hours_out_of_scope_or_locked_are_refused(world, cs):
    theirs = log(cs.order_d10, cs.place_d10, dt.date(2026, 6, 1), "2.00", user=world.admin, verified=False)
    verified = log(cs.order, cs.place, dt.date(2026, 6, 2), "2.00", user=world.officer)
    client = api(world.officer)
    before = HourLog.objects.count()
    posted = client.post(HOURS, {**new_hours(cs_d10 := cs, hours="2"), "order": cs_d10.order_d10.pk}, format="json")
    assert posted.status_code == 400  # another officer's order
    assert client.patch(f"{HOURS}{theirs.pk}/", {"task": "x"}, format="json").status_code == 404
    locked = client.patch(f"{HOURS}{verified.pk}/", {"task": "x"}, format="json")
    assert locked.status_code == 400
    assert "locked: void it with a reason" in locked.json()["non_field_errors"][0]
    assert api(world.auditor).post(HOURS, new_hours(cs, hours="2"), format="json").status_code == 403
    assert HourLog.objects.count() == before
    assert HourLog.objects.get(pk=verified.pk).task == "Sorting"
