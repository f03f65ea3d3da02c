"""The API's limits (issue 17, item 5): a page is at most 500 rows, a limit or offset out of range is a
400 (``?limit=99999999999999999999`` was a 500 and ``?limit=100000`` returned everything), and a
filter naming a record out of the user's scope answers as one naming no record at all (it answered
200 where an unknown id answered 400, confirming that the record exists)."""

import pytest

from tests.factories import OffenderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query,param",
    [
        ("limit=99999999999999999999", "limit"),
        ("limit=100000", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=99999999999999999999", "offset"),
        ("offset=-1", "offset"),
    ],
)
def test_a_limit_or_offset_out_of_range_is_a_400_that_says_why(world, client_for, query, param):
    response = client_for(world.admin).get(f"/api/v1/offenders/?{query}")
    assert response.status_code == 400
    assert "A whole number from" in response.json()[param][0]


def test_pages_are_50_rows_by_default_and_500_at_most(world, client_for):
    OffenderFactory.create_batch(60, district=world.d10)
    client = client_for(world.admin)
    body = client.get("/api/v1/offenders/").json()
    assert body["count"] == 63 and len(body["results"]) == 50 and body["next"]
    assert len(client.get("/api/v1/offenders/?limit=500").json()["results"]) == 63
    assert len(client.get("/api/v1/offenders/?limit=10&offset=60").json()["results"]) == 3


@pytest.mark.parametrize("url", ["/api/v1/cases/?offender={pk}", "/api/v1/offenders/?supervising_officer={user}"])
def test_a_filter_on_a_record_out_of_scope_answers_as_an_unknown_one(world, client_for, url):
    client = client_for(world.officer)
    out_of_scope = url.format(pk=world.supervised_d10.pk, user=world.officer_d10.pk)
    unknown = url.format(pk=99_999_999, user=99_999_999)
    answers = [client.get(out_of_scope), client.get(unknown)]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    # In scope, the filter works.
    mine = client.get(url.format(pk=world.supervised.pk, user=world.officer.pk))
    assert mine.status_code == 200 and mine.json()["count"] >= 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-01-01T00:00:00+23:59", "The time zone offset is out of range"),
        ("2026-01-01T00:00:00-16:00", "The time zone offset is out of range"),
        ("9999-12-31T23:59:59-15:00", "The date and time are out of range."),
    ],
)
def test_a_date_time_filter_out_of_postgresql_range_is_a_400(world, client_for, value, message):
    """Before: a 500 (PostgreSQL: "time zone displacement out of range")."""
    response = client_for(world.officer).get("/api/v1/restitution/alerts/", {"read_at": value})
    assert response.status_code == 400
    assert response.json()["read_at"][0].startswith(message)
    ok = client_for(world.officer).get("/api/v1/restitution/alerts/", {"read_at": "2026-01-01T00:00:00+15:59"})
    assert ok.status_code == 200
