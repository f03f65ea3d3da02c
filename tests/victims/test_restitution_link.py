"""A victim linked to restitution payees: victim services sees what was paid, disbursed and held."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.restitution import obligation, pay
from victims.models import VictimPayee

pytestmark = pytest.mark.django_db


def test_victim_services_links_a_payee_and_sees_paid_disbursed_and_held(world, victim, client_for):
    owed = obligation(world.case, amount="900.00", ordered_on=dt.date(2025, 12, 1))
    owed.payee.reference = "VN-4471"
    owed.payee.save()
    pay(world.supervised, "125.00", dt.date(2026, 1, 10))
    client = client_for(world.victims)
    url = reverse("victims:payee_link", args=[victim.pk])
    response = client.post(url, {"payee": "no such payee"})
    assert "No victim payee has this reference or name." in str(response.context["form"].errors["payee"])
    response = client.post(url, {"payee": "VN-4471"})
    assert response.status_code == 302
    assert VictimPayee.objects.get().payee == owed.payee
    response = client.post(url, {"payee": "VN-4471"})
    assert "already linked" in str(response.context["form"].errors["payee"])
    body = client.get(victim.get_absolute_url()).content.decode()
    assert "$125.00" in body  # paid and held: nothing disbursed yet
    assert body.count("$0.00") == 1
    # The officer sees the victim but not who receives their money.
    body = client_for(world.officer).get(victim.get_absolute_url()).content.decode()
    assert "VN-4471" not in body and "Restitution for this victim" not in body
    assert client_for(world.officer).post(url, {"payee": "VN-4471"}).status_code == 404
