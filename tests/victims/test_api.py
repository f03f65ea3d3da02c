"""/api/v1/victims/: the pages' rules through the API. Identity only for victim services and
administrators (no identity field in what any other role receives), every identity or statement read
logged, drafts and board-only statements kept from the officer, flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.victims import ADDRESS, EMAIL, NAME, PHONE, make_statement, make_victim
from victims.models import ImpactStatement, ReadLog

pytestmark = pytest.mark.django_db

VICTIMS = "/api/v1/victims/victims/"
STATEMENTS = "/api/v1/victims/statements/"
NOTICES = "/api/v1/victims/notifications/"


@pytest.mark.parametrize("role", ["victims", "admin"])
def test_victim_services_and_administrators_get_identity_and_each_read_is_logged(world, victim, client_for, role):
    other = make_victim(cases=[world.case_d10])
    response = client_for(getattr(world, role)).get(VICTIMS)
    assert response.status_code == 200
    rows = {row["reference"]: row for row in response.json()["results"]}
    assert rows[victim.reference]["identity"]["name"] == NAME
    assert rows[victim.reference]["identity"]["phone"] == PHONE
    assert rows[victim.reference]["cases"] == [world.case.case_number]
    assert set(rows) == {victim.reference, other.reference}
    logged = ReadLog.objects.filter(source="api", user=getattr(world, role))
    assert sorted(logged.values_list("victim_id", flat=True)) == sorted([victim.pk, other.pk])


@pytest.mark.parametrize(("role", "sees"), [("officer", True), ("auditor", True), ("supervisor", False)])
def test_other_roles_get_no_identity_field_at_all(world, victim, client_for, role, sees):
    response = client_for(getattr(world, role)).get(VICTIMS)
    assert response.status_code in (200, 403)
    body = response.content.decode()
    for secret in (NAME, ADDRESS, PHONE, EMAIL, "identity"):
        assert secret not in body, (role, secret)
    if response.status_code == 200:
        references = [row["reference"] for row in response.json()["results"]]
        assert (victim.reference in references) is sees
        one = client_for(getattr(world, role)).get(f"{VICTIMS}{victim.pk}/")
        assert one.status_code == (200 if sees else 404)
        assert "identity" not in one.json()
    assert not ReadLog.objects.filter(source="api").exists()


def test_statements_follow_the_statement_rules_and_are_logged(world, victim, client_for):
    recorded = make_statement(victim, user=world.victims, losses=[("medical", "40.00", "Receipt")])
    board_only = make_statement(victim, user=world.victims, board_mode="written_board_only")
    draft = make_statement(victim, user=world.victims)
    ImpactStatement.objects.filter(pk=draft.pk).update(status="draft")
    officer = client_for(world.officer).get(STATEMENTS).json()["results"]
    assert [row["id"] for row in officer] == [recorded.pk]
    assert officer[0]["losses"] == [
        {"category": "medical", "description": "", "amount": "40.00", "documentation": "Receipt"}
    ]
    assert NAME not in str(officer) and PHONE not in str(officer)
    assert list(ReadLog.objects.filter(source="api", what="statement").values_list("record_id", flat=True)) == [
        str(recorded.pk)
    ]
    staff = client_for(world.victims).get(STATEMENTS).json()["results"]
    assert {row["id"] for row in staff} == {recorded.pk, board_only.pk, draft.pk}
    assert client_for(world.officer2).get(STATEMENTS).json()["results"] == []
    assert client_for(world.officer).get(f"{STATEMENTS}{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "sees"),
    [("victims", True), ("admin", True), ("auditor", True), ("officer", False), ("staff_jccc", False)],
)
def test_notifications_through_the_api(world, client_for, role, sees):
    from core.events import emit
    from victims.services import notifications_for_event

    make_victim(cases=[world.case], statutory_category="domestic_assault", notify_by_mail=True)
    notice = notifications_for_event(
        emit(offender=world.supervised, kind="status", before="supervised", after="escaped")
    )
    response = client_for(getattr(world, role)).get(NOTICES)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == ([notice[0].pk] if sees else [])


def test_the_victim_list_runs_the_same_queries_at_1_and_20_victims(world, client_for):
    client = client_for(world.victims)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(VICTIMS).status_code == 200
        return len(ctx.captured_queries)

    make_victim(cases=[world.case])
    client.get(VICTIMS)
    at_1 = count()
    for _ in range(19):
        make_victim(cases=[world.case])
    assert count() == at_1
