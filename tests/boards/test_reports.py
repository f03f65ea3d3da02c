"""The boards' reports through the catalog (referrals; completion and time to closure by district and
year), scoped to the coordinator's district; the public figure; the timeline's closure line."""

import datetime as dt

import pytest

from boards import reports, services
from boards.choices import AgreementStatus, ConditionKind
from core.registry import registry
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    from core.choices import Role
    from tests.factories import UserFactory

    other = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)
    made = {}
    for label, district, coordinator, case in (
        ("d9", world.d9, world.boards, world.case),
        ("d10", world.d10, other, world.case_d10),
    ):
        board = bf.board(district, coordinator, quorum=1)
        member = bf.member(board, user=coordinator)
        referral = bf.accepted(board, case, user=coordinator)
        declined = bf.referral(board, case, user=coordinator, referred_on=dt.date(2026, 2, 3))
        services.referral_decline(user=coordinator, referral=declined, on=dt.date(2026, 2, 4), reason="Not eligible")
        meeting = services.meeting_record(
            user=coordinator, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
        )
        agreement = services.agreement_approve(
            user=coordinator,
            meeting=meeting,
            conditions=[services.NewCondition(kind=ConditionKind.APOLOGY, description="Letter")],
        )
        services.condition_record(
            user=coordinator, condition=agreement.conditions.get(), met=True, on=dt.date(2026, 3, 1), evidence="Read"
        )
        services.agreement_close(
            user=coordinator, agreement=agreement, on=dt.date(2026, 4, 1), outcome="completed", assessment="Done."
        )
        made[label] = agreement
    return made


def test_the_referrals_and_completion_reports_are_scoped_to_the_district(world, client_for, history):
    client = client_for(world.boards)
    html = client.get("/reports/run/boards-referrals/", {"format": "html", "year": "2026"}).content.decode()
    assert "Jefferson City" in html and "Springfield" not in html
    html = client.get("/reports/run/boards-completion/", {"format": "html"}).content.decode()
    assert "100.0%" in html and "40" in html  # Feb 20 to Apr 1: 40 days
    assert "Springfield" not in html
    admin = client_for(world.admin).get("/reports/run/boards-completion/", {"format": "html"}).content.decode()
    assert "Jefferson City" in admin and "Springfield" in admin
    # bad input: a year out of range is refused on the form
    html = client.get("/reports/run/boards-referrals/", {"format": "html", "year": "12"}).content.decode()
    assert "greater than or equal to 1990" in html
    assert client_for(world.officer).get("/reports/run/boards-referrals/").status_code == 404


def test_the_public_figure_and_the_timeline(world, client_for, history):
    figure = registry.figures["boards-completed"]
    assert figure.compute() == 2 and reports.agreements_completed_in_year(2026) == 2
    history["d9"].refresh_from_db()
    assert history["d9"].status == AgreementStatus.COMPLETED
    page = client_for(world.boards).get(f"/offenders/{world.supervised.pk}/timeline/").content.decode()
    assert "Reparative agreement closed" in page and "completed" in page
