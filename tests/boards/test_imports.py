"""The ``board_members`` import: each error under its column, nothing written when one row is bad; the same
file again adds nobody twice; a possible conflict refuses the row with the opaque message only; another
district's board is not found for a coordinator."""

import pytest

from boards.models import Member
from core.conflicts import REFER
from core.imports import import_run
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

HEAD = "board,name,phone,email,address,term_start,term_end,training_completed_on\n"


def test_members_import_once(world):
    board = bf.board(world.d9, world.boards, name="Cole County board")
    content = (
        HEAD
        + "cole county board,Ana Volunteer,573 555 0101,ana@example.org,,2026-01-01,2028-01-01,2026-01-20\n"
        + "Cole County board,Ben Volunteer,,,,2026-01-01,2027-01-01,\n"
    )
    result = import_run(kind="board_members", content=content, user=world.boards, commit=True)
    assert result.committed, [r.errors for r in result.rows]
    assert sorted(Member.objects.filter(board=board).values_list("name", "training_completed_on")) == [
        ("Ana Volunteer", __import__("datetime").date(2026, 1, 20)),
        ("Ben Volunteer", None),
    ]
    again = import_run(kind="board_members", content=content, user=world.boards, commit=True)
    assert again.counts() == {"ignore": 2}


def test_bad_rows_are_refused_by_column_and_nothing_is_written(world):
    from core.choices import Role
    from tests.factories import UserFactory

    bf.board(world.d9, world.boards, name="Cole County board")
    other = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)
    bf.board(world.d10, other, name="Greene County board")
    content = (
        HEAD
        + "No such board,Ana,,,,2026-01-01,2028-01-01,\n"
        + "Cole County board,Ben,,,,01/01/2026,2028-01-01,\n"
        + "Cole County board,Cy,,,,2026-01-01,2030-01-01,\n"
        + "Cole County board,Di,,not-an-email,,2026-01-01,2027-01-01,\n"
        + "Greene County board,Ed,,,,2026-01-01,2027-01-01,\n"
        + "Cole County board,Fay,,,,2026-01-01,2027-01-01,2026-13-01\n"
        + "Cole County board,,,,,2026-01-01,2027-01-01,\n"
    )
    result = import_run(kind="board_members", content=content, user=world.boards, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {"board": ["No board 'No such board' that you coordinate."]}
    assert "term_start" in errors[3]
    assert errors[4] == {"term_end": ["A term is 1 to 3 years."]}
    assert "email" in errors[5]
    assert errors[6] == {"board": ["No board 'Greene County board' that you coordinate."]}
    assert "training_completed_on" in errors[7]
    assert "name" in errors[8]
    assert not Member.objects.exists()


def test_a_possible_conflict_refuses_the_row_with_the_opaque_message(world):
    from tests.factories.victims import NAME, make_victim

    board = bf.board(world.d9, world.boards, name="Cole County board")
    bf.referral(board, world.case, user=world.boards)
    make_victim(cases=[world.case])
    content = HEAD + f"Cole County board,{NAME},,,,2026-01-01,2027-01-01,\n"
    result = import_run(kind="board_members", content=content, user=world.boards, commit=True)
    assert not result.committed
    text = str([r.errors for r in result.rows])
    assert REFER in text and "victim" not in text.lower().replace(REFER.lower(), "")
    assert not Member.objects.exists()
