"""Every list of the boards (pages and API) runs the same number of queries at 1 row and at 20 rows."""

import datetime as dt

import pytest

from boards import services
from core.choices import OffenderStatus
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories import boards as bf
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LISTS = [
    "/boards/boards/",
    "/boards/members/",
    "/boards/referrals/",
    "/boards/meetings/",
    "/boards/agreements/",
    "/boards/agreements/?_export=csv",
    "/api/v1/boards/boards/",
    "/api/v1/boards/members/",
    "/api/v1/boards/referrals/",
    "/api/v1/boards/meetings/",
    "/api/v1/boards/agreements/",
    "/api/v1/boards/conditions/",
]


def add_rows(w, start, n):
    for i in range(start, start + n):
        board = bf.board(w.d9, w.boards, quorum=1, name=f"Board {i}")
        member = bf.member(board, user=w.boards, name=f"Volunteer {i}")
        person = OffenderFactory(
            doc_id=f"{6000000 + i}", status=OffenderStatus.SUPERVISED, district=w.d9, supervising_officer=w.officer
        )
        case = CourtCaseFactory(offender=person, case_number=f"26AC-CR{70000 + i}")
        referral = bf.accepted(board, case, user=w.boards)
        meeting = services.meeting_record(
            user=w.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
        )
        services.agreement_approve(user=w.boards, meeting=meeting, conditions=bf.conditions())


@pytest.mark.parametrize("username", ["admin", "boards", "officer"])
def test_lists_run_constant_queries(world, client_for, username):
    client = client_for(getattr(world, username))
    add_rows(world, 0, 1)
    urls = [u for u in LISTS if client.get(u).status_code == 200]  # the pages this role opens
    assert len(urls) >= (2 if username == "officer" else 10)
    one = {u: page_queries(client, u)[0] for u in urls}
    add_rows(world, 1, 19)
    twenty = {u: page_queries(client, u)[0] for u in urls}
    assert one == twenty
    if username == "boards":
        html = client.get("/boards/members/").content.decode()
        assert "Volunteer 19" in html


def test_agreement_and_meeting_pages_same_queries_for_1_and_3_of_each_condition_and_members(world, client_for):
    client = client_for(world.boards)
    board = bf.board(world.d9, world.boards, quorum=1)
    members = [bf.member(board, user=world.boards, name=f"Volunteer {i}") for i in range(3)]
    referral = bf.accepted(board, world.case, user=world.boards)
    small = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=members[:1]
    )
    large = services.meeting_record(
        user=world.boards,
        referral=referral,
        date=dt.date(2026, 2, 21),
        place="Hall",
        present=members,
        recused=members[2:],
    )
    # the progress of tracked conditions costs one query per kind present, whatever the number of rows
    one = services.agreement_approve(user=world.boards, meeting=small, conditions=bf.conditions())
    three = services.agreement_approve(user=world.boards, meeting=large, conditions=bf.conditions() * 3)
    client.get(one.get_absolute_url())
    assert page_queries(client, one.get_absolute_url())[0] == page_queries(client, three.get_absolute_url())[0]
    at_1, _ = page_queries(client, small.get_absolute_url())
    at_3, response = page_queries(client, large.get_absolute_url())
    assert at_1 == at_3
    html = response.content.decode()
    assert "2 members voting after recusals" in html and "Volunteer 2 (recused)" in html and "quorum met" in html
    page = client.get(three.get_absolute_url()).content.decode()
    assert "Food bank" in page and "$250.00" in page and "Open" in page
    assert "573 555" not in page  # no member's contact on an agreement
