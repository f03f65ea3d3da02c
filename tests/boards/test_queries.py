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
