"""Reparation boards in Chromium: every page of the first stage (lists, a board, a member, a referral,
a meeting, an agreement, their add and edit forms) through axe at 1280 and 768 px, without sideways
scrolling, as the district's board coordinator and as an administrator."""

import pytest

from tests.browser.conftest import both_widths

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def board_records(site, django_db_blocker):
    """A board of district 9 with three trained members, an accepted referral, a quorate meeting and
    an agreement, made through the services."""
    import datetime as dt

    from boards import services
    from core.models import CourtCase, User
    from tests.factories import boards as f

    with django_db_blocker.unblock():
        coordinator = User.objects.get(username="boards.d9")
        board = f.board(coordinator.district, coordinator, quorum=2, name="Jefferson City Reparation Board")
        members = [f.member(board, user=coordinator) for _ in range(3)]
        case = CourtCase.objects.filter(offender__district=coordinator.district).order_by("pk").first()
        referral = f.accepted(board, case, user=coordinator)
        meeting = services.meeting_record(
            user=coordinator, referral=referral, date=dt.date(2026, 2, 20), place="City Hall", present=members
        )
        agreement = services.agreement_approve(user=coordinator, meeting=meeting, conditions=f.conditions())
    return {"board": board, "member": members[0], "referral": referral, "meeting": meeting, "agreement": agreement}


@pytest.mark.parametrize("username", ["boards.d9", "admin"])
def test_every_board_page_passes_axe_at_both_widths(site, page_as, board_records, username):
    page = page_as(username)
    paths = ["/boards/boards/", "/boards/members/", "/boards/referrals/", "/boards/meetings/", "/boards/agreements/"]
    paths += [record.get_absolute_url() for record in board_records.values()]
    paths += [
        "/boards/boards/add/",
        "/boards/members/add/",
        "/boards/referrals/add/",
        f"/boards/boards/{board_records['board'].pk}/edit/",
        f"/boards/members/{board_records['member'].pk}/edit/",
        f"/boards/boards/{board_records['board'].pk}/calendar/?month=2026-02",  # the meeting of Feb 20
        f"/boards/boards/{board_records['board'].pk}/calendar/?month=2025-01",  # an empty month
    ]
    for path in paths:
        response = page.goto(site(path))
        assert response.status == 200, path
        both_widths(page)
    # The agreement page shows each condition and its progress.
    page.goto(site(board_records["agreement"].get_absolute_url()))
    assert "A letter of apology to the store owner" in page.content()
