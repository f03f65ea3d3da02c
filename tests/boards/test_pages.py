"""The referral's page: accepted or declined by the coordinator; a possible conflict says only the opaque
message; the officer reads the referral of their caseload and cannot decide; another district gets 404."""

import pytest
from django.urls import reverse

from boards.choices import ReferralStatus
from core.conflicts import REFER
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db


def test_the_coordinator_accepts_or_declines_on_the_referral_page(world, client_for):
    from tests.factories.victims import NAME, make_victim

    board = bf.board(world.d9, world.boards)
    first = bf.referral(board, world.case, user=world.boards)
    client = client_for(world.boards)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Accept or decline the referral" in page
    url = reverse("boards:referral_decide", args=[first.pk])
    response = client.post(url, {"decision": "decline", "on": "2026-02-03", "reason": ""}, follow=True)
    assert "Give the reason for declining." in response.content.decode()
    first.refresh_from_db()
    assert first.status == ReferralStatus.PENDING
    client.post(url, {"decision": "decline", "on": "2026-02-03", "reason": "Not eligible"})
    first.refresh_from_db()
    assert first.status == ReferralStatus.DECLINED and first.decline_reason == "Not eligible"
    # a member who may have a conflict with the person: accepting is refused with the opaque message only
    bf.member(board, user=world.boards, name=NAME)
    make_victim(cases=[world.case])
    second = bf.referral(board, world.case, user=world.boards)
    response = client.post(
        reverse("boards:referral_decide", args=[second.pk]), {"decision": "accept", "on": "2026-02-05"}, follow=True
    )
    html = response.content.decode()
    assert REFER in html and NAME not in html and "victims:" not in html
    second.refresh_from_db()
    assert second.status == ReferralStatus.PENDING


def test_the_officer_reads_the_referral_and_cannot_decide(world, client_for):
    board = bf.board(world.d9, world.boards)
    referral = bf.referral(board, world.case, user=world.boards)
    officer = client_for(world.officer)
    page = officer.get(referral.get_absolute_url())
    assert page.status_code == 200 and "Accept or decline" not in page.content.decode()
    decide = reverse("boards:referral_decide", args=[referral.pk])
    assert officer.post(decide, {"decision": "accept", "on": "2026-02-05"}).status_code == 404
    other = client_for(world.officer_d10)
    assert other.get(referral.get_absolute_url()).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_the_coordinator_removes_a_member_for_cause_with_a_reason(world, client_for):
    board = bf.board(world.d9, world.boards)
    member = bf.member(board, user=world.boards)
    client = client_for(world.boards)
    assert "Remove for cause" in client.get(member.get_absolute_url()).content.decode()
    url = reverse("boards:member_remove", args=[member.pk])
    response = client.post(url, {"on": "2026-05-01", "reason": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert member.removed_on is None
    client.post(url, {"on": "2026-05-01", "reason": "Missed six meetings"})
    member.refresh_from_db()
    assert member.removed_on.isoformat() == "2026-05-01" and member.removal_reason == "Missed six meetings"
    assert client_for(world.supervisor_d10).post(url, {"on": "2026-05-02", "reason": "x"}).status_code == 404


def test_the_persons_timeline_shows_the_referral_and_agreement_without_the_victim(world, client_for):
    import datetime as dt

    from boards import services
    from tests.factories.victims import NAME, make_victim

    make_victim(cases=[world.case])
    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards, name="Neutral Volunteer")
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    html = client_for(world.boards).get(f"/offenders/{world.supervised.pk}/timeline/").content.decode()
    assert "Referred to a reparation board (accepted)" in html and "Reparative agreement approved" in html
    assert NAME not in html and "Neutral Volunteer" not in html
    # the officer reads the referral of their caseload; the agreement is the board's (this stage)
    html = client_for(world.officer).get(f"/offenders/{world.supervised.pk}/timeline/").content.decode()
    assert "Referred to a reparation board (accepted)" in html and "Reparative agreement approved" not in html


def test_the_api_reads_conditions_in_scope_and_never_the_victims_texts(world, client_for):
    import datetime as dt

    from boards import services

    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards,
        referral=referral,
        date=dt.date(2026, 2, 20),
        place="Hall",
        present=[member],
        victim_mode="written_board_only",
        victim_board_only_text="Board only: I am afraid.",
    )
    agreement = services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    rows = client_for(world.boards).get("/api/v1/boards/conditions/").json()["results"]
    assert {r["agreement"] for r in rows} == {agreement.pk} and len(rows) == 3
    assert {r["kind"] for r in rows} == {"apology", "service_hours", "restitution"}
    body = client_for(world.admin).get(f"/api/v1/boards/meetings/{meeting.pk}/").content.decode()
    assert "afraid" not in body and "victim" not in body
    from core.choices import Role
    from tests.factories import UserFactory

    other = client_for(UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10))
    assert other.get("/api/v1/boards/conditions/").json()["results"] == []
    assert other.get(f"/api/v1/boards/conditions/{rows[0]['id']}/").status_code == 404
