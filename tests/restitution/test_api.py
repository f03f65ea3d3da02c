"""The API under /api/v1/restitution/: figures as of a date, idempotent posting, scope."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.jobs import job_run
from restitution.models import Payment

pytestmark = pytest.mark.django_db
BASE = "/api/v1/restitution"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_obligations_carry_the_figures_as_of_a_date(world, book, api):
    response = api(world.officer).get(f"{BASE}/obligations/", {"as_of": "2026-06-15"})
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["results"]}
    assert set(rows) == {book.restitution.pk, book.cvcf.pk}
    r = rows[book.restitution.pk]
    assert {k: r[k] for k in ("ordered_amount", "paid", "balance", "expected", "arrears")} == {
        "ordered_amount": "1200.00",
        "paid": "200.00",
        "balance": "1000.00",
        "expected": "600.00",
        "arrears": "400.00",
    }
    assert (r["days_past_due"], r["past_due_since"], r["status"], r["as_of"]) == (
        92,
        "2026-03-15",
        "delinquent",
        "2026-06-15",
    )
    earlier = api(world.officer).get(f"{BASE}/obligations/{book.restitution.pk}/", {"as_of": "2026-02-20"}).json()
    assert (earlier["expected"], earlier["arrears"], earlier["status"]) == ("200.00", "0.00", "current")
    before = api(world.officer).get(f"{BASE}/obligations/{book.restitution.pk}/", {"as_of": "2025-01-01"}).json()
    assert before["status"] is None  # not yet ordered
    assert api(world.officer).get(f"{BASE}/obligations/", {"as_of": "June"}).status_code == 400


def test_today_is_the_default_date(world, book, api):
    row = api(world.officer).get(f"{BASE}/obligations/{book.cvcf.pk}/").json()
    assert (row["as_of"], row["arrears"], row["days_past_due"]) == ("2026-06-15", "60.00", 151)


def test_posting_a_payment_honours_the_idempotency_key(world, book, api):
    client = api(world.officer)
    body = {"offender": world.supervised.pk, "amount": "125.50", "received_on": "2026-06-14", "method": "electronic"}
    first = client.post(f"{BASE}/payments/", body, format="json", headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["amount"] == "125.50"
    assert sum(float(a["amount"]) for a in data["allocations"]) == 125.5
    assert data["receipt_number"].startswith("RJ-1000001-")
    again = client.post(f"{BASE}/payments/", body, format="json", headers={"Idempotency-Key": "abc-1"})
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == data
    assert Payment.objects.filter(offender=world.supervised).count() == 3
    conflict = client.post(
        f"{BASE}/payments/", {**body, "amount": "1.00"}, format="json", headers={"Idempotency-Key": "abc-1"}
    )
    assert conflict.status_code == 409
    # Without a key every POST is a new payment.
    assert client.post(f"{BASE}/payments/", body, format="json").status_code == 201
    assert client.post(f"{BASE}/payments/", body, format="json").status_code == 201


def test_payments_for_people_outside_the_scope_are_refused(world, book, api):
    body = {"offender": world.supervised.pk, "amount": "10.00", "received_on": "2026-06-14", "method": "electronic"}
    assert api(world.officer_d10).post(f"{BASE}/payments/", body, format="json").status_code == 400
    assert api(world.auditor).post(f"{BASE}/payments/", body, format="json").status_code == 403
    assert api(world.victims).post(f"{BASE}/payments/", body, format="json").status_code == 403
    future = {**body, "received_on": "2026-07-01"}
    response = api(world.officer).post(f"{BASE}/payments/", future, format="json")
    assert response.status_code == 400 and "future" in str(response.json())


def test_payments_cannot_be_edited_or_deleted(world, book, api):
    url = f"{BASE}/payments/{book.p1.pk}/"
    assert api(world.admin).patch(url, {"amount": "1.00"}, format="json").status_code == 405
    assert api(world.admin).delete(url).status_code == 405


@pytest.mark.parametrize("endpoint", ["obligations", "payments", "allocations", "snapshots"])
def test_every_endpoint_is_scoped(world, book, api, endpoint):
    job_run(name="compliance", run_date=dt.date(2026, 6, 15))

    def count(user):
        return api(user).get(f"{BASE}/{endpoint}/").json()["count"]

    mine, theirs, admin = count(world.officer), count(world.officer_d10), count(world.admin)
    assert mine and theirs and mine + theirs == admin
    assert count(world.supervisor) == mine
    assert count(world.officer2) == 0
    assert count(world.staff_jccc) == 0


def test_outsiders_get_404_on_one_record(world, book, api):
    for path in (f"obligations/{book.restitution.pk}/", f"payments/{book.p1.pk}/"):
        assert api(world.officer_d10).get(f"{BASE}/{path}").status_code == 404
        assert api(world.officer).get(f"{BASE}/{path}").status_code == 200


def test_snapshots_by_date_and_alerts(world, book, api):
    job_run(name="compliance", run_date=dt.date(2026, 6, 14))
    job_run(name="compliance", run_date=dt.date(2026, 6, 15))
    rows = api(world.officer).get(f"{BASE}/snapshots/", {"as_of": "2026-06-15"}).json()["results"]
    assert {r["as_of"] for r in rows} == {"2026-06-15"} and len(rows) == 2
    assert {r["status"] for r in rows} == {"delinquent"}
    alerts = api(world.officer).get(f"{BASE}/alerts/").json()["results"]
    assert len(alerts) == 2 and all(a["key"].startswith("restitution:delinquent:2026-06-14:") for a in alerts)
    assert api(world.officer_d10).get(f"{BASE}/alerts/").json()["count"] == 0
