"""The boards' forms with wrong values: each error under its field, nothing written; the member conflict
check on the page says only the opaque message."""

import pytest

from boards.models import Board, BoardReferral, Member
from core.conflicts import REFER
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.context["form"].errors


def test_board_form_refuses_bad_values(world, client_for):
    client = client_for(world.boards)
    base = {"district": world.d9.pk, "name": "Capital board", "quorum": 3, "coordinator": world.boards.pk}
    cases = [
        ({**base, "quorum": 0}, "quorum"),
        ({**base, "quorum": "x"}, "quorum"),
        ({**base, "name": ""}, "name"),
        ({**base, "district": world.d10.pk}, "district"),  # not the coordinator's district: not a choice
        ({**base, "coordinator": world.officer.pk}, "coordinator"),
    ]
    for data, field in cases:
        response = client.post("/boards/boards/add/", data)
        assert response.status_code == 200, data
        assert field in errors_of(response), (data, errors_of(response))
    assert not Board.objects.exists()
    response = client.post("/boards/boards/add/", base)
    assert response.status_code == 302 and Board.objects.get().history.first().history_user == world.boards


def test_member_form_refuses_bad_values_and_a_possible_conflict(world, client_for):
    from tests.factories.victims import NAME, make_victim

    board = bf.board(world.d9, world.boards)
    client = client_for(world.boards)
    base = {"board": board.pk, "name": "Pat Doe", "term_start": "2026-01-01", "term_end": "2028-01-01"}
    cases = [
        ({**base, "term_end": "2026-06-01"}, "term_end"),
        ({**base, "term_end": "2030-01-01"}, "term_end"),
        ({**base, "term_start": "soon"}, "term_start"),
        ({**base, "email": "not an e-mail"}, "email"),
        ({**base, "name": ""}, "name"),
    ]
    for data, field in cases:
        response = client.post("/boards/members/add/", data)
        assert response.status_code == 200, data
        assert field in errors_of(response), (data, errors_of(response))
    assert not Member.objects.exists()
    make_victim(cases=[world.case])
    bf.referral(board, world.case, user=world.boards)
    response = client.post("/boards/members/add/", {**base, "name": NAME})
    assert response.status_code == 200
    html = response.content.decode()
    assert REFER in html and "victims:" not in html
    assert not Member.objects.exists()


def test_referral_form_refuses_bad_values(world, client_for):
    board = bf.board(world.d9, world.boards)
    client = client_for(world.boards)
    base = {
        "board": board.pk,
        "offender": world.supervised.pk,
        "case": world.case.pk,
        "source": "court",
        "reason": "Vandalism",
        "referred_on": "2026-02-01",
        "priority": "normal",
    }
    cases = [
        ({**base, "source": "neighbour"}, "source"),
        ({**base, "reason": ""}, "reason"),
        ({**base, "case": world.case_d10.pk}, "case"),  # another district's case: not a choice
        ({**base, "offender": world.supervised_d10.pk}, "offender"),
        ({**base, "referred_on": "2026-13-01"}, "referred_on"),
    ]
    for data, field in cases:
        response = client.post("/boards/referrals/add/", data)
        assert response.status_code == 200, data
        assert field in errors_of(response), (data, errors_of(response))
    assert not BoardReferral.objects.exists()
    assert client.post("/boards/referrals/add/", base).status_code == 302
    assert BoardReferral.objects.get().referred_by == world.boards


def test_another_districts_coordinator_gets_404(world, client_for):
    board = bf.board(world.d9, world.boards)
    member = bf.member(board, user=world.boards)
    client = client_for(world.supervisor_d10)
    for url in (board.get_absolute_url(), member.get_absolute_url(), f"/boards/members/{member.pk}/edit/"):
        assert client.get(url).status_code == 404
    # auditors read the board, never a member's contact
    auditor = client_for(world.auditor)
    assert auditor.get(board.get_absolute_url()).status_code == 200
    assert auditor.get(member.get_absolute_url()).status_code == 404
