"""Victim services adds and edits a victim and their identity on one page; bad input saves nothing."""

import pytest
from django.urls import reverse

from tests.factories.victims import ADDRESS, DESIGNATED, PHONE
from victims.crypto import keyed_hash
from victims.models import Victim, VictimIdentity

pytestmark = pytest.mark.django_db


def post_data(world, **identity):
    data = {
        "victim-kind": "person",
        "victim-case_numbers": world.case.case_number,
        "victim-statutory_category": "",
        "identity-name": "Dana Ellery",
        "identity-address": ADDRESS,
        "identity-phone": PHONE,
        "identity-email": "dana@example.org",
        "identity-date_of_birth": "1990-02-28",
    }
    data.update({f"identity-{k}": v for k, v in identity.items()})
    return data


def test_victim_services_adds_a_victim_with_encrypted_contact_and_keyed_hashes(world, client_for):
    response = client_for(world.victims).post(reverse("victims:victim_add"), post_data(world))
    victim = Victim.objects.get()
    assert response.status_code == 302 and response["Location"] == victim.get_absolute_url()
    assert list(victim.cases.all()) == [world.case]
    assert victim.created_by == world.victims
    identity = VictimIdentity.objects.get(victim=victim)
    assert identity.address == ADDRESS
    assert identity.phone_hash == keyed_hash("5735550143")  # normalized: digits only
    assert identity.address_hash == keyed_hash("4417 persimmon hollow rd fulton mo 65251")
    assert identity.name_normalized == "dana ellery"
    assert str(identity.date_of_birth) == "1990-02-28"


def test_safe_at_home_refuses_a_real_address_and_asks_for_the_card(world, client_for):
    client = client_for(world.victims)
    response = client.post(reverse("victims:victim_add"), post_data(world, safe_at_home="on"))
    assert response.status_code == 200
    form = response.context["identity_form"]
    assert "address" in form.errors
    assert "designated_address" in form.errors and "safe_at_home_card_expires" in form.errors
    assert Victim.objects.count() == 0
    response = client.post(
        reverse("victims:victim_add"),
        post_data(
            world,
            safe_at_home="on",
            address="",
            designated_address=DESIGNATED,
            safe_at_home_card_verified="on",
            safe_at_home_card_expires="2029-06-30",
        ),
    )
    assert response.status_code == 302
    identity = VictimIdentity.objects.get()
    assert identity.safe_at_home and identity.address == "" and identity.designated_address == DESIGNATED


def test_control_characters_and_a_bad_email_are_refused_under_their_fields(world, client_for):
    response = client_for(world.victims).post(
        reverse("victims:victim_add"), post_data(world, name="Dana\x07Ellery", email="not an address")
    )
    form = response.context["identity_form"]
    assert "name" in form.errors and "email" in form.errors
    assert Victim.objects.count() == 0


def test_an_edit_changes_the_contact_and_its_hash(world, victim, client_for):
    data = post_data(world, phone="573-555-0199")
    response = client_for(world.admin).post(reverse("victims:victim_edit", args=[victim.pk]), data)
    assert response.status_code == 302
    identity = VictimIdentity.objects.get(victim=victim)
    assert identity.phone == "573-555-0199" and identity.phone_hash == keyed_hash("5735550199")
    assert identity.history.count() == 2


@pytest.mark.parametrize("role", ["officer", "auditor", "supervisor", "boards", "staff_jccc"])
def test_no_other_role_can_add_or_edit(world, victim, client_for, role):
    client = client_for(getattr(world, role))
    assert client.post(reverse("victims:victim_add"), post_data(world)).status_code == 404
    assert client.post(reverse("victims:victim_edit", args=[victim.pk]), post_data(world)).status_code == 404
    assert Victim.objects.count() == 1


def test_cases_and_the_represented_victim_are_typed_and_checked(world, victim, client_for):
    client = client_for(world.victims)
    data = post_data(world)
    data["victim-case_numbers"] = "26AC-CR99999"
    data["victim-represents_reference"] = "V-NOSUCH"
    form = client.post(reverse("victims:victim_add"), data).context["victim_form"]
    assert "No case has the number 26AC-CR99999." in form.errors["case_numbers"]
    assert "No victim has the reference V-NOSUCH." in form.errors["represents_reference"]
    data["victim-case_numbers"] = f"{world.case.case_number.lower()}, {world.case_d10.case_number}"
    data["victim-represents_reference"] = victim.reference
    form = client.post(reverse("victims:victim_add"), data).context["victim_form"]
    assert "relationship" in form.errors
    data["victim-relationship"] = "mother"
    response = client.post(reverse("victims:victim_add"), data)
    assert response.status_code == 302
    parent = Victim.objects.get(represents=victim)
    assert set(parent.cases.all()) == {world.case, world.case_d10} and parent.relationship == "mother"
    # The edit page shows what was typed, and keeps it.
    form = client.get(reverse("victims:victim_edit", args=[parent.pk])).context["victim_form"]
    assert form.initial["represents_reference"] == victim.reference
    assert set(form.initial["case_numbers"].split("\n")) == {world.case.case_number, world.case_d10.case_number}
