"""A board's calendar: a month of meetings held, mid-term reviews, agreements and conditions due; a bad
month says so; another district's coordinator gets 404; the queries do not grow with the month's rows."""

import datetime as dt

import pytest
from django.urls import reverse

from boards import services
from boards.choices import ConditionKind
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories import boards as bf
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def agreement_for(world, board, member, case, day):
    referral = bf.accepted(board, case, user=world.boards)
    meeting = services.meeting_record(user=world.boards, referral=referral, date=day, place="Hall", present=[member])
    return services.agreement_approve(
        user=world.boards,
        meeting=meeting,
        conditions=[services.NewCondition(kind=ConditionKind.APOLOGY, description="A letter to the owner")],
    )


@pytest.fixture
def board(world):
    board = bf.board(world.d9, world.boards, quorum=1, name="Cole County board")
    return board, bf.member(board, user=world.boards)


def month(client, board, value=""):
    url = reverse("boards:board_calendar", args=[board.pk])
    return client.get(url, {"month": value} if value else {})


def test_a_month_shows_the_meeting_the_mid_term_and_the_dates_due(world, board, client_for):
    board, member = board
    agreement = agreement_for(world, board, member, world.case, dt.date(2026, 2, 20))
    client = client_for(world.boards)
    february = month(client, board, "2026-02").content.decode()
    name = f"{world.supervised.last_name}, {world.supervised.first_name}"
    assert "Friday, February 20" in february and "Meeting" in february and name in february
    middle = agreement.approved_on + dt.timedelta(days=(agreement.due_on - agreement.approved_on).days // 2)
    mid = month(client, board, f"{middle:%Y-%m}").content.decode()
    assert f"{middle:%A, %B} {middle.day}" in mid and "Mid-term review due" in mid
    due = month(client, board, f"{agreement.due_on:%Y-%m}").content.decode()
    assert "Agreement due" in due and "Condition due" in due and "Apology" in due
    empty = month(client, board, "2025-06").content.decode()
    assert "Nothing this month" in empty


def test_a_bad_month_says_so_and_shows_this_month(world, board, client_for):
    board, _ = board
    response = month(client_for(world.boards), board, "2026-13")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a month: write it as 2026-12" in html


def test_another_districts_coordinator_gets_404(world, board, client_for):
    from core.choices import Role
    from tests.factories import UserFactory

    board, _ = board
    other = UserFactory(role=Role.BOARD_COORDINATOR, district=world.d10)
    assert month(client_for(other), board).status_code == 404
    assert month(client_for(world.staff_jccc), board).status_code == 404


def test_the_calendar_runs_the_same_queries_for_one_agreement_or_five(world, board, client_for):
    board, member = board
    agreement_for(world, board, member, world.case, dt.date(2026, 2, 20))
    client = client_for(world.boards)
    url = reverse("boards:board_calendar", args=[board.pk])
    one, _ = page_queries(client, url, {"month": "2026-02"})
    for i in range(4):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer, doc_id=f"55500{i}")
        agreement_for(world, board, member, CourtCaseFactory(offender=person), dt.date(2026, 2, 21 + i))
    five, response = page_queries(client, url, {"month": "2026-02"})
    assert response.content.decode().count("<strong>Meeting</strong>") == 5
    assert one == five
