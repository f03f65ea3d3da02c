"""Writes with rules for the reparation boards: members (the conflict check against every person
referred to the board, terms, training, removal for cause), chairs (one year without a break),
referrals (accepted after the conflict check of every serving member, declined with a reason),
meetings (attendance and recusals; members serving and trained) and agreements (approved only at a
meeting with quorum after recusals) with their conditions.

A possible conflict blocks the write with the platform's opaque message only (``core.conflicts.REFER``):
never who, never why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import DateField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from core.conflicts import PersonDetails, conflict_check
from core.dates import format_date
from core.models import Alert
from core.services import NewAlert, alerts_create, set_history
from core.validators import PDF_TYPES, SCAN_TYPES, file_type, upload_problem

from .choices import (
    AGREEMENT_DAYS,
    CHAIR_MAX_YEARS,
    CLOSING_STATUSES,
    TRACKED_KINDS,
    AgreementStatus,
    ConditionKind,
    ConditionStatus,
    MeetingKind,
    ReferralStatus,
    VictimMode,
)
from .models import (
    CONTACT_ROLES,
    Agreement,
    Board,
    BoardReferral,
    ChairTerm,
    Condition,
    Meeting,
    Member,
    MemberConflict,
    add_years,
)


def _lock_board(board: Board) -> Board:
    return Board.objects.select_for_update().get(pk=board.pk)


def _details(member: Member) -> PersonDetails:
    return PersonDetails.of(name=member.name, address=member.address, phone=member.phone, email=member.email)


def _conflicts(members, offenders) -> bool:
    """Whether any member may have a conflict with any of the people (the references stay unsaid)."""
    for member in members:
        person = _details(member)
        for offender in offenders:
            if conflict_check(offender=offender, person=person).possible:
                return True
    return False


def _refuse_conflict(field: str | None = None):
    from core.conflicts import REFER

    raise ValidationError({field: REFER} if field else REFER)


# Boards and members ------------------------------------------------------------------------------------
@transaction.atomic
def board_save(*, user, board: Board) -> Board:
    board.full_clean()
    set_history(board, user)
    board.save()
    return board


BYLAWS_MAX_BYTES = 10 * 1024 * 1024


def bylaws_problem(data: bytes, size: int | None = None) -> str | None:
    """Why an uploaded bylaws document is refused, in plain words: a PDF (read from its bytes) of at most 10 MB."""
    return upload_problem(
        data,
        size=size,
        limit=BYLAWS_MAX_BYTES,
        name="bylaws",
        types=PDF_TYPES,
        wrong_type="The bylaws must be a PDF file; this file is not one.",
    )


@transaction.atomic
def board_bylaws_upload(*, user, board: Board, data: bytes, on: dt.date) -> Board:
    """Store a board's bylaws (a PDF, checked by its bytes); the one before stays in the board's history."""
    if problem := bylaws_problem(data):
        raise ValidationError({"bylaws": problem})
    board = _lock_board(board)
    board.bylaws.save(f"bylaws-{board.pk}.pdf", ContentFile(data), save=False)
    board.bylaws_uploaded_on = on
    set_history(board, user, "Bylaws uploaded")
    board.save()
    return board


@transaction.atomic
def member_add(*, user, member: Member) -> Member:
    """Add a member to a board after the conflict check against every person referred to it (pending or
    accepted). A possible conflict adds nothing and says only the opaque message."""
    board = _lock_board(member.board)
    member.full_clean()
    offenders = [
        r.offender
        for r in board.referrals.exclude(status=ReferralStatus.DECLINED).select_related("offender").order_by("pk")
    ]
    if _conflicts([member], {o.pk: o for o in offenders}.values()):
        _refuse_conflict()
    set_history(member, user)
    member.save()
    return member


@transaction.atomic
def member_update(*, user, member: Member) -> Member:
    """Renew a term, record training, correct contact: checked again against the board's people."""
    member.full_clean()
    offenders = {
        r.offender_id: r.offender
        for r in member.board.referrals.exclude(status=ReferralStatus.DECLINED).select_related("offender")
    }
    if _conflicts([member], offenders.values()):
        _refuse_conflict()
    set_history(member, user)
    member.save()
    return member


@transaction.atomic
def member_remove(*, user, member: Member, on: dt.date, reason: str) -> Member:
    """Remove a member for cause: the reason is required; the record stays."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"removal_reason": "Give the reason for the removal."})
    if member.removed_on:
        raise ValidationError("This member is already removed.")
    if on < member.term_start:
        raise ValidationError({"removed_on": "The removal cannot come before the term starts."})
    member.removed_on, member.removal_reason = on, reason[:300]
    set_history(member, user, f"Removed: {reason}")
    member.save()
    return member


@transaction.atomic
def chair_appoint(*, user, member: Member, starts_on: dt.date, ends_on: dt.date) -> ChairTerm:
    """Appoint a chair. A member chairs at most one year without a break: this term together with the
    member's terms that touch it (end the day before or start the day after) spans at most a year; no
    two chairs of a board overlap; a chair serves on the board for the whole term."""
    board = _lock_board(member.board)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The term ends before it starts."})
    if not (member.serves_on(starts_on) and member.serves_on(ends_on)):
        raise ValidationError({"member": "The chair must be a serving member for the whole term."})
    if ChairTerm.objects.filter(board=board, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError({"starts_on": "The board has a chair in these dates."})
    start, end = starts_on, ends_on
    terms = sorted(ChairTerm.objects.filter(board=board, member=member), key=lambda t: t.starts_on)
    changed = True
    while changed:  # grow the unbroken run both ways
        changed = False
        for t in terms:
            if t.ends_on == start - dt.timedelta(days=1):
                start, changed = t.starts_on, True
            if t.starts_on == end + dt.timedelta(days=1):
                end, changed = t.ends_on, True
    if end >= add_years(start, CHAIR_MAX_YEARS):
        raise ValidationError({"ends_on": "A chair serves at most one year without a break."})
    term = ChairTerm(board=board, member=member, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    set_history(term, user)
    term.save()
    return term


@transaction.atomic
def conflict_declare(*, user, member: Member, referral: BoardReferral, on: dt.date, description: str) -> MemberConflict:
    """A member declares a conflict in a referred case of their board: from then on they recuse themselves
    at its meetings. Once a case."""
    if referral.board_id != member.board_id:
        raise ValidationError({"referral": "Choose a case referred to the member's board."})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Say what the conflict is."})
    if MemberConflict.objects.filter(member=member, referral=referral).exists():
        raise ValidationError({"referral": "The member declared a conflict in this case already."})
    conflict = MemberConflict(member=member, referral=referral, declared_on=on, description=description[:300])
    conflict.full_clean()
    set_history(conflict, user)
    conflict.save()
    return conflict


# Referrals ---------------------------------------------------------------------------------------------
@transaction.atomic
def referral_create(*, user, referral: BoardReferral) -> BoardReferral:
    referral.referred_by = user
    referral.status, referral.decided_on, referral.decline_reason = ReferralStatus.PENDING, None, ""
    referral.full_clean()
    set_history(referral, user)
    referral.save()
    return referral


@transaction.atomic
def referral_update(*, user, referral: BoardReferral) -> BoardReferral:
    """Change a referral's reason or priority; who, which case, the source and the date stay."""
    before = BoardReferral.objects.select_for_update().get(pk=referral.pk)
    for name in ("board_id", "offender_id", "case_id", "source", "referred_on", "status"):
        if getattr(before, name) != getattr(referral, name):
            raise ValidationError({name.removesuffix("_id"): "This cannot change once referred."})
    referral.full_clean()
    set_history(referral, user)
    referral.save()
    return referral


@transaction.atomic
def referral_accept(*, user, referral: BoardReferral, on: dt.date) -> BoardReferral:
    """Accept a referral after the conflict check of every member serving on the board against the
    referred person. A possible conflict leaves it pending, with the opaque message only."""
    referral = BoardReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError("Only a pending referral is accepted or declined.")
    members = [m for m in referral.board.members.filter(removed_on__isnull=True) if m.term_end >= on]
    if _conflicts(members, [referral.offender]):
        _refuse_conflict()
    referral.status, referral.decided_on = ReferralStatus.ACCEPTED, on
    set_history(referral, user, "Accepted")
    referral.save()
    return referral


@transaction.atomic
def referral_decline(*, user, referral: BoardReferral, on: dt.date, reason: str) -> BoardReferral:
    referral = BoardReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError("Only a pending referral is accepted or declined.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": "Give the reason for declining."})
    referral.status, referral.decided_on, referral.decline_reason = ReferralStatus.DECLINED, on, reason[:300]
    set_history(referral, user, f"Declined: {reason}")
    referral.save()
    return referral


# Meetings ----------------------------------------------------------------------------------------------
VICTIM_TEXT_MODES = {
    "victim_shared_text": (VictimMode.ATTEND, VictimMode.WRITTEN_SHARED),
    "victim_board_only_text": (VictimMode.WRITTEN_BOARD_ONLY,),
}


@transaction.atomic
def meeting_record(
    *,
    user,
    referral: BoardReferral,
    date: dt.date,
    place: str,
    present: list[Member],
    recused: list[Member] = (),
    kind: str = MeetingKind.INITIAL,
    person_attended: bool = False,
    victim_mode: str = VictimMode.NONE,
    victim_shared_text: str = "",
    victim_board_only_text: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting: the members present serve on the board that day and completed their training
    before it; those recused were present. The victim's participation is one of the four modes: what the
    victim shares with the person goes with attending or a shared written statement, what they wrote for
    the board only with that mode alone (and never onto a document). A mid-term review or a closure
    meeting is about a referral whose agreement is active."""
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"referral": "The board meets only about an accepted referral."})
    board = referral.board
    errors: dict[str, list[str]] = {}
    for m in present:
        if m.board_id != board.pk or not m.serves_on(date):
            errors.setdefault("present", []).append(f"{m} does not serve on this board on that date.")
        elif m.training_completed_on is None or m.training_completed_on > date:
            errors.setdefault("present", []).append(f"{m} has not completed the training before this meeting.")
    present_ids = {m.pk for m in present}
    if any(m.pk not in present_ids for m in recused):
        errors.setdefault("recused", []).append("Only a member present can recuse themselves.")
    recused_ids = {m.pk for m in recused}
    for conflict in MemberConflict.objects.filter(referral=referral, member_id__in=present_ids - recused_ids).order_by(
        "member__name"
    ):
        errors.setdefault("recused", []).append(
            f"{conflict.member} declared a conflict in this case: record the recusal."
        )
    texts = {
        "victim_shared_text": (victim_shared_text or "").strip(),
        "victim_board_only_text": (victim_board_only_text or "").strip(),
    }
    for field, modes in VICTIM_TEXT_MODES.items():
        if texts[field] and victim_mode not in modes:
            label = Meeting._meta.get_field(field).verbose_name
            allowed = " or ".join(f"“{VictimMode(m).label}”" for m in modes)
            errors.setdefault(field, []).append(f"Leave {label} empty unless the victim's participation is {allowed}.")
    if kind != MeetingKind.INITIAL and not referral.agreements.filter(status=AgreementStatus.ACTIVE).exists():
        errors.setdefault("kind", []).append("A mid-term review or a closure meeting needs an active agreement.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        referral=referral,
        board=board,
        date=date,
        place=(place or "").strip(),
        kind=kind,
        person_attended=person_attended,
        victim_mode=victim_mode or "",
        minutes=(minutes or "").strip(),
        **texts,
    )
    meeting.full_clean()
    set_history(meeting, user)
    meeting.save()
    meeting.present.set(present)
    meeting.recused.set(recused)
    return meeting


# Agreements and conditions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class NewCondition:
    kind: str
    description: str
    due_on: dt.date | None = None
    hours: Decimal | None = None
    amount: Decimal | None = None


@transaction.atomic
def agreement_approve(
    *, user, meeting: Meeting, conditions: list[NewCondition], days: int = AGREEMENT_DAYS
) -> Agreement:
    """Approve an agreement at a meeting with quorum after recusals: its conditions, each due by the
    agreement's end unless given an earlier date."""
    meeting = Meeting.objects.select_for_update().select_related("board", "referral").get(pk=meeting.pk)
    if not meeting.quorate:
        raise ValidationError(
            f"No quorum: {meeting.voting_count} member(s) after recusals, {meeting.board.quorum} needed."
        )
    if Agreement.objects.filter(meeting=meeting).exists():
        raise ValidationError("This meeting has approved an agreement already.")
    if not conditions:
        raise ValidationError({"conditions": "An agreement has at least one condition."})
    if not 1 <= days <= 365:
        raise ValidationError({"days": "The agreement period is 1 to 365 days."})
    agreement = Agreement(
        referral=meeting.referral,
        meeting=meeting,
        board=meeting.board,
        approved_on=meeting.date,
        due_on=meeting.date + dt.timedelta(days=days),
    )
    agreement.full_clean()
    set_history(agreement, user)
    agreement.save()
    for c in conditions:
        due = c.due_on or agreement.due_on
        if due <= agreement.approved_on or due > agreement.due_on:
            raise ValidationError({"due_on": "A condition is due after the meeting and by the agreement's end."})
        condition = Condition(
            agreement=agreement, kind=c.kind, description=c.description, due_on=due, hours=c.hours, amount=c.amount
        )
        condition.full_clean()
        set_history(condition, user)
        condition.save()
    return agreement


def evidence_problem(data: bytes, size: int | None = None) -> str | None:
    """Why an uploaded piece of evidence is refused: a PDF, PNG or JPEG (read from its bytes), at most 10 MB."""
    return upload_problem(
        data,
        size=size,
        limit=BYLAWS_MAX_BYTES,
        name="evidence",
        wrong_type="The evidence must be a PDF, PNG or JPEG file; this file is none of them.",
    )


@transaction.atomic
def condition_record(
    *, user, condition: Condition, met: bool, on: dt.date, evidence: str = "", evidence_file: bytes | None = None
) -> Condition:
    """The coordinator records an apology letter or another condition met (with its evidence: what shows it,
    and a scan or photo of it, type-checked) or unmet. Restitution, community service and class conditions
    are met from their records, never by hand."""
    if user.role not in CONTACT_ROLES and not user.is_superuser:
        raise PermissionDenied
    condition = Condition.objects.select_for_update().select_related("agreement").get(pk=condition.pk)
    if condition.kind in TRACKED_KINDS:
        raise ValidationError({"kind": "This condition is met from its records, never by hand."})
    if condition.agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("The agreement is closed.")
    evidence = (evidence or "").strip()
    if met and not evidence:
        raise ValidationError({"evidence": "Say what shows the condition met."})
    if evidence_file is not None and (problem := evidence_problem(evidence_file)):
        raise ValidationError({"evidence_file": problem})
    condition.status = ConditionStatus.MET if met else ConditionStatus.UNMET
    condition.met_on = on if met else None
    condition.evidence = evidence[:300]
    if evidence_file is not None:
        ext = file_type(evidence_file, SCAN_TYPES)
        condition.evidence_file.save(f"condition-{condition.pk}.{ext}", ContentFile(evidence_file), save=False)
    set_history(condition, user, "Met" if met else "Unmet")
    condition.save()
    return condition


# Signatures, the mid-term review and closure -------------------------------------------------------------
def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def board_chair_on(board: Board, day: dt.date) -> Member | None:
    term = ChairTerm.objects.filter(board=board, starts_on__lte=day, ends_on__gte=day).select_related("member").first()
    return term.member if term else None


@transaction.atomic
def agreement_sign(
    *, user, agreement: Agreement, who: str, typed_name: str, agreed: bool, device: str, at=None
) -> Agreement:
    """The person or the chair signs the agreement at the meeting: their name typed as the record has it
    and the box ticked; the time and the device (the browser's user agent) are recorded. The chair is the
    board's chair on the meeting's date. Each signs once."""
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("referral__offender", "meeting", "board")
        .get(pk=agreement.pk)
    )
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("The agreement is closed.")
    typed = " ".join((typed_name or "").split())
    errors = {}
    if not typed:
        errors["typed_name"] = "Type the name to sign."
    if not agreed:
        errors["agreed"] = "Tick the box to sign."
    at = at or timezone.now()
    device = (device or "")[:300]
    if who == "person":
        person = agreement.referral.offender
        if agreement.person_signed_at:
            raise ValidationError("The person has signed already.")
        if typed and not _same_name(typed, f"{person.first_name} {person.last_name}"):
            errors["typed_name"] = "Type the person's first and last name as the record has them."
        if errors:
            raise ValidationError(errors)
        agreement.person_signed_name, agreement.person_signed_at, agreement.person_signed_device = typed, at, device
    elif who == "chair":
        if agreement.chair_signed_at:
            raise ValidationError("The chair has signed already.")
        chair = board_chair_on(agreement.board, agreement.meeting.date)
        if chair is None:
            raise ValidationError("The board has no chair on the meeting's date: appoint one first.")
        if chair.pk not in set(agreement.meeting.present.values_list("pk", flat=True)):
            raise ValidationError("The chair was not present at the meeting.")
        if typed and not _same_name(typed, chair.name):
            errors["typed_name"] = f"Type the chair's name as the record has it ({chair.name})."
        if errors:
            raise ValidationError(errors)
        agreement.chair = chair
        agreement.chair_signed_name, agreement.chair_signed_at, agreement.chair_signed_device = typed, at, device
    else:
        raise ValidationError({"who": "Choose who signs."})
    agreement.full_clean()
    set_history(agreement, user, "Signed by the person" if who == "person" else "Signed by the chair")
    agreement.save()
    return agreement


@transaction.atomic
def agreement_review(*, user, agreement: Agreement, on: dt.date, note: str) -> Agreement:
    """The board's mid-term review of a signed, active agreement: its date and what the board found."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("The agreement is closed.")
    if not agreement.signed:
        raise ValidationError("The agreement is not signed by the person and the chair yet.")
    if agreement.mid_term_reviewed_on:
        raise ValidationError("The mid-term review is recorded already.")
    errors = {}
    if not agreement.approved_on < on <= agreement.due_on:
        errors["on"] = "The review falls after the approval and by the agreement's due date."
    note = (note or "").strip()
    if not note:
        errors["note"] = "Say what the board found."
    if errors:
        raise ValidationError(errors)
    agreement.mid_term_reviewed_on, agreement.mid_term_note = on, note
    set_history(agreement, user, "Mid-term review")
    agreement.save()
    return agreement


@transaction.atomic
def agreement_close(*, user, agreement: Agreement, on: dt.date, outcome: str, assessment: str) -> Agreement:
    """Close an agreement at the closure meeting: completed (every condition met), partially completed
    (some met) or failed and returned to court, with the board's assessment for the court. The tracked
    conditions are refreshed as of that day first; the conditions still open are recorded unmet."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("The agreement is closed already.")
    errors = {}
    if outcome not in CLOSING_STATUSES:
        errors["outcome"] = "Choose completed, partially completed or failed."
    if on < agreement.approved_on:
        errors["on"] = "The agreement cannot close before it was approved."
    elif on > timezone.localdate():
        errors["on"] = "The closing date cannot be in the future."
    assessment = (assessment or "").strip()
    if not assessment:
        errors["assessment"] = "Write the board's assessment for the court."
    if errors:
        raise ValidationError(errors)
    conditions_refresh(agreements=Agreement.objects.filter(pk=agreement.pk), as_of=on, user=user)
    statuses = list(agreement.conditions.values_list("status", flat=True))
    met = sum(1 for st in statuses if st == ConditionStatus.MET)
    if outcome == AgreementStatus.COMPLETED and met != len(statuses):
        raise ValidationError({"outcome": f"Only {met} of {len(statuses)} conditions are met: not completed."})
    if outcome == AgreementStatus.PARTIAL and not 0 < met < len(statuses):
        raise ValidationError({"outcome": "Partially completed means some conditions met, not all, not none."})
    for condition in agreement.conditions.select_for_update().filter(status=ConditionStatus.OPEN):
        condition.status = ConditionStatus.UNMET
        set_history(condition, user, "Unmet at closure")
        condition.save()
    agreement.status, agreement.closed_on, agreement.assessment = outcome, on, assessment
    set_history(agreement, user, f"Closed: {AgreementStatus(outcome).label}")
    agreement.full_clean()
    agreement.save()
    return agreement


# Conditions that track themselves ----------------------------------------------------------------------
def _tracked_met(rows, as_of: dt.date) -> dict[int, bool]:
    """Whether the other apps' records show each tracked condition met, set-based (one query per app):
    ``rows`` are ``(condition_id, kind, hours, amount, offender_id, case_id, approved_on)``.

    - a class: the person completed the class (``classes.selectors.completed_among``);
    - community service hours: the hours credited to the person's open orders taken together reach the
      condition's (``community_service.selectors.hours_by_person``);
    - a restitution amount: what was paid toward the person's obligations on the agreement's case since
      the agreement's approval, net of reversals, reaches the condition's amount
      (``restitution.selectors.paid_on_cases_since``).
    """
    from classes import selectors as classes
    from community_service import selectors as community_service
    from restitution import selectors as restitution

    by_kind: dict[str, list] = {kind: [] for kind in TRACKED_KINDS}
    for row in rows:
        by_kind[row[1]].append(row)
    met: dict[int, bool] = {}
    if by_kind[ConditionKind.CLASS]:
        done = classes.completed_among({r[4] for r in by_kind[ConditionKind.CLASS]})
        met.update({r[0]: r[4] in done for r in by_kind[ConditionKind.CLASS]})
    if by_kind[ConditionKind.SERVICE_HOURS]:
        cells = community_service.hours_by_person(list({r[4] for r in by_kind[ConditionKind.SERVICE_HOURS]}), as_of)
        for r in by_kind[ConditionKind.SERVICE_HOURS]:
            cell = cells.get(r[4])
            met[r[0]] = cell is not None and cell.credited >= r[2]
    if by_kind[ConditionKind.RESTITUTION]:
        paid = restitution.paid_on_cases_since([(r[0], r[5], r[6]) for r in by_kind[ConditionKind.RESTITUTION]], as_of)
        met.update({r[0]: paid[r[0]] >= r[3] for r in by_kind[ConditionKind.RESTITUTION]})
    return met


def conditions_refresh(*, agreements, as_of: dt.date, user=None) -> int:
    """Mark the tracked conditions of the active ones of ``agreements`` (a queryset) met, or open again,
    from the records that prove them, as of ``as_of``: a few queries whatever the number of agreements,
    then one save (with its history row) per condition that changed. Idempotent; returns the conditions
    changed."""
    rows = list(
        Condition.objects.filter(
            agreement__in=agreements.filter(status=AgreementStatus.ACTIVE).values("pk"), kind__in=TRACKED_KINDS
        )
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "hours",
            "amount",
            "agreement__referral__offender_id",
            "agreement__referral__case_id",
            "agreement__approved_on",
            "status",
        )
    )
    met = _tracked_met(rows, as_of)
    flip = [r[0] for r in rows if met[r[0]] != (r[7] == ConditionStatus.MET)]
    changed = 0
    for condition in Condition.objects.select_for_update().filter(pk__in=flip).order_by("pk"):
        now_met = met[condition.pk]
        if now_met == (condition.status == ConditionStatus.MET):
            continue
        condition.status = ConditionStatus.MET if now_met else ConditionStatus.OPEN
        condition.met_on = as_of if now_met else None
        set_history(condition, user, "Met by its records" if now_met else "No longer met by its records")
        condition.save()
        changed += 1
    return changed


@transaction.atomic
def agreement_conditions_refresh(*, agreement: Agreement, as_of: dt.date, user=None) -> int:
    """Met or open again, from the records that prove them (``conditions_refresh`` for one agreement):
    a class condition from the classes' completion, community service hours from the hours credited, a
    restitution amount from what was paid toward the case since the agreement. Idempotent; returns the
    conditions changed."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).values_list("pk", flat=True).first()
    return conditions_refresh(agreements=Agreement.objects.filter(pk=agreement.pk), as_of=as_of, user=user)


# The nightly job ---------------------------------------------------------------------------------------
ALERT_PREFIX = "boards:"


def _url_format(name: str) -> str:
    marker = 987654321
    return reverse(name, args=[marker]).replace(str(marker), "{}")


def nightly_run(*, as_of: dt.date) -> int:
    """The nightly job ``boards``: refresh the tracked conditions of every active agreement (set-based,
    ``conditions_refresh``), then raise alerts to the board's coordinator and the person's supervising
    officer for each condition past due (open, due before ``as_of``) and each agreement at mid-term (half
    its period passed, not yet due). Idempotent for its date: a re-run changes no condition twice and
    raises no alert twice (each alert's key names its condition or agreement, once for good). Returns
    the active agreements checked."""
    with transaction.atomic():
        active = Agreement.objects.filter(status=AgreementStatus.ACTIVE, approved_on__lte=as_of)
        conditions_refresh(agreements=active, as_of=as_of)
        checked = active.count()
        alerts = _past_due_alerts(as_of) + _mid_term_alerts(as_of)
        alerts_create(alerts)
    return checked


def _recipients(coordinator_id, officer_id) -> list[int]:
    return sorted({pk for pk in (coordinator_id, officer_id) if pk is not None})


def _past_due_alerts(as_of: dt.date) -> list[NewAlert]:
    """One alert per open condition of an active agreement due before ``as_of``: the title names the
    person and the condition's kind, never a victim."""
    rows = list(
        Condition.objects.filter(
            agreement__status=AgreementStatus.ACTIVE,
            agreement__approved_on__lte=as_of,
            status=ConditionStatus.OPEN,
            due_on__lt=as_of,
        )
        .order_by("agreement__referral__offender__last_name", "pk")
        .values_list(
            "pk",
            "kind",
            "due_on",
            "agreement_id",
            "agreement__board__coordinator_id",
            "agreement__referral__offender__supervising_officer_id",
            "agreement__referral__offender__first_name",
            "agreement__referral__offender__last_name",
        )
    )
    keys = {pk: f"{ALERT_PREFIX}past-due:{pk}" for pk, *_ in rows}
    done = set(Alert.objects.filter(key__in=list(keys.values())).values_list("user_id", "key"))
    link = _url_format("boards:agreement_detail")
    kinds = dict(ConditionKind.choices)
    alerts = []
    for pk, kind, due_on, agreement_id, coordinator, officer, first, last in rows:
        title = f"{first} {last}: a board agreement's condition is past due ({kinds[kind].lower()})"
        body = f"The condition was due on {format_date(due_on)} and is not met (checked on {format_date(as_of)})."
        for user_id in _recipients(coordinator, officer):
            if (user_id, keys[pk]) not in done:
                alerts.append(NewAlert(user_id, title, body, link.format(agreement_id), keys[pk]))
    return alerts


def _mid_term_alerts(as_of: dt.date) -> list[NewAlert]:
    """One alert per active agreement at mid-term (half its period passed, not yet due): time for the
    board's mid-term review."""
    rows = list(
        Agreement.objects.filter(status=AgreementStatus.ACTIVE, due_on__gt=as_of)
        .annotate(
            # date - date is whole days in PostgreSQL, and date + days a date: the day half the period has passed
            middle=RawSQL(
                "boards_agreement.approved_on + (boards_agreement.due_on - boards_agreement.approved_on) / 2",
                [],
                output_field=DateField(),
            )
        )
        .filter(middle__lte=as_of)
        .order_by("referral__offender__last_name", "pk")
        .values_list(
            "pk",
            "due_on",
            "board__coordinator_id",
            "referral__offender__supervising_officer_id",
            "referral__offender__first_name",
            "referral__offender__last_name",
        )
    )
    keys = {pk: f"{ALERT_PREFIX}mid-term:{pk}" for pk, *_ in rows}
    done = set(Alert.objects.filter(key__in=list(keys.values())).values_list("user_id", "key"))
    link = _url_format("boards:agreement_detail")
    alerts = []
    for pk, due_on, coordinator, officer, first, last in rows:
        title = f"{first} {last}: a board agreement is at mid-term"
        body = (
            f"Half the agreement's period has passed; it is due on {format_date(due_on)}. Time for the mid-term review."
        )
        for user_id in _recipients(coordinator, officer):
            if (user_id, keys[pk]) not in done:
                alerts.append(NewAlert(user_id, title, body, link.format(pk), keys[pk]))
    return alerts


__all__ = [
    "ConditionKind",
    "NewCondition",
    "agreement_approve",
    "agreement_close",
    "agreement_conditions_refresh",
    "agreement_review",
    "agreement_sign",
    "board_bylaws_upload",
    "board_chair_on",
    "board_save",
    "bylaws_problem",
    "chair_appoint",
    "condition_record",
    "conditions_refresh",
    "conflict_declare",
    "meeting_record",
    "member_add",
    "member_remove",
    "member_update",
    "nightly_run",
    "referral_accept",
    "referral_create",
    "referral_decline",
    "referral_update",
]
