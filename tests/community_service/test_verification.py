"""Verification: the agency's link (valid, expired, reused, tampered, for another agency) and the
officer's signed sheet (type read from the bytes, size-limited). Every refusal changes nothing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from community_service import services
from community_service.models import HourLog, VerificationLink
from core.models import AuditEvent
from tests.factories.community_service import AgencyFactory, log, placement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a signed sheet\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def pending(world, cs):
    p = type("Pending", (), {})()
    p.mine = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer, verified=False, task="Painting")
    p.mine2 = log(cs.order, cs.place, dt.date(2026, 6, 2), "2.50", user=world.officer, verified=False, task="Mowing")
    # officer.d10's person at the same agency, and officer.d9's person at another agency.
    p.theirs = log(
        cs.order_d10, cs.place_d10, dt.date(2026, 6, 1), "4.00", user=world.admin, verified=False, task="Hidden"
    )
    p.other_agency = AgencyFactory(verifier_name="Other Contact")
    other_place = placement(world.supervised, p.other_agency, start_on=dt.date(2026, 3, 1), user=world.admin)
    p.elsewhere = log(cs.order, other_place, dt.date(2026, 6, 3), "1.00", user=world.officer, verified=False)
    return p


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send(client, agency, mailoutbox)``: the link e-mailed (after the commit), its path."""

    def sender(client, agency, mailoutbox):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/community-service/agencies/{agency.pk}/send-link/")
        assert response.status_code == 302
        return link_path(mailoutbox)

    return sender


def link_path(mailoutbox):
    return re.search(r"https?://[^/\s]+(/community-service/verify/[^\s]+/)", mailoutbox[-1].body).group(1)


def states(*logs):
    return [HourLog.objects.values_list("verification", "credited_hours").get(pk=x.pk) for x in logs]


def test_the_agency_verifies_through_the_link_without_an_account(
    world, cs, pending, client_for, client, mailoutbox, send
):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    assert mailoutbox[-1].to == [cs.agency.verifier_email]
    assert "2 community service hour entries" in mailoutbox[-1].subject
    client.logout()  # the contact has no account
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Painting" in html and "Mowing" in html
    assert "Hidden" not in html  # officer.d10's person: not the sender's to ask about
    assert f"decision_{pending.elsewhere.pk}" not in html  # another agency's hours
    response = client.post(
        path,
        {
            f"decision_{pending.mine.pk}": "approve",
            f"decision_{pending.mine2.pk}": "reject",
            f"note_{pending.mine2.pk}": "Not here that day",
        },
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    mine = HourLog.objects.get(pk=pending.mine.pk)
    assert (mine.verification, mine.credited_hours, mine.method) == ("verified", 3, "agency_link")
    assert mine.decided_by is None and mine.decided_by_name == cs.agency.verifier_name and mine.decided_at
    assert mine.verified_through.sent_by == world.officer
    assert states(pending.mine2) == [("rejected", 0)]
    assert HourLog.objects.get(pk=pending.mine2.pk).decision_note == "Not here that day"
    assert states(pending.theirs, pending.elsewhere) == [("pending", 0), ("pending", 0)]
    # The link opens nothing else: every other page sends the contact to sign in.
    for other in (mine.get_absolute_url(), cs.agency.get_absolute_url(), "/community-service/orders/", "/restitution/"):
        assert client.get(other)["Location"].startswith("/accounts/login/"), other
    assert client.get("/api/v1/community-service/").status_code in (401, 403)


def test_a_reused_link_explains_itself_and_changes_nothing(world, cs, pending, client_for, client, mailoutbox, send):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    client.logout()
    client.post(path, {f"decision_{pending.mine.pk}": "approve"})  # the first use; Mowing left for later
    again = client.get(path)
    assert again.status_code == 410 and "This link was already used" in again.content.decode()
    response = client.post(path, {f"decision_{pending.mine2.pk}": "approve"})
    assert response.status_code == 410 and "Nothing was changed." in response.content.decode()
    assert states(pending.mine, pending.mine2) == [("verified", 3), ("pending", 0)]


def test_an_expired_link_explains_itself_and_changes_nothing(world, cs, pending, client_for, client, mailoutbox, send):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    client.logout()
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):  # 14 days and more
        page = client.get(path)
        assert page.status_code == 410 and "This link has expired" in page.content.decode()
        response = client.post(path, {f"decision_{pending.mine.pk}": "approve"})
        assert response.status_code == 410
    assert states(pending.mine) == [("pending", 0)]
    assert VerificationLink.objects.get().used_at is None


def test_a_tampered_link_explains_itself_and_changes_nothing(world, cs, pending, client_for, client, mailoutbox, send):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    client.logout()
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (f"/community-service/verify/{tampered}/", "/community-service/verify/not-a-token/"):
        page = client.get(bad)
        assert page.status_code == 404 and "This link is not valid" in page.content.decode()
        assert client.post(bad, {f"decision_{pending.mine.pk}": "approve"}).status_code == 404
    assert states(pending.mine) == [("pending", 0)]


def test_a_link_cannot_decide_another_agencys_hours(world, cs, pending, client_for, client, mailoutbox, send):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    token = path.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(ValidationError) as exc:
        services.verification_link_decide(token=token, decisions={pending.elsewhere.pk: (True, "")})
    assert exc.value.messages == ["This link can decide only the hours it lists. Nothing was changed."]
    # Through the page, hours of another agency posted with the form are not this link's to decide.
    client.logout()
    client.post(path, {f"decision_{pending.elsewhere.pk}": "approve", f"decision_{pending.mine.pk}": "approve"})
    assert states(pending.elsewhere, pending.mine) == [("pending", 0), ("verified", 3)]


def test_a_rejection_without_a_note_is_refused_under_it(world, cs, pending, client_for, client, mailoutbox, send):
    path = send(client_for(world.officer), cs.agency, mailoutbox)
    client.logout()
    response = client.post(path, {f"decision_{pending.mine.pk}": "reject"})
    assert response.context["form"].errors[f"note_{pending.mine.pk}"] == ["Say why these hours are rejected."]
    assert states(pending.mine) == [("pending", 0)]
    assert VerificationLink.objects.get().used_at is None


def test_no_link_without_pending_hours_or_people_there_and_not_for_auditors(world, cs, client_for, mailoutbox):
    empty = AgencyFactory()  # nobody of officer.d9's is placed there, nothing waits
    response = client_for(world.officer).post(f"/community-service/agencies/{empty.pk}/send-link/", follow=True)
    assert "No hours you follow are waiting for verification at this agency, and none of your people" in (
        response.content.decode()
    )
    assert client_for(world.auditor).post(f"/community-service/agencies/{cs.agency.pk}/send-link/").status_code == 403
    assert not mailoutbox and not VerificationLink.objects.exists()


# The officer's signed sheet ------------------------------------------------------------------------------
def verify(client, entry, **data):
    return client.post(f"/community-service/hours/{entry.pk}/verify/", data)


def test_the_officer_verifies_with_the_signed_sheet(world, cs, pending, client_for):
    client = client_for(world.officer)
    response = verify(client, pending.mine, decision="approve", sheet=SimpleUploadedFile("scan.pdf", PDF))
    assert response.status_code == 302
    entry = HourLog.objects.get(pk=pending.mine.pk)
    assert (entry.verification, entry.credited_hours, entry.decided_by, entry.method) == (
        "verified",
        3,
        world.officer,
        "signed_sheet",
    )
    assert entry.sheet.read() == PDF
    download = client.get(f"/community-service/hours/{entry.pk}/sheet/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="cs_sheet_download", object_id=str(entry.pk)).exists()
    assert client.get(f"/community-service/hours/{entry.pk}/verify/").status_code == 404  # locked now
    assert verify(client, pending.theirs, decision="approve").status_code == 404  # officer.d10's person


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "approve"}, "sheet", "Upload the sheet the agency signed for these hours."),
        (
            {"decision": "approve", "sheet": ("sheet.pdf", b"just some text, named .pdf")},
            "sheet",
            "A signed sheet must be a PDF, PNG or JPEG file; this file is none of them.",
        ),
        (
            {"decision": "approve", "sheet": ("big.png", PNG + b"\x00" * 1_600_000)},
            "sheet",
            "The file is 1.5 MB; a signed sheet may be at most 1 MB.",
        ),
        ({"decision": "reject"}, "note", "Say why these hours are rejected."),
    ],
)
def test_bad_sheets_are_refused_under_their_field(world, cs, pending, client_for, settings, data, field, message):
    settings.COMMUNITY_SERVICE_SHEET_MAX_BYTES = 1024 * 1024
    if "sheet" in data:
        name, content = data["sheet"]
        data = {**data, "sheet": SimpleUploadedFile(name, content)}
    response = verify(client_for(world.officer), pending.mine, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert states(pending.mine) == [("pending", 0)]


def test_a_png_sheet_is_accepted(world, cs, pending, client_for):
    response = verify(
        client_for(world.officer), pending.mine, decision="approve", sheet=SimpleUploadedFile("a.png", PNG)
    )
    assert response.status_code == 302
    assert HourLog.objects.get(pk=pending.mine.pk).sheet.name.endswith(".png")
