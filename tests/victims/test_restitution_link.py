"""A victim linked to restitution payees: victim services sees what was paid, disbursed and held."""

import datetime as dt
import re

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


def test_itemized_losses_propose_the_restitution_amount_and_the_officer_confirms(world, client_for):
    from decimal import Decimal

    from restitution.models import Obligation
    from tests.factories.victims import make_statement, make_victim

    victim = make_victim(cases=[world.case], user=world.victims)
    make_statement(victim, user=world.victims, losses=[("medical", "412.50", "Bill"), ("wages", "300.00", "")])
    # What a victim wrote for a board only is not counted (as in the court section).
    make_statement(victim, user=world.victims, board_mode="written_board_only", losses=[("property", "999.00", "")])
    client = client_for(world.officer)
    page = client.get(reverse("victims:case_victims", args=[world.case.pk])).content.decode()
    assert "itemize $712.50 in 2 losses" in page
    proposal = re.search(r'href="([^"]*obligations/add/[^"]*)"', page).group(1).replace("&amp;", "&")
    form = client.get(proposal).content.decode()
    assert 'value="712.50"' in form and "proposed from the losses the victims itemized" in form
    assert not Obligation.objects.exists()  # nothing until the officer saves
    query = dict(part.split("=") for part in proposal.split("?", 1)[1].split("&"))
    response = client.post(
        proposal,
        {
            "case": query["case"],
            "kind": "restitution",
            "new_payee": "Victim on the order",
            "ordered_amount": "700.00",
            "ordered_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    assert Obligation.objects.get().ordered_amount == Decimal("700.00")  # what the officer entered
    page = client.get(reverse("victims:case_victims", args=[world.case.pk])).content.decode()
    assert "Restitution ordered on this case: $700.00" in page and "Propose" not in page
    # An officer who does not supervise the person sees no page at all.
    assert client_for(world.officer2).get(reverse("victims:case_victims", args=[world.case.pk])).status_code == 404
