"""Victim services' dashboard panel: statements due before sentencing, statements to review, notices to
send and failed, conflicts to review, money held for victims; only for victim services and
administrators, and at the same query count however much is waiting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.events import emit
from restitution import services as restitution
from tests.factories import CourtCaseFactory
from tests.factories.restitution import pay
from tests.factories.victims import make_statement, make_victim
from tests.queries import page_queries
from victims.models import ImpactStatement
from victims.services import notifications_for_event

pytestmark = pytest.mark.django_db


def waiting(world, n: int, start: int = 0):
    """``n`` of each thing victim services has to do."""
    soon = timezone.localdate() + dt.timedelta(days=10)
    for i in range(start, start + n):
        case = CourtCaseFactory(offender=world.supervised, case_number=f"26AC-CR9{i:04d}", sentencing_date=soon)
        victim = make_victim(cases=[case], statutory_category="domestic_assault", notify_by_mail=True)
        draft = make_statement(victim, case=case)
        ImpactStatement.objects.filter(pk=draft.pk).update(status="draft")
    notifications_for_event(emit(offender=world.supervised, kind="status", before="supervised", after="escaped"))


def test_the_panel_shows_what_waits_for_victim_services(world, client_for):
    waiting(world, 2)
    payee = restitution.payee_create(name="Ida Marsh", kind="victim", reference="V-77")
    restitution.obligation_create(
        case=world.case,
        kind="restitution",
        payee=payee,
        ordered_amount=Decimal("500.00"),
        ordered_on=dt.date(2026, 1, 2),
    )
    pay(world.supervised, "75.25", dt.date(2026, 2, 2))
    body = client_for(world.victims).get(reverse("core:dashboard")).content.decode()
    assert "Victim services" in body
    assert "2 cases with victims and no recorded statement." in body
    assert "26AC-CR90000" in body
    assert "2 letters to print and mail" in body
    assert "$75.25 received for 1 victim payee and not yet disbursed" in body
    # The drafts are listed (all sentencing soon: none is recorded, so both cases are still due).
    assert body.count("received ") >= 2


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor", "staff_jccc", "boards"])
def test_no_one_else_gets_it(world, client_for, role):
    waiting(world, 1)
    assert (
        "victims-panel-heading" not in client_for(getattr(world, role)).get(reverse("core:dashboard")).content.decode()
    )


def test_the_dashboard_runs_the_same_queries_with_1_and_20_of_each(world, client_for):
    client = client_for(world.victims)
    waiting(world, 1)
    client.get(reverse("core:dashboard"))
    at_1, _ = page_queries(client, reverse("core:dashboard"))
    waiting(world, 19, start=1)
    at_20, response = page_queries(client, reverse("core:dashboard"))
    assert at_1 == at_20
    assert "20 cases with victims" in response.content.decode()
