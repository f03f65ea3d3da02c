"""The documents: the members' packet, the agreement for signature and the court's assessment letter. Their
text (pdftotext) never carries what the victim wrote for the board only, nor a victim's name or contact;
the packet carries the victim's shared excerpt; the letter what was met and when."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from boards import services
from boards.choices import AgreementStatus, ConditionKind, VictimMode
from core.models import AuditEvent
from tests.conftest import require_program
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

BOARD_ONLY = "Only for the board: the night terrors came back in March."
SHARED = "Please tell him the window was my late father's work."


def pdf_text(response) -> str:
    pdftotext = require_program("pdftotext", "poppler-utils reads the PDF's text")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(
        subprocess.run([pdftotext, "-", "-"], input=response.content, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )


@pytest.fixture
def closed(world):
    from tests.factories.victims import ADDRESS, EMAIL, NAME, PHONE, make_statement, make_victim

    victim = make_victim(cases=[world.case])
    make_statement(victim, case=world.case, board_mode="written_board_only", statement_text=BOARD_ONLY)
    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards, name="Pat Chair")
    services.chair_appoint(
        user=world.boards, member=member, starts_on=dt.date(2026, 1, 20), ends_on=dt.date(2026, 12, 31)
    )
    referral = bf.accepted(board, world.case, user=world.boards)
    first = services.meeting_record(
        user=world.boards,
        referral=referral,
        date=dt.date(2026, 2, 20),
        place="Hall",
        present=[member],
        person_attended=True,
        victim_mode=VictimMode.WRITTEN_BOARD_ONLY,
        victim_board_only_text=BOARD_ONLY,
    )
    agreement = services.agreement_approve(
        user=world.boards,
        meeting=first,
        conditions=[
            services.NewCondition(kind=ConditionKind.APOLOGY, description="Letter to the owner"),
            services.NewCondition(kind=ConditionKind.RESTITUTION, description="The window", amount=Decimal("250")),
        ],
    )
    person = world.supervised
    for who, name in (("person", f"{person.first_name} {person.last_name}"), ("chair", "Pat Chair")):
        services.agreement_sign(
            user=world.boards, agreement=agreement, who=who, typed_name=name, agreed=True, device="t"
        )
    closure = services.meeting_record(
        user=world.boards,
        referral=referral,
        date=dt.date(2026, 5, 20),
        place="Hall",
        present=[member],
        kind="closure",
        victim_mode=VictimMode.WRITTEN_SHARED,
        victim_shared_text=SHARED,
    )
    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    services.condition_record(user=world.boards, condition=apology, met=True, on=dt.date(2026, 3, 9), evidence="Seen")
    services.agreement_close(
        user=world.boards,
        agreement=agreement,
        on=dt.date(2026, 5, 20),
        outcome=AgreementStatus.PARTIAL,
        assessment="He wrote a sincere letter; the restitution is unpaid.",
    )
    secrets = [BOARD_ONLY, NAME, ADDRESS, PHONE, EMAIL, member.phone, member.email]
    return type("C", (), {"agreement": agreement, "first": first, "closure": closure, "secrets": secrets})


def test_no_document_carries_the_board_only_text_or_a_victims_contact(world, client_for, closed):
    client = client_for(world.boards)
    agreement = client.get(reverse("boards:agreement_pdf", args=[closed.agreement.pk]))
    letter = client.get(reverse("boards:agreement_letter", args=[closed.agreement.pk]))
    packets = [client.get(reverse("boards:meeting_packet", args=[m.pk])) for m in (closed.first, closed.closure)]
    texts = {"agreement": pdf_text(agreement), "letter": pdf_text(letter)}
    texts.update({f"packet {i}": pdf_text(p) for i, p in enumerate(packets)})
    for label, text in texts.items():
        for secret in closed.secrets:
            assert " ".join(secret.split()) not in text, (label, secret)
    person = world.supervised
    assert f"{person.first_name} {person.last_name}" in texts["agreement"]
    assert "Letter to the owner" in texts["agreement"] and "$250.00" in texts["agreement"]
    assert f"signed by {person.first_name} {person.last_name}" in texts["agreement"]
    assert "partially completed (1 of 2 conditions met)" in texts["letter"]
    assert "Mar 9, 2026" in texts["letter"] and "He wrote a sincere letter" in texts["letter"]
    assert SHARED in texts["packet 1"] and "Written, shared with the person" in texts["packet 1"]
    assert SHARED not in texts["packet 0"]
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "boards_agreement_pdf",
        "boards_court_letter",
        "boards_meeting_packet",
    }


def test_the_letter_waits_for_closure_and_another_district_gets_404(world, client_for, closed):
    from core.choices import Role
    from tests.factories import UserFactory

    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    active = services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    client = client_for(world.boards)
    assert client.get(reverse("boards:agreement_letter", args=[active.pk])).status_code == 404
    assert client.get(reverse("boards:agreement_pdf", args=[active.pk])).status_code == 200
    other = client_for(UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10))
    for url in (
        reverse("boards:agreement_pdf", args=[closed.agreement.pk]),
        reverse("boards:agreement_letter", args=[closed.agreement.pk]),
        reverse("boards:meeting_packet", args=[closed.first.pk]),
    ):
        assert other.get(url).status_code == 404
