"""The conflict check: a victim who is being added near their offender is caught, and the answer says nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from core.conflicts import REFER, PersonDetails, conflict_check
from tests.factories.victims import ADDRESS, DESIGNATED, EMAIL, NAME, PHONE, make_victim
from tests.victims.test_no_leak import SECRETS
from victims.conflicts import NAME_THRESHOLD
from victims.models import ConflictMatch, ReadLog

pytestmark = pytest.mark.django_db


def applies(world, offender=None, **person):
    """What a program (a board, a worksite) gets when it checks a person before adding them."""
    return conflict_check(offender=offender or world.supervised, person=PersonDetails.of(**person))


def test_a_victim_applying_as_a_board_member_is_caught_and_the_answer_reveals_nothing(world, victim):
    result = applies(world, name="Whitfield, Rosalind")  # the surname without the first part, reordered
    assert result.possible and result.message == REFER
    (reference,) = result.references
    assert reference.startswith("victims:C-")
    answer = f"{result!r} {result.message}"
    assert [s for s in SECRETS if s.lower() in answer.lower()] == []
    assert victim.reference not in answer
    match = ConflictMatch.objects.get()
    assert (match.victim, match.offender, match.matched_on, match.status) == (victim, world.supervised, "name", "open")
    assert match.similarity >= NAME_THRESHOLD
    assert f"victims:{match.reference}" == reference


@pytest.mark.parametrize(
    ("given", "matched_on"),
    [
        ({"name": "Pat Doe", "phone": "+1 573 555 0143"}, "phone"),
        ({"name": "Pat Doe", "address": "4417 persimmon hollow rd., Fulton MO 65251"}, "address"),
        ({"email": EMAIL.upper()}, "e-mail"),
        ({"name": NAME, "phone": PHONE, "email": EMAIL}, "name, phone, e-mail"),
    ],
)
def test_a_worksite_contact_with_the_victims_phone_address_or_email_is_caught(world, victim, given, matched_on):
    assert applies(world, **given).possible
    assert ConflictMatch.objects.get().matched_on == matched_on


def test_only_the_offenders_own_victims_and_only_close_names_match(world, victim):
    assert not applies(world, offender=world.supervised_d10, name=NAME, phone=PHONE).possible
    assert not applies(world, name="Rosa Jones").possible  # shares little with the victim's name
    assert not applies(world, name="Pat Doe", phone="573-555-0199", address="1 Main St").possible
    assert ConflictMatch.objects.count() == 0


def test_a_representative_and_a_safe_at_home_address_are_checked_too(world, victim):
    parent = make_victim(
        represents=victim,
        relationship="mother",
        identity={
            "name": "Gwendolyn Harcourt",
            "address": "",
            "phone": "",
            "email": "",
            "safe_at_home": True,
            "designated_address": DESIGNATED,
            "safe_at_home_card_verified": True,
            "safe_at_home_card_expires": dt.date(2030, 1, 1),
        },
    )
    assert applies(world, name="Gwendolyn Harcourt").possible
    assert applies(world, name="Pat Doe", address="po box 1409 jefferson city mo 65102").possible
    # However the box is spelled (core.conflicts.normalize_address).
    assert applies(world, name="Pat Doe", address="Post Office Box 1409, Jefferson City, MO 65102").possible
    assert applies(world, name="Pat Doe", address="P.O.B. 1409 Jefferson City MO 65102").possible
    assert set(ConflictMatch.objects.values_list("victim", flat=True)) == {parent.pk}


def test_victim_services_reviews_a_match_once_and_sees_who(world, victim, client_for):
    applies(world, name="Pat Doe", phone=PHONE, address=ADDRESS)
    match = ConflictMatch.objects.get()
    client = client_for(world.victims)
    assert match.reference in client.get(reverse("victims:conflictmatch_list")).content.decode()
    url = reverse("victims:conflictmatch_detail", args=[match.pk])
    body = client.get(url).content.decode()
    assert NAME in body and "doe pat" in body  # the name as compared: folded, words sorted
    assert "address, phone" in body
    assert ReadLog.objects.filter(victim=victim, path=url).count() == 1
    response = client.post(url, {"status": "cleared", "note": "A neighbour with an old number"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.reviewed_by, match.review_note) == (
        "cleared",
        world.victims,
        "A neighbour with an old number",
    )
    response = client.post(url, {"status": "confirmed"})
    assert "already reviewed" in response.content.decode()
    match.refresh_from_db()
    assert match.status == "cleared"
    assert list(client.get(reverse("victims:conflictmatch_list")).context["page"].object_list) == []


@pytest.mark.parametrize("role", ["auditor", "officer", "supervisor", "boards", "staff_jccc"])
def test_no_other_role_sees_a_match(world, victim, client_for, role):
    applies(world, name=NAME)
    match = ConflictMatch.objects.get()
    client = client_for(getattr(world, role))
    assert client.get(reverse("victims:conflictmatch_list")).status_code == 404
    assert client.get(reverse("victims:conflictmatch_detail", args=[match.pk])).status_code == 404
    assert (
        client.post(reverse("victims:conflictmatch_detail", args=[match.pk]), {"status": "cleared"}).status_code == 404
    )
    match.refresh_from_db()
    assert match.status == "open"
