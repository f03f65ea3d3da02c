"""Writes of the victims app: recording a victim with their protected identity, and the read log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.services import set_history

from .choices import ReadSource, ReadWhat
from .models import ReadLog, Victim, VictimIdentity, can_read_identity


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
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from .models import StatementAttachment

    if not can_read_identity(user):
        raise PermissionDenied
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "The file is larger than 20 MB."})
    data = upload.read()
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError({"file": "Attach a PDF, a JPEG or PNG picture, or an audio recording."})
    attachment = StatementAttachment(
        statement=statement, content_type=content_type, size=len(data), title=title, uploaded_by=user
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
