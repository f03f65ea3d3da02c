"""Victims told of an offender's release, discharge, escape, death or parole hearing (RSMo 595.209):
who has the right, on which channels, e-mails sent and retried when the mail server refuses, letters
to the Safe at Home address only, calls recorded by hand, and what each role sees."""

import datetime as dt
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.choices import OffenderStatus, ParoleOutcome
from core.services import offender_status_set, parole_hearing_record
from tests.factories.victims import ADDRESS, DESIGNATED, EMAIL, NAME, PHONE, make_victim
from tests.pdfs import pdf_text
from victims import services
from victims.choices import AttemptOutcome, Channel, NoticeStatus, StatutoryCategory
from victims.models import Notification, NotificationAttempt, ReadLog

pytestmark = pytest.mark.django_db


def discharge(world, capture, status=OffenderStatus.DISCHARGED):
    with capture(execute=True):
        offender_status_set(offender=world.supervised, status=status, user=world.supervisor)


@pytest.fixture
def told(world):
    """A victim with the right by law (a sexual offense), told by e-mail, letter and phone."""
    return make_victim(
        cases=[world.case],
        user=world.victims,
        statutory_category=StatutoryCategory.SEXUAL_OFFENSE,
        notify_by_email=True,
        notify_by_mail=True,
        notify_by_phone=True,
    )


def test_a_discharge_tells_each_victim_with_the_right_on_each_chosen_channel(
    world, told, django_capture_on_commit_callbacks
):
    # No right: a class D felony, no category, no written request (even with a channel chosen).
    make_victim(cases=[world.case], user=world.victims, notify_by_email=True)
    # A written request gives the right; asked not to be contacted, or deceased: nothing.
    requested = make_victim(
        cases=[world.case], user=world.victims, notification_requested_on=dt.date(2026, 1, 5), notify_by_email=True
    )
    make_victim(
        cases=[world.case], user=world.victims, statutory_category=StatutoryCategory.STALKING, do_not_contact=True
    )
    make_victim(cases=[world.case], user=world.victims, statutory_category="domestic_assault", deceased=True)

    discharge(world, django_capture_on_commit_callbacks)

    notices = Notification.objects.order_by("victim_id", "channel")
    assert sorted((n.victim_id, n.channel) for n in notices) == sorted(
        [(told.pk, Channel.EMAIL), (told.pk, Channel.MAIL), (told.pk, Channel.PHONE), (requested.pk, Channel.EMAIL)]
    )
    # The two e-mails went at once (the task ran after the commit); letter and call wait for staff.
    assert {n.channel: n.status for n in notices if n.victim_id == told.pk} == {
        Channel.EMAIL: NoticeStatus.SENT,
        Channel.MAIL: NoticeStatus.PENDING,
        Channel.PHONE: NoticeStatus.PENDING,
    }
    assert len(mail.outbox) == 2 and mail.outbox[0].to == [EMAIL]
    body = mail.outbox[0].body
    assert world.supervised.doc_id in body and "discharged" in body
    assert NAME not in body and ADDRESS not in body


def test_the_handler_is_idempotent_and_ignores_what_is_not_told(world, told, django_capture_on_commit_callbacks):
    discharge(world, django_capture_on_commit_callbacks)
    event = Notification.objects.first().event
    assert services.notifications_for_event(event) == []
    assert Notification.objects.count() == 3
    # A change of officer is not something a victim is told of.
    from core.events import emit

    other = emit(offender=world.supervised, kind="officer", before="1", after="2")
    assert services.notifications_for_event(other) == []


def test_a_parole_hearing_is_told_with_its_outcome_and_next_date(world, told, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parole_hearing_record(
            offender=world.supervised,
            hearing_date=dt.date(2026, 11, 2),
            outcome=ParoleOutcome.CONTINUED,
            next_hearing_date=dt.date(2027, 5, 3),
            user=world.supervisor,
        )
    notice = Notification.objects.get(channel=Channel.EMAIL)
    assert "November 2, 2026" in notice.body and "continued to a later date" in notice.body
    assert "May 3, 2027" in notice.body


@pytest.fixture
def mail_server_down(settings):
    """A real SMTP connection to a port nothing listens on: refused, as when the mail server is down."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return port


def test_a_refused_email_is_kept_retried_with_backoff_and_failed_after_the_last_try(
    world, told, django_capture_on_commit_callbacks, mail_server_down, settings
):
    discharge(world, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(channel=Channel.EMAIL)
    assert notice.status == NoticeStatus.PENDING and notice.attempts == 1
    first = notice.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < first <= dt.timedelta(minutes=1)
    # The sweep does nothing before the next try is due...
    assert services.notifications_send_due() == 0
    # ...and tries again at each step of the backoff until it gives up.
    now = timezone.now()
    for step in services.EMAIL_BACKOFF:
        now += step + dt.timedelta(seconds=1)
        assert services.notifications_send_due(now=now) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FAILED and notice.attempts == services.EMAIL_MAX_ATTEMPTS
    tries = list(notice.attempt_log.all())
    assert [t.outcome for t in tries] == [AttemptOutcome.FAILED] * services.EMAIL_MAX_ATTEMPTS
    assert "ConnectionRefusedError" in tries[0].detail
    assert all(EMAIL not in t.detail for t in tries)
    # Victim services tries again once the server is back: sent, and every attempt is still in the log.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_retry(user=world.victims, notification=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.attempt_log.count() == services.EMAIL_MAX_ATTEMPTS + 1


def test_a_channel_with_nothing_on_file_fails_at_once_for_victim_services_to_see(
    world, django_capture_on_commit_callbacks
):
    victim = make_victim(
        cases=[world.case],
        user=world.victims,
        identity={"email": "", "phone": ""},
        statutory_category=StatutoryCategory.DOMESTIC_ASSAULT,
        notify_by_email=True,
        notify_by_phone=True,
    )
    discharge(world, django_capture_on_commit_callbacks)
    assert set(victim.notifications.values_list("status", flat=True)) == {NoticeStatus.FAILED}
    assert set(NotificationAttempt.objects.values_list("outcome", flat=True)) == {AttemptOutcome.NO_CONTACT}
    assert mail.outbox == []


def test_a_safe_at_home_letter_goes_to_the_designated_address_only(
    world, client_for, django_capture_on_commit_callbacks, tmp_path
):
    victim = make_victim(
        cases=[world.case],
        user=world.victims,
        statutory_category=StatutoryCategory.DOMESTIC_ASSAULT,
        notify_by_mail=True,
        identity={
            "address": "",
            "safe_at_home": True,
            "designated_address": DESIGNATED,
            "safe_at_home_card_verified": True,
            "safe_at_home_card_expires": dt.date(2030, 1, 1),
        },
    )
    discharge(world, django_capture_on_commit_callbacks, status=OffenderStatus.ESCAPED)
    notice = victim.notifications.get()
    client = client_for(world.victims)
    reads = ReadLog.objects.count()
    response = client.get(reverse("victims:notification_letter", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "PO Box 1409" in text and "Persimmon" not in text and "call 911" in text
    assert ReadLog.objects.count() == reads + 1  # opening the letter is a logged read of the identity
    # Mailed: done, with who mailed it.
    response = client.post(
        reverse("victims:notification_detail", args=[notice.pk]), {"action": "mailed", "note": "certified"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.attempt_log.get().by == world.victims


def test_a_call_is_recorded_and_only_reaching_the_victim_or_a_message_closes_it(
    world, told, client_for, django_capture_on_commit_callbacks
):
    discharge(world, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(channel=Channel.PHONE)
    client = client_for(world.victims)
    url = reverse("victims:notification_detail", args=[notice.pk])
    page = client.get(url).content.decode()
    assert PHONE in page  # the number to call, while a call is to make (a logged read)
    # No outcome chosen: a clear message, nothing stored.
    response = client.post(url, {"action": "call", "note": "x"})
    assert response.status_code == 200 and "How the call went" in response.content.decode()
    assert notice.attempt_log.count() == 0
    client.post(url, {"action": "call", "outcome": AttemptOutcome.NO_ANSWER})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING and notice.attempts == 1
    client.post(url, {"action": "call", "outcome": AttemptOutcome.REACHED, "note": "Told her; she thanked us."})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.attempt_log.count() == 2
    assert PHONE not in client.get(url).content.decode()  # done: the number is no longer shown


def test_cancel_needs_a_reason_and_only_a_pending_notice_can_be_cancelled(
    world, told, client_for, django_capture_on_commit_callbacks
):
    discharge(world, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(channel=Channel.MAIL)
    client = client_for(world.victims)
    url = reverse("victims:notification_detail", args=[notice.pk])
    response = client.post(url, {"action": "cancel", "reason": "  "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING
    client.post(url, {"action": "cancel", "reason": "She moved out of state and asked by phone."})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    response = client.post(url, {"action": "retry"})
    assert "Only a failed notice can be tried again." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "list_status", "letter_status"),
    [
        ("victims", 200, 200),
        ("admin", 200, 200),
        ("auditor", 200, 404),
        ("officer", 404, 404),
        ("supervisor", 404, 404),
        ("boards", 404, 404),
        ("staff_jccc", 404, 404),
    ],
)
def test_who_sees_notifications(
    world, told, client_for, django_capture_on_commit_callbacks, role, list_status, letter_status
):
    discharge(world, django_capture_on_commit_callbacks)
    letter = Notification.objects.get(channel=Channel.MAIL)
    phone = Notification.objects.get(channel=Channel.PHONE)
    client = client_for(getattr(world, role))
    assert client.get(reverse("victims:notification_list")).status_code == list_status
    assert client.get(reverse("victims:notification_detail", args=[phone.pk])).status_code == list_status
    assert client.get(reverse("victims:notification_letter", args=[letter.pk])).status_code == letter_status
    if role == "auditor":
        page = client.get(reverse("victims:notification_detail", args=[phone.pk])).content.decode()
        assert PHONE not in page and "Record the call" not in page
        # An auditor cannot act on a notice either.
        response = client.post(
            reverse("victims:notification_detail", args=[phone.pk]), {"action": "call", "outcome": "reached"}
        )
        assert response.status_code == 404
        phone.refresh_from_db()
        assert phone.status == NoticeStatus.PENDING


def test_the_victim_page_says_why_and_how_the_victim_is_told(
    world, told, client_for, django_capture_on_commit_callbacks
):
    discharge(world, django_capture_on_commit_callbacks)
    page = client_for(world.victims).get(reverse("victims:victim_detail", args=[told.pk])).content.decode()
    assert "By law (RSMo 595.209" in page and "e-mail, letter, phone call" in page
    assert "Notice about" in page


def test_the_victim_form_refuses_channels_for_a_do_not_contact_victim_and_a_future_request(world, told, client_for):
    from victims.models import Victim

    response = client_for(world.victims).post(
        reverse("victims:victim_edit", args=[told.pk]),
        {
            "victim-kind": "person",
            "victim-case_numbers": world.case.case_number,
            "victim-do_not_contact": "on",
            "victim-notify_by_email": "on",
            "victim-notification_requested_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "identity-name": NAME,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "gets no notices" in body and "cannot be dated in the future" in body
    assert Victim.objects.get(pk=told.pk).do_not_contact is False
