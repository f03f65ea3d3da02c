"""Impact statements (RSMo 217.762): recorded by victim services, read (and logged) by the officer,
shared with a board only with consent; attachments checked from their bytes and served only logged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.timeline import timeline_for
from tests.factories.victims import PDF_BYTES, make_attachment, make_statement
from tests.victims.test_no_leak import leaked
from victims.models import EconomicLoss, ImpactStatement, ReadLog, StatementAttachment
from victims.services import MAX_ATTACHMENT_BYTES

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40


def statement_data(world, **overrides):
    data = {
        "case": world.case.pk,
        "received_on": "2026-02-10",
        "method": "interview",
        "physical_injury": "A broken wrist",
        "injury_seriousness": "serious",
        "injury_permanence": "temporary",
        "psychological_harm": "Afraid to go out at night",
        "welfare_changes": "Moved in with my sister",
        "counselling_requested": "on",
        "view_on_sentence": "I want him to pay back what he took",
        "statement_text": "He took my savings and my sense of safety.",
        "consent": "court_only",
        "board_mode": "",
    }
    data.update(overrides)
    return data


def test_victim_services_records_a_statement_with_losses_and_a_total(world, victim, client_for):
    client = client_for(world.victims)
    response = client.post(reverse("victims:statement_add", args=[victim.pk]), statement_data(world))
    statement = ImpactStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == statement.get_absolute_url()
    assert (statement.entered_by, statement.method, statement.counselling_requested) == (
        world.victims,
        "interview",
        True,
    )
    url = reverse("victims:loss_add", args=[statement.pk])
    client.post(url, {"category": "medical", "amount": "1250.40", "documentation": "Hospital bill"})
    client.post(url, {"category": "property", "amount": "300", "description": "Phone"})
    response = client.post(url, {"category": "wages", "amount": "0"})
    assert "amount" in response.context["form"].errors
    assert list(EconomicLoss.objects.values_list("amount", flat=True)) == [Decimal("1250.40"), Decimal("300.00")]
    body = client.get(statement.get_absolute_url()).content.decode()
    assert "$1,550.40" in body and "He took my savings" in body


def test_a_board_consent_needs_its_mode_and_the_case_must_be_the_victims(world, victim, client_for):
    client = client_for(world.victims)
    response = client.post(reverse("victims:statement_add", args=[victim.pk]), statement_data(world, consent="board"))
    assert "board_mode" in response.context["form"].errors
    response = client.post(
        reverse("victims:statement_add", args=[victim.pk]), statement_data(world, case=world.case_d10.pk)
    )
    assert "case" in response.context["form"].errors
    assert ImpactStatement.objects.count() == 0


def test_the_officer_reads_content_and_losses_never_contact_and_each_read_is_logged(world, victim, client_for):
    statement = make_statement(victim, losses=[("medical", "80.00", "Clinic receipt")])
    client = client_for(world.officer)
    body = client.get(statement.get_absolute_url()).content.decode()
    assert "Since that night I cannot sleep." in body and "$80.00" in body
    assert leaked(body) == []
    assert ReadLog.objects.filter(user=world.officer, what="statement", record_id=str(statement.pk)).count() == 1
    for role in ("officer2", "officer_d10", "supervisor", "boards", "staff_jccc"):
        assert client_for(getattr(world, role)).get(statement.get_absolute_url()).status_code == 404
    assert ReadLog.objects.count() == 1


def test_a_board_coordinator_sees_only_what_was_shared_with_a_board(world, victim, client_for):
    court = make_statement(victim)
    shared = make_statement(victim, board_mode="written_board_only")
    refused = make_statement(victim, board_mode="no_participation")
    client = client_for(world.boards)
    assert client.get(shared.get_absolute_url()).status_code == 200
    assert client.get(court.get_absolute_url()).status_code == 404
    assert client.get(refused.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("data", "content_type"), [(PDF_BYTES, "application/pdf"), (PNG, "image/png"), (WAV, "audio/wav")]
)
def test_an_attachment_is_typed_from_its_bytes_and_served_only_through_the_logged_view(
    world, victim, client_for, data, content_type
):
    statement = make_statement(victim)
    client = client_for(world.victims)
    upload = SimpleUploadedFile("anything.txt", data, content_type="text/plain")
    response = client.post(
        reverse("victims:attachment_add", args=[statement.pk]), {"title": "Evidence", "file": upload}
    )
    assert response.status_code == 302
    attachment = StatementAttachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.file.name.startswith("victims/attachments/") and "anything" not in attachment.file.name
    response = client_for(world.officer).get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ReadLog.objects.filter(what="attachment", record_id=str(attachment.pk)).count() == 1
    assert client_for(world.supervisor).get(attachment.get_absolute_url()).status_code == 404
    assert ReadLog.objects.filter(what="attachment").count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"<html><script>alert(1)</script></html>", "Attach a PDF"),
        (b"MZ\x90\x00 an executable", "Attach a PDF"),
        (b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES, "larger than 20 MB"),
    ],
)
def test_anything_else_or_too_large_is_refused_and_nothing_is_stored(world, victim, client_for, data, error):
    statement = make_statement(victim)
    upload = SimpleUploadedFile("bill.pdf", data, content_type="application/pdf")
    response = client_for(world.victims).post(
        reverse("victims:attachment_add", args=[statement.pk]), {"title": "Bill", "file": upload}
    )
    assert error in str(response.context["form"].errors["file"])
    assert StatementAttachment.objects.count() == 0


def test_the_timeline_says_only_statement_received_and_links_it_for_those_who_may_read_it(world, victim):
    statement = make_statement(victim, received_on=dt.date(2026, 3, 3))
    make_attachment(statement)
    for user, linked in (
        (world.officer, True),
        (world.supervisor, False),
        (world.victims, True),
        (world.boards, False),
    ):
        items = [i for i in timeline_for(world.supervised, user) if i.program == "victims"]
        assert [(i.date, i.text) for i in items] == [(dt.date(2026, 3, 3), "Victim impact statement received")]
        assert bool(items[0].url) is linked
    assert ReadLog.objects.count() == 0  # a timeline line reads nothing protected


def test_a_statement_written_for_the_board_only_never_reaches_the_officer(world, victim, client_for):
    board_only = make_statement(victim, board_mode="written_board_only", statement_text="For the board alone")
    attachment = make_attachment(board_only)
    officer = client_for(world.officer)
    assert officer.get(board_only.get_absolute_url()).status_code == 404
    assert officer.get(attachment.get_absolute_url()).status_code == 404
    assert "For the board alone" not in officer.get(victim.get_absolute_url()).content.decode()
    items = [i for i in timeline_for(world.supervised, world.officer) if i.program == "victims"]
    assert [(i.text, i.url) for i in items] == [("Victim impact statement received", "")]
    assert client_for(world.boards).get(board_only.get_absolute_url()).status_code == 200


def test_victim_services_corrects_a_statement_and_history_keeps_the_first_version(world, victim, client_for):
    statement = make_statement(victim)
    url = reverse("victims:statement_edit", args=[statement.pk])
    client = client_for(world.victims)
    assert "Since that night" in client.get(url).content.decode()
    assert ReadLog.objects.filter(what="statement", path=url).count() == 1
    response = client.post(url, statement_data(world, statement_text="Corrected: since that night."))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.statement_text == "Corrected: since that night." and statement.method == "interview"
    assert [h.statement_text for h in statement.history.order_by("history_date")] == [
        "Since that night I cannot sleep.",
        "Corrected: since that night.",
    ]
    for role in ("officer", "auditor", "boards"):
        assert client_for(getattr(world, role)).post(url, statement_data(world)).status_code == 404
    statement.refresh_from_db()
    assert statement.statement_text == "Corrected: since that night."
