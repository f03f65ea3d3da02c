"""Writes of the victims app: recording a victim with their protected identity, and the read log."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.choices import OffenderEventKind, OffenderStatus, OffenseClass, Role
from core.links import link_open, link_token
from core.services import set_history

from .choices import (
    CALL_DONE,
    CALL_OUTCOMES,
    AttemptOutcome,
    Channel,
    NoticeStatus,
    ReadSource,
    ReadWhat,
    ReceivedMethod,
    StatementStatus,
    StatutoryCategory,
)
from .models import (
    ImpactStatement,
    Notification,
    NotificationAttempt,
    ReadLog,
    SubmissionLink,
    Victim,
    VictimIdentity,
    can_read_identity,
)


@transaction.atomic
def victim_save(*, user, victim: Victim, identity: VictimIdentity, cases=None, reason: str = "") -> Victim:
    """Save a victim and their identity together (a new one or an edit); only who may read identity may write it."""
    if not can_read_identity(user):
        raise PermissionDenied
    if victim.pk is None:
        victim.created_by = user
    victim.full_clean()
    set_history(victim, user, reason)
    victim.save()
    if cases is not None:
        victim.cases.set(cases)
    identity.victim = victim
    identity.full_clean()
    set_history(identity, user, reason)
    identity.save()
    return victim


def read_log(
    *, user, victims, what: str = ReadWhat.IDENTITY, source: str = ReadSource.PAGE, path: str = "", record_id: str = ""
) -> int:
    """Record one read per victim in ``victims`` (one insert for them all); returns how many."""
    rows = [
        ReadLog(
            user=user,
            victim_id=getattr(v, "pk", v),
            what=what,
            source=source,
            path=path[:300],
            record_id=record_id or str(getattr(v, "pk", v)),
        )
        for v in victims
    ]
    ReadLog.objects.bulk_create(rows)
    return len(rows)


def identities_rotate(batch: int = 500) -> int:
    """Re-encrypt the stored ciphertexts (identities and their history) under the newest key.

    Works on the raw column values (no decrypt-and-save, so no history row and no hash changes).
    """
    from django.db import connection

    from . import crypto
    from .models import VictimIdentity

    columns = [f.column for f in VictimIdentity._meta.fields if isinstance(f, crypto.EncryptedTextField)]
    done = 0
    for model in (VictimIdentity, VictimIdentity.history.model):
        table, pk = model._meta.db_table, model._meta.pk.column
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in columns)
            cursor.execute(f'SELECT "{pk}", {names} FROM "{table}" FOR UPDATE')
            rows = cursor.fetchall()
            for row in rows:
                values = [crypto.rotate(value) for value in row[1:]]
                sets = ", ".join(f'"{c}" = %s' for c in columns)
                cursor.execute(f'UPDATE "{table}" SET {sets} WHERE "{pk}" = %s', [*values, row[0]])
            done += len(rows)
    return done


@transaction.atomic
def conflict_review(*, user, match, status: str, note: str = ""):
    """Victim services clears (not the victim) or confirms (the victim) a possible conflict, once."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from .choices import MatchStatus
    from .models import ConflictMatch

    if not can_read_identity(user):
        raise PermissionDenied
    match = ConflictMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != MatchStatus.OPEN:
        raise ValidationError("This possible conflict was already reviewed.")
    if status not in (MatchStatus.CLEARED, MatchStatus.CONFIRMED):
        raise ValidationError({"status": "Choose clear or confirm."})
    match.status, match.review_note = status, note
    match.reviewed_by, match.reviewed_at = user, timezone.now()
    match.full_clean()
    set_history(match, user, f"Review: {status}")
    match.save()
    return match


# Impact statements --------------------------------------------------------------------------------
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
)


def sniff(data: bytes) -> str | None:
    """The content type read from the first bytes (never from the name or what the browser said)."""
    for magic, content_type in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[4:8] == b"ftyp" and data[8:11] == b"M4A":
        return "audio/mp4"
    if len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:  # an MPEG audio frame without a tag
        return "audio/mpeg"
    return None


@transaction.atomic
def statement_record(*, user, statement, losses=()):
    """Record a victim impact statement (and its itemized losses) as victim services received it."""
    if not can_read_identity(user):
        raise PermissionDenied
    if statement.pk is None:
        statement.entered_by = user
    statement.full_clean()
    set_history(statement, user)
    statement.save()
    for loss in losses:
        loss_add(user=user, statement=statement, loss=loss)
    return statement


@transaction.atomic
def loss_add(*, user, statement, loss):
    if not can_read_identity(user):
        raise PermissionDenied
    loss.statement = statement
    loss.full_clean()
    set_history(loss, user)
    loss.save()
    return loss


@transaction.atomic
def attachment_add(*, user, statement, upload, title: str):
    """Store a document of a statement after reading its type from its bytes; refuse anything else."""
    if not can_read_identity(user):
        raise PermissionDenied
    return _attachment_store(statement=statement, upload=upload, title=title, uploaded_by=user)


def attachment_problem(upload) -> str | None:
    """Why an upload cannot be stored ("size" or "type"), or None. Reads the file's first bytes."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        return "size"
    head = upload.read(64)
    upload.seek(0)
    return None if sniff(head) else "type"


def _attachment_store(*, statement, upload, title: str, uploaded_by):
    from django.core.files.base import ContentFile

    from .models import StatementAttachment

    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "The file is larger than 20 MB."})
    data = upload.read()
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError({"file": "Attach a PDF, a JPEG or PNG picture, or an audio recording."})
    attachment = StatementAttachment(
        statement=statement, content_type=content_type, size=len(data), title=title, uploaded_by=uploaded_by
    )
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def court_section_produce(*, user, case, final: bool = False):
    """Produce the victim section of ``case``'s court report as a PDF, kept as a draft or the final.

    One final per case: once it exists, it is what the court received and is never replaced.
    """
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from core.models import CourtCase
    from core.pdf import render_pdf

    from .models import CourtReportSection
    from .report import section_context

    CourtCase.objects.select_for_update().filter(pk=case.pk).first()  # one producer at a time per case
    if final and CourtReportSection.objects.filter(case=case, status=CourtReportSection.FINAL).exists():
        raise ValidationError("The final version of this section is already produced and kept.")
    context = section_context(case)
    context["final"] = final
    context["produced_by"] = user
    pdf = render_pdf("victims/court_section_pdf.html", context)
    section = CourtReportSection(
        case=case,
        status=CourtReportSection.FINAL if final else CourtReportSection.DRAFT,
        statements=context["statement_count"],
        total_loss=context["total"],
        produced_by=user,
    )
    section.file.save("section.pdf", ContentFile(pdf), save=False)
    section.save()
    return section


@transaction.atomic
def payee_link(*, user, victim, payee):
    """Link a victim to a restitution payee (once)."""
    from django.core.exceptions import ValidationError

    from .models import VictimPayee

    if not can_read_identity(user):
        raise PermissionDenied
    if VictimPayee.objects.filter(victim=victim, payee=payee).exists():
        raise ValidationError({"payee": "This payee is already linked to the victim."})
    link = VictimPayee(victim=victim, payee=payee, linked_by=user)
    link.full_clean()
    link.save()
    return link


# Notifications (RSMo 595.209) ---------------------------------------------------------------------
# An offender event (core.events) reaches ``notifications_for_event`` after its change is committed.
# Each victim with a right to be told gets one Notification per channel they chose. E-mails are sent
# by a Celery task (``victims.send_notification``) and retried by beat's sweep with backoff; letters
# are printed and marked mailed; calls are recorded by hand. Every try is a NotificationAttempt.

EMAIL_BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
EMAIL_MAX_ATTEMPTS = len(EMAIL_BACKOFF) + 1
NOTIFIED_STATUSES = {
    OffenderStatus.SUPERVISED: "was released from prison to supervision",
    OffenderStatus.DISCHARGED: "was discharged from the Department's supervision",
    OffenderStatus.ESCAPED: "has escaped or absconded",
    OffenderStatus.DECEASED: "has died",
}
# RSMo 595.209.1 gives the rights without a request to victims of dangerous felonies, murder,
# voluntary manslaughter, chapter 566 (sexual offenses) and domestic assault. The record keeps the
# 595.226 category (sexual offense, domestic assault) and the case's class; a class A or B felony
# stands for a dangerous felony here (Missouri's dangerous felonies are, with few exceptions, class
# A or B). For any other offense, a written request gives the right (``notification_requested_on``).
AUTOMATIC_CATEGORIES = {StatutoryCategory.SEXUAL_OFFENSE, StatutoryCategory.DOMESTIC_ASSAULT}
AUTOMATIC_CLASSES = {OffenseClass.FELONY_A, OffenseClass.FELONY_B}


def notification_basis(victim: Victim) -> str:
    """Why the victim is notified: "statute", "request" or "" (no right: not notified)."""
    if victim.statutory_category in AUTOMATIC_CATEGORIES or any(
        c.offense_class in AUTOMATIC_CLASSES for c in victim.cases.all()
    ):
        return "statute"
    return "request" if victim.notification_requested_on else ""


def chosen_channels(victim: Victim) -> list[str]:
    return [
        channel
        for channel, chosen in (
            (Channel.EMAIL, victim.notify_by_email),
            (Channel.MAIL, victim.notify_by_mail),
            (Channel.PHONE, victim.notify_by_phone),
        )
        if chosen
    ]


def letter_address(identity: VictimIdentity | None) -> str:
    """Where a letter goes: a Safe at Home participant's designated address only, else the mailing
    address, else the home address."""
    if identity is None:
        return ""
    if identity.safe_at_home:
        return identity.designated_address
    return identity.mailing_address or identity.address


def _contact_for(channel: str, identity: VictimIdentity | None) -> str:
    if identity is None:
        return ""
    if channel == Channel.EMAIL:
        return identity.email
    if channel == Channel.PHONE:
        return identity.phone or identity.alternate_phone
    return letter_address(identity)


def notice_text(event) -> tuple[str, str]:
    """The subject and body telling a victim what happened (the offender's name and DOC ID, the date);
    None when this event is not one a victim is told of."""
    offender = event.offender
    who = f"{offender.first_name} {offender.last_name} (DOC ID {offender.doc_id})"
    when = timezone.localtime(event.occurred_at).date()
    if event.kind == OffenderEventKind.STATUS:
        what = NOTIFIED_STATUSES.get(event.after)
        if what is None or event.before == event.after:
            return None
        subject = (
            f"Notice about {offender.first_name} {offender.last_name}: {OffenderStatus(event.after).label.lower()}"
        )
        body = f"{who} {what} on {when:%B %-d, %Y}."
        if event.after == OffenderStatus.ESCAPED:
            body += " If you feel you are in danger, call 911."
    elif event.kind == OffenderEventKind.PAROLE_HEARING and event.hearing_id:
        hearing = event.hearing
        subject = f"Notice about {offender.first_name} {offender.last_name}: parole hearing"
        body = f"The parole board heard the case of {who} on {hearing.hearing_date:%B %-d, %Y}: "
        body += f"{hearing.get_outcome_display().lower()}."
        if hearing.next_hearing_date:
            body += f" The next hearing is set for {hearing.next_hearing_date:%B %-d, %Y}."
    else:
        return None
    body += (
        "\n\nYou receive this notice because you asked to be told, or because Missouri law (RSMo 595.209) "
        "gives you the right. To change how you are told, or to stop these notices, call the Office of "
        "Victim Services."
    )
    return subject, body


@transaction.atomic
def notifications_for_event(event) -> list[Notification]:
    """The offender-event handler: one notice per victim with the right and per chosen channel.
    Idempotent (a retried delivery adds nothing twice). A channel with nothing on file to use fails at
    once, so victim services sees it."""
    text = notice_text(event)
    if text is None:
        return []
    subject, body = text
    victims = (
        Victim.objects.filter(cases__offender=event.offender, deceased=False, do_not_contact=False)
        .distinct()
        .select_related("identity")
        .prefetch_related("cases")
        .order_by("pk")
    )
    made = []
    now = timezone.now()
    for victim in victims:
        if not notification_basis(victim):
            continue
        identity = getattr(victim, "identity", None)
        for channel in chosen_channels(victim):
            notice, created = Notification.objects.get_or_create(
                event=event,
                victim=victim,
                channel=channel,
                defaults={
                    "offender": event.offender,
                    "subject": subject,
                    "body": body,
                    "next_attempt_at": now if channel == Channel.EMAIL else None,
                },
            )
            if not created:
                continue
            made.append(notice)
            if not _contact_for(channel, identity):
                _finish(notice, NoticeStatus.FAILED, AttemptOutcome.NO_CONTACT, "Add it on the victim's page.")
            elif channel == Channel.EMAIL:
                transaction.on_commit(partial(_enqueue, notice.pk), robust=True)
    return made


def _enqueue(pk: int) -> None:
    from .tasks import send_notification_task

    send_notification_task.delay(pk)


def _finish(notice: Notification, status: str, outcome: str, detail: str = "", user=None) -> None:
    NotificationAttempt.objects.create(notification=notice, outcome=outcome, detail=detail[:300], by=user)
    notice.status = status
    notice.completed_at = timezone.now() if status != NoticeStatus.PENDING else None
    notice.next_attempt_at = None
    notice.save(update_fields=["status", "completed_at", "next_attempt_at", "attempts"])


def _scrub(text: str, secret: str) -> str:
    """A mail server's error without the address it was given (SMTP errors quote the recipient)."""
    if secret:
        text = text.replace(secret, "[the victim's address]")
        text = text.replace(secret.lower(), "[the victim's address]")
    return text[:300]


def notification_send(*, notification_id: int, now=None) -> Notification | None:
    """One try at an e-mail notice that is due: sent, or refused and tried again later (1 min, 5 min,
    30 min, 2 h, 12 h, then failed for victim services to see). Claimed with ``skip locked``, so two
    workers never send one twice."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("victim__identity")
            .filter(pk=notification_id, status=NoticeStatus.PENDING, channel=Channel.EMAIL)
            .first()
        )
        if notice is None or (notice.next_attempt_at and notice.next_attempt_at > now):
            return notice
        victim = notice.victim
        if victim.do_not_contact:
            _finish(notice, NoticeStatus.CANCELLED, AttemptOutcome.CANCELLED, "The victim asked not to be contacted.")
            return notice
        address = _contact_for(Channel.EMAIL, getattr(victim, "identity", None))
        if not address:
            _finish(notice, NoticeStatus.FAILED, AttemptOutcome.NO_CONTACT, "No e-mail address on file.")
            return notice
        notice.attempts += 1
        try:
            EmailMessage(notice.subject, notice.body, to=[address]).send(fail_silently=False)
        except Exception as exc:  # any refusal of the mail server: recorded, retried
            detail = _scrub(f"{type(exc).__name__}: {exc}", address)
            if notice.attempts >= EMAIL_MAX_ATTEMPTS:
                _finish(notice, NoticeStatus.FAILED, AttemptOutcome.FAILED, detail)
            else:
                NotificationAttempt.objects.create(notification=notice, outcome=AttemptOutcome.FAILED, detail=detail)
                notice.next_attempt_at = now + EMAIL_BACKOFF[notice.attempts - 1]
                notice.save(update_fields=["attempts", "next_attempt_at"])
        else:
            _finish(notice, NoticeStatus.SENT, AttemptOutcome.SENT)
    return notice


def notifications_send_due(*, now=None) -> int:
    """Beat's sweep: every e-mail notice that is due (retries, and any whose task was lost)."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            status=NoticeStatus.PENDING, channel=Channel.EMAIL, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:500]
    )
    for pk in due:
        notification_send(notification_id=pk, now=now)
    return len(due)


def _own(user, notice: Notification, channel: str | None = None) -> None:
    if not can_read_identity(user):
        raise PermissionDenied
    if channel and notice.channel != channel:
        raise ValidationError(f"This is not a {Channel(channel).label.lower()} notice.")


@transaction.atomic
def notification_mark_mailed(*, user, notification: Notification, note: str = "") -> Notification:
    """Victim services mailed the printed letter."""
    notice = Notification.objects.select_for_update().get(pk=notification.pk)
    _own(user, notice, Channel.MAIL)
    if notice.status != NoticeStatus.PENDING:
        raise ValidationError("This letter is already done.")
    notice.attempts += 1
    _finish(notice, NoticeStatus.SENT, AttemptOutcome.MAILED, note, user=user)
    return notice


@transaction.atomic
def notification_record_call(*, user, notification: Notification, outcome: str, note: str = "") -> Notification:
    """A call made: told the victim or left a message (done), or no answer / a wrong number (to try
    again, or to mark failed with ``notification_cancel``)."""
    notice = Notification.objects.select_for_update().get(pk=notification.pk)
    _own(user, notice, Channel.PHONE)
    if notice.status != NoticeStatus.PENDING:
        raise ValidationError("This call is already recorded as done.")
    if outcome not in CALL_OUTCOMES:
        raise ValidationError({"outcome": "Choose how the call went."})
    notice.attempts += 1
    if outcome in CALL_DONE:
        _finish(notice, NoticeStatus.SENT, outcome, note, user=user)
    else:
        NotificationAttempt.objects.create(notification=notice, outcome=outcome, detail=note[:300], by=user)
        notice.save(update_fields=["attempts"])
    return notice


@transaction.atomic
def notification_retry(*, user, notification: Notification) -> Notification:
    """Try a failed notice again (after the address or number was corrected): it is pending again and
    an e-mail goes at once; its earlier attempts stay in the log."""
    notice = Notification.objects.select_for_update().get(pk=notification.pk)
    _own(user, notice)
    if notice.status != NoticeStatus.FAILED:
        raise ValidationError("Only a failed notice can be tried again.")
    notice.status = NoticeStatus.PENDING
    notice.completed_at = None
    notice.attempts = 0
    notice.next_attempt_at = timezone.now() if notice.channel == Channel.EMAIL else None
    notice.save(update_fields=["status", "completed_at", "attempts", "next_attempt_at"])
    if notice.channel == Channel.EMAIL:
        transaction.on_commit(partial(_enqueue, notice.pk), robust=True)
    return notice


@transaction.atomic
def notification_cancel(*, user, notification: Notification, reason: str) -> Notification:
    """Stop a pending notice (the victim asked, or it no longer applies), with the reason."""
    notice = Notification.objects.select_for_update().get(pk=notification.pk)
    _own(user, notice)
    if notice.status != NoticeStatus.PENDING:
        raise ValidationError("Only a notice still to send can be cancelled.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the notice is cancelled."})
    _finish(notice, NoticeStatus.CANCELLED, AttemptOutcome.CANCELLED, reason.strip(), user=user)
    return notice


# The online statement link -----------------------------------------------------------------------------
SUBMISSION_SALT = "victims.statement-link"
SUBMISSION_DAYS_MAX = 60
# What the victim types, kept as they go: these keys only, each cut to the statement field's length.
DRAFT_FIELDS = (
    "physical_injury",
    "injury_seriousness",
    "psychological_harm",
    "welfare_changes",
    "counselling_requested",
    "view_on_sentence",
    "statement_text",
    "consent",
    "board_mode",
    *(f"loss_{n}_{part}" for n in (1, 2, 3) for part in ("category", "amount", "description")),
)
DRAFT_MAX_CHARS = 20_000


def submission_token(link: SubmissionLink) -> str:
    return link_token(SUBMISSION_SALT, link=link.pk, victim=link.victim_id)


def submission_url(link: SubmissionLink) -> str:
    return settings.SITE_URL + reverse("victims:submission", args=[submission_token(link)])


@transaction.atomic
def submission_link_create(*, user, victim: Victim, case, language: str, days: int = 14, now=None):
    """A link for ``victim`` to write a statement on ``case`` online; returns it and its address (shown
    once to victim services, who sends it; the address is not stored, only what it signs)."""
    if not can_read_identity(user):
        raise PermissionDenied
    if victim.do_not_contact:
        raise ValidationError("The victim asked not to be contacted: no link is sent.")
    if not victim.cases.filter(pk=case.pk).exists():
        raise ValidationError({"case": "Choose one of the victim's cases."})
    if not 1 <= days <= SUBMISSION_DAYS_MAX:
        raise ValidationError({"days": f"A link works for 1 to {SUBMISSION_DAYS_MAX} days."})
    now = now or timezone.now()
    link = SubmissionLink.objects.create(
        victim=victim,
        case=case,
        language=language,
        created_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return link, submission_url(link)


def submission_link_open(token: str, *, now=None, for_update: bool = False) -> SubmissionLink:
    """The link a token names if it may still be used; else ``core.links.LinkRefused``."""
    links = SubmissionLink.objects.select_related("victim", "case")
    if for_update:
        links = links.select_for_update(of=("self",))
    return link_open(
        links,
        token,
        salt=SUBMISSION_SALT,
        fields={"link": "pk", "victim": "victim_id"},
        who_to_ask="call the Office of Victim Services for a new link",
        used_words="The statement was sent on {when}.",
        now=now,
    )


def _clean_draft(draft: dict) -> dict:
    kept = {}
    for key in DRAFT_FIELDS:
        value = draft.get(key)
        if isinstance(value, bool):
            kept[key] = value
        elif value not in (None, ""):
            kept[key] = str(value)[:DRAFT_MAX_CHARS]
    return kept


@transaction.atomic
def submission_save(*, token: str, draft: dict, now=None) -> SubmissionLink:
    """Keep what the victim typed so far (as they type, or "save and finish later")."""
    link = submission_link_open(token, now=now, for_update=True)
    link.draft = _clean_draft(draft)
    link.saved_at = now or timezone.now()
    link.save(update_fields=["draft", "saved_at"])
    return link


@transaction.atomic
def submission_submit(*, token: str, fields: dict, losses=(), files=(), now=None) -> ImpactStatement:
    """The victim sends the statement: it becomes an ImpactStatement in ``draft`` status (victim services
    reviews it before anyone else reads it), with its losses and documents, and the link is used up.
    Victim services are alerted."""
    from core.models import User
    from core.services import NewAlert, alerts_create

    from .models import EconomicLoss

    link = submission_link_open(token, now=now, for_update=True)
    now = now or timezone.now()
    statement = ImpactStatement(
        victim=link.victim,
        case=link.case,
        received_on=timezone.localdate(now),
        method=ReceivedMethod.FORM,
        status=StatementStatus.DRAFT,
        **fields,
    )
    statement.full_clean()
    statement._change_reason = "Sent online by the victim"
    statement.save()
    for category, amount, description in losses:
        loss = EconomicLoss(
            statement=statement, category=category, amount=amount, description=description, documentation=""
        )
        loss.full_clean()
        loss.save()
    for n, upload in enumerate(files, start=1):
        _attachment_store(
            statement=statement, upload=upload, title=f"Sent online: document {n}", uploaded_by=link.created_by
        )
    link.used_at = now
    link.statement = statement
    link.draft = {}
    link.save(update_fields=["used_at", "statement", "draft"])
    staff = User.objects.filter(role=Role.VICTIM_SERVICES, is_active=True).values_list("pk", flat=True)
    alerts_create(
        [
            NewAlert(
                user_id=pk,
                title=f"An impact statement arrived online for {link.victim.reference}",
                body="Review it before it is recorded: until then only victim services reads it.",
                link=statement.get_absolute_url(),
                key=f"victims:submitted:{statement.pk}",
            )
            for pk in staff
        ]
    )
    return statement


@transaction.atomic
def statement_accept(*, user, statement: ImpactStatement) -> ImpactStatement:
    """Victim services reviewed a statement sent online: it is recorded, and the officer and a board
    (as the victim consented) may read it from now on."""
    if not can_read_identity(user):
        raise PermissionDenied
    statement = ImpactStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError("This statement is already recorded.")
    statement.status = StatementStatus.RECORDED
    statement.entered_by = user
    set_history(statement, user, "Reviewed and recorded")
    statement.save(update_fields=["status", "entered_by"])
    return statement
