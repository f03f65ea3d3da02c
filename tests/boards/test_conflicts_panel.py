"""Declared conflicts (a member recuses themselves in that case), and the coordinator's dashboard panel:
meetings this week, agreements due, conflicts pending."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from boards import services
from boards.models import MemberConflict
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db


def test_a_declared_conflict_needs_the_recusal_at_each_meeting(world, client_for):
    board = bf.board(world.d9, world.boards, quorum=1)
    one, two = bf.member(board, user=world.boards, name="Ann One"), bf.member(board, user=world.boards, name="Bo Two")
    referral = bf.accepted(board, world.case, user=world.boards)
    client = client_for(world.boards)
    url = reverse("boards:member_conflict", args=[one.pk])
    # bad input: nothing stored, the message on the member's page
    page = client.post(
        url, {"conflict-referral": referral.pk, "conflict-on": "2026-02-10", "conflict-description": ""}, follow=True
    )
    assert "What the conflict is: This field is required." in page.content.decode()
    page = client.post(
        url, {"conflict-referral": "999999", "conflict-on": "x", "conflict-description": "Neighbour"}, follow=True
    ).content.decode()
    assert "Select a valid choice" in page and "Enter a valid date." in page
    assert not MemberConflict.objects.exists()
    client.post(
        url,
        {
            "conflict-referral": referral.pk,
            "conflict-on": "2026-02-10",
            "conflict-description": "The person's neighbour",
        },
    )
    conflict = MemberConflict.objects.get()
    assert conflict.member == one and conflict.referral == referral
    page = client.post(
        url,
        {"conflict-referral": referral.pk, "conflict-on": "2026-02-11", "conflict-description": "Again"},
        follow=True,
    )
    assert "declared a conflict in this case already" in page.content.decode()
    assert "The person&#x27;s neighbour" in client.get(one.get_absolute_url()).content.decode()

    with pytest.raises(
        services.ValidationError, match=r"Ann One declared a conflict in this case: record the recusal\."
    ):
        services.meeting_record(
            user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[one, two]
        )
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[one, two], recused=[one]
    )
    assert meeting.voting_count == 1
    # another district's coordinator: 404, nothing stored
    from core.choices import Role
    from tests.factories import UserFactory

    other = client_for(UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10))
    assert (
        other.post(
            url, {"conflict-referral": referral.pk, "conflict-on": "2026-02-10", "conflict-description": "X"}
        ).status_code
        == 404
    )
    assert MemberConflict.objects.count() == 1


@time_machine.travel(dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC), tick=False)
def test_the_coordinators_panel(world, client_for):
    board = bf.board(world.d9, world.boards, quorum=1, name="Cole County board")
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 3, 3), place="Hall", present=[member]
    )
    services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions(), days=10)
    services.conflict_declare(
        user=world.boards,
        member=member,
        referral=bf.referral(board, world.case, user=world.boards),
        on=dt.date(2026, 3, 1),
        description="Cousin",
    )
    page = client_for(world.boards).get(reverse("core:dashboard")).content.decode()
    assert "Reparation boards" in page
    assert "Mar 3, 2026, Cole County board" in page
    assert "due Mar 13, 2026" in page
    assert "1 conflict declared by members in cases still open; 1 referral awaiting a decision." in page
    # another district's coordinator sees none of it
    from core.choices import Role
    from tests.factories import UserFactory

    other = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)
    page = client_for(other).get(reverse("core:dashboard")).content.decode()
    assert "No meeting this week." in page and "Cole County board" not in page
    assert "0 conflicts declared by members in cases still open; 0 referrals" in page
