"""The officer's action: refer a person of their caseload and one of their cases to a board of the
person's district. Bad input says what is wrong and stores nothing; another district's officer and roles
that do not refer get 404."""

import pytest
from django.urls import reverse

from boards.choices import ReferralSource, ReferralStatus
from boards.models import BoardReferral
from tests.factories import CourtCaseFactory
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db


def test_an_officer_refers_a_person_of_their_caseload(world, client_for):
    board = bf.board(world.d9, world.boards, name="Cole County board")
    bf.board(world.d10, _coordinator_d10(world), name="Greene County board")
    url = reverse("boards:refer", args=[world.supervised.pk])
    client = client_for(world.officer)
    page = client.get(url).content.decode()
    assert "Cole County board" in page and "Greene County board" not in page
    good = {
        "board": board.pk,
        "case": world.case.pk,
        "source": ReferralSource.PP,
        "reason": "First offense, wants to make it right",
        "priority": "normal",
        "referred_on": "2026-03-02",
    }
    for change, message in (
        ({"reason": ""}, "This field is required."),
        ({"case": world.case_d10.pk}, "Select a valid choice."),
        ({"board": 999999}, "Select a valid choice."),
        ({"referred_on": "02/30/2026"}, "Enter a valid date."),
        ({"source": "neighbour"}, "Select a valid choice."),
    ):
        html = client.post(url, {**good, **change}).content.decode()
        assert "Nothing was saved." in html and message in html, change
    assert not BoardReferral.objects.exists()
    response = client.post(url, good)
    referral = BoardReferral.objects.get()
    assert response.url == referral.get_absolute_url()
    assert (referral.offender, referral.case, referral.status, referral.referred_by) == (
        world.supervised,
        world.case,
        ReferralStatus.PENDING,
        world.officer,
    )
    assert client.get(referral.get_absolute_url()).status_code == 200


def _coordinator_d10(world):
    from core.choices import Role
    from tests.factories import UserFactory

    return UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)


def test_other_districts_and_roles_that_do_not_refer_get_404(world, client_for):
    bf.board(world.d9, world.boards)
    CourtCaseFactory(offender=world.supervised)
    url = reverse("boards:refer", args=[world.supervised.pk])
    for user in (world.officer_d10, world.auditor, world.victims, world.staff_jccc):
        assert client_for(user).get(url).status_code == 404, user
    assert client_for(world.boards).get(url).status_code == 200  # the coordinator may refer too


def test_the_persons_page_offers_the_referral_to_those_who_refer(world, client_for):
    """The action sits on the person's page (core's person-action hook), for the roles that refer."""
    url = reverse("boards:refer", args=[world.supervised.pk])
    page = client_for(world.officer).get(reverse("core:offender_detail", args=[world.supervised.pk]))
    assert page.status_code == 200
    assert f'href="{url}">Refer to a board</a>' in page.content.decode()
    assert client_for(world.officer).get(url).status_code == 200
    for user in (world.auditor, world.victims):
        html = client_for(user).get(reverse("core:offender_detail", args=[world.supervised.pk])).content.decode()
        assert "Refer to a board" not in html
