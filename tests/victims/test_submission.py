"""The online statement: victim services sends a signed, expiring, single-use link; the victim writes
in English or Spanish without an account, kept as they type, and sends it; it arrives as a draft that
only victim services reads until they record it. An expired, reused, tampered or another victim's
link explains itself and changes nothing."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.links import link_token
from core.models import Alert
from tests.factories.victims import PDF_BYTES, make_victim
from victims import services
from victims.choices import StatementStatus
from victims.models import ImpactStatement, SubmissionLink
from victims.submission_text import BOARD_MODES, LOSS_CATEGORIES, SERIOUSNESS, TEXT

pytestmark = pytest.mark.django_db


def test_both_languages_have_every_word():
    assert set(TEXT["en"]) == set(TEXT["es"])
    for choices in (SERIOUSNESS, LOSS_CATEGORIES, BOARD_MODES):
        assert [v for v, _ in choices["en"]] == [v for v, _ in choices["es"]]


@pytest.fixture
def link(world, victim):
    """A link made by victim services on its page; returns (link, path)."""
    response = client_for_staff(world).post(
        reverse("victims:submission_link_add", args=[victim.pk]),
        {"case": world.case.pk, "language": "en", "days": "14"},
    )
    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+/victims/statement/[^"]+)"', response.content.decode()).group(1)
    return SubmissionLink.objects.get(), url


def client_for_staff(world):
    client = Client()
    client.force_login(world.victims)
    return client


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def fill(**extra):
    data = {"action": "submit", "injury_seriousness": "none", "consent": "court_only"}
    data.update(extra)
    return data


def test_the_link_is_shown_once_and_only_what_it_signs_is_stored(world, victim, link):
    row, url = link
    assert row.victim == victim and row.case == world.case and row.created_by == world.victims
    assert row.expires_at - row.created_at == dt.timedelta(days=14)
    token = path_of(url).rstrip("/").rsplit("/", 1)[1]
    stored = " ".join(str(v) for v in SubmissionLink.objects.values().get().values())
    assert token not in stored
    # The victim's page lists the link, never its address.
    page = client_for_staff(world).get(victim.get_absolute_url()).content.decode()
    assert "Links sent to write a statement online" in page and token not in page


def test_the_victim_writes_saves_comes_back_and_sends(world, victim, link):
    _row, url = link
    path = path_of(url)
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and '<html lang="en">' in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    # Kept as they type (the script's post), then the page shows it again.
    saved = anonymous.post(
        path, {"action": "save", "psychological_harm": "I cannot sleep.", "loss_1_amount": "12"}, HTTP_X_AUTOSAVE="1"
    )
    assert saved.status_code == 200 and saved.json()["saved"].startswith("Saved ")
    assert "I cannot sleep." in anonymous.get(path).content.decode()
    # Sent with a loss and a document.
    response = anonymous.post(
        path,
        fill(
            psychological_harm="I cannot sleep.",
            statement_text="I want him to pay for the window.",
            loss_1_category="property",
            loss_1_amount="$1,250.50",
            loss_1_description="Front window",
            document_1=SimpleUploadedFile("bill.pdf", PDF_BYTES, content_type="application/pdf"),
        ),
    )
    assert response.status_code == 200 and "Your statement was sent" in response.content.decode()
    statement = ImpactStatement.objects.get()
    assert statement.status == StatementStatus.DRAFT and statement.method == "form"
    assert statement.victim == victim and statement.entered_by is None
    assert [(str(x.amount), x.category) for x in statement.losses.all()] == [("1250.50", "property")]
    assert statement.attachments.get().content_type == "application/pdf"
    row = SubmissionLink.objects.get()
    assert row.used_at is not None and row.statement == statement and row.draft == {}
    assert Alert.objects.filter(user=world.victims, link=statement.get_absolute_url()).exists()


def test_spanish_page_and_messages(world, victim, link):
    _row, url = link
    path = path_of(url)
    anonymous = Client()
    page = anonymous.get(path + "?lang=es").content.decode()
    assert '<html lang="es">' in page and "Su declaración de impacto como víctima" in page
    # Nothing written: the message in Spanish, nothing stored. Django's own messages in Spanish too.
    response = anonymous.post(path, fill(lang="es", injury_seriousness="bogus"))
    body = response.content.decode()
    assert "No se envió nada" in body and "Escoja una opción válida" in body
    response = anonymous.post(path, fill(lang="es"))
    assert "Escriba en al menos una casilla, o adjunte un documento." in response.content.decode()
    assert ImpactStatement.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"loss_1_category": "medical", "loss_1_amount": "twelve"}, "loss_1_amount", "Enter an amount in dollars"),
        ({"loss_1_category": "medical", "loss_1_amount": "-5"}, "loss_1_amount", "Enter an amount above zero."),
        ({"loss_1_category": "medical", "loss_1_amount": "1.234"}, "loss_1_amount", "Enter an amount in dollars"),
        ({"loss_2_amount": "40"}, "loss_2_category", "Choose the kind of loss"),
        ({"loss_3_category": "wages"}, "loss_3_amount", "Enter the amount of this loss."),
        ({"consent": "board", "statement_text": "x"}, "board_mode", "Choose how you would like to take part"),
        ({"consent": "neither", "statement_text": "x"}, "consent", "Select a valid choice"),
        (
            {"document_1": SimpleUploadedFile("a.html", b"<html><script>", content_type="application/pdf")},
            "document_1",
            "Attach a PDF, a JPEG or PNG picture",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(world, victim, link, extra, field, message):
    _row, url = link
    response = Client().post(path_of(url), fill(**extra))
    body = response.content.decode()
    assert (
        response.status_code == 200
        and message in body
        and (f'href="#id_{field}' in body or f'href="#div_id_{field}' in body)
    )
    assert ImpactStatement.objects.count() == 0 and SubmissionLink.objects.get().used_at is None


def test_a_used_link_explains_itself_in_both_languages_and_changes_nothing(world, victim, link):
    _row, url = link
    path = path_of(url)
    Client().post(path, fill(statement_text="First and only."))
    again = Client().post(path, fill(statement_text="A second one."))
    body = again.content.decode()
    assert again.status_code == 410
    assert "This statement was already sent" in body and "Esta declaración ya fue enviada" in body
    assert ImpactStatement.objects.count() == 1 and Client().get(path).status_code == 410
    # Saving through a used link changes nothing either.
    Client().post(path, {"action": "save", "statement_text": "late"})
    assert SubmissionLink.objects.get().draft == {}


def test_an_expired_link(world, victim, link):
    row, url = link
    now = timezone.now()
    SubmissionLink.objects.filter(pk=row.pk).update(
        created_at=now - dt.timedelta(days=15), expires_at=now - dt.timedelta(minutes=1)
    )
    response = Client().post(path_of(url), fill(statement_text="Too late."))
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert ImpactStatement.objects.count() == 0


def test_a_tampered_link_and_one_naming_another_victim(world, victim, link):
    row, url = link
    path = path_of(url)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().get(tampered)
    assert response.status_code == 404 and "This link is not valid" in response.content.decode()
    other = make_victim(cases=[world.case], user=world.victims)
    forged = link_token(services.SUBMISSION_SALT, link=row.pk, victim=other.pk)
    response = Client().post(reverse("victims:submission", args=[forged]), fill(statement_text="x"))
    assert response.status_code == 404 and ImpactStatement.objects.count() == 0
    # Another salt's token (a community service link's) is refused too.
    response = Client().get(reverse("victims:submission", args=[link_token("other", link=row.pk, victim=victim.pk)]))
    assert response.status_code == 404


def test_only_victim_services_reads_it_until_recorded(world, victim, link, client_for):
    _row, url = link
    Client().post(path_of(url), fill(statement_text="Draft words only victim services reads."))
    statement = ImpactStatement.objects.get()
    detail = reverse("victims:statement_detail", args=[statement.pk])
    officer = client_for(world.officer)
    assert officer.get(detail).status_code == 404
    timeline = officer.get(reverse("core:offender_timeline", args=[world.supervised.pk])).content.decode()
    assert "Victim impact statement received" not in timeline
    staff = client_for(world.victims)
    assert "Record the statement" in staff.get(detail).content.decode()
    assert staff.post(reverse("victims:statement_accept", args=[statement.pk])).status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.RECORDED and statement.entered_by == world.victims
    assert client_for(world.officer).get(detail).status_code == 200


def test_making_a_link_refuses_bad_input(world, victim, client_for):
    client = client_for(world.victims)
    url = reverse("victims:submission_link_add", args=[victim.pk])
    response = client.post(url, {"case": world.case_d10.pk, "language": "fr", "days": "0"})
    body = response.content.decode()
    assert "Select a valid choice" in body and "greater than or equal to 1" in body
    assert SubmissionLink.objects.count() == 0
    victim.do_not_contact = True
    victim.save(update_fields=["do_not_contact"])
    response = client.post(url, {"case": world.case.pk, "language": "en", "days": "14"})
    assert "asked not to be contacted" in response.content.decode()
    assert SubmissionLink.objects.count() == 0
    # Other roles: not found.
    assert client_for(world.officer).get(url).status_code == 404
    assert client_for(world.auditor).get(url).status_code == 404
