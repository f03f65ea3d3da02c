"""The coordinator records an apology letter or another condition on the agreement's page: met with what
shows it and a scan or photo (type-checked), or unmet; a tracked condition is never recorded by hand; bad
input says what is wrong and stores nothing; another district gets 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import services
from boards.choices import ConditionKind, ConditionStatus
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agreement(world):
    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    return services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())


def test_the_coordinator_records_the_apology_with_a_photo_of_it(world, client_for, agreement):
    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    url = reverse("boards:condition_record", args=[apology.pk])
    client = client_for(world.boards)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Record: Apology letter" in page and "Record: Restitution" not in page
    p = f"c{apology.pk}"
    for data, message in (
        ({f"{p}-outcome": "met", f"{p}-on": "2026-03-01", f"{p}-evidence": ""}, "Say what shows the condition met."),
        ({f"{p}-outcome": "maybe", f"{p}-on": "2026-03-01"}, "Select a valid choice."),
        (
            {
                f"{p}-outcome": "met",
                f"{p}-on": "2026-03-01",
                f"{p}-evidence": "Letter",
                f"{p}-evidence_file": SimpleUploadedFile("letter.png", b"GIF89a not allowed"),
            },
            "must be a PDF, PNG or JPEG file",
        ),
    ):
        html = client.post(url, data, follow=True).content.decode()
        assert message in html, data
    apology.refresh_from_db()
    assert apology.status == ConditionStatus.OPEN and not apology.evidence_file

    data = {
        f"{p}-outcome": "met",
        f"{p}-on": "2026-03-01",
        f"{p}-evidence": "Letter read at the meeting",
        f"{p}-evidence_file": SimpleUploadedFile("letter.png", PNG),
    }
    assert "Condition recorded." in client.post(url, data, follow=True).content.decode()
    apology.refresh_from_db()
    assert apology.status == ConditionStatus.MET and apology.met_on == dt.date(2026, 3, 1)
    evidence = client.get(reverse("boards:condition_evidence", args=[apology.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PNG

    # a tracked condition is never recorded by hand
    hours = agreement.conditions.get(kind=ConditionKind.SERVICE_HOURS)
    q = f"c{hours.pk}"
    html = client.post(
        reverse("boards:condition_record", args=[hours.pk]),
        {f"{q}-outcome": "met", f"{q}-on": "2026-03-01", f"{q}-evidence": "Said so"},
        follow=True,
    ).content.decode()
    assert "met from its records, never by hand" in html
    hours.refresh_from_db()
    assert hours.status == ConditionStatus.OPEN


def test_another_district_gets_404(world, client_for, agreement):
    from core.choices import Role
    from tests.factories import UserFactory

    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    other = client_for(UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10))
    p = f"c{apology.pk}"
    response = other.post(
        reverse("boards:condition_record", args=[apology.pk]),
        {f"{p}-outcome": "met", f"{p}-on": "2026-03-01", f"{p}-evidence": "X"},
    )
    assert response.status_code == 404
    assert other.get(reverse("boards:condition_evidence", args=[apology.pk])).status_code == 404
    apology.refresh_from_db()
    assert apology.status == ConditionStatus.OPEN
