"""Reads of the reparation boards that pages, other apps and the person's timeline need. Each takes
``user`` and applies ``.restrict(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.money import format_money
from core.querysets import VIEW

from .choices import CLOSING_STATUSES, AgreementStatus, ConditionKind, ConditionStatus, ReferralStatus, VictimMode
from .models import Agreement, Board, BoardReferral, Condition, Meeting, MemberConflict


def person_referrals(user, offender):
    """The person's referrals to boards the user may see, newest first."""
    return BoardReferral.objects.restrict(user, VIEW).filter(offender=offender).select_related("board", "case")


def person_agreements(user, offender):
    """The person's agreements the user may see, with their conditions."""
    return (
        Agreement.objects.restrict(user, VIEW)
        .filter(referral__offender=offender)
        .select_related("board")
        .prefetch_related("conditions")
    )


# The documents (PDF) ----------------------------------------------------------------------------------
# None of them carries a victim's name or contact (boards holds none) or what the victim wrote for the
# board only (``Meeting.victim_board_only_text``): that stays on the meeting's page.
SHARED_MODES = (VictimMode.ATTEND, VictimMode.WRITTEN_SHARED)


def _case_summary(referral) -> dict:
    case, person = referral.case, referral.offender
    return {
        "person": person,
        "case": case,
        "referral": referral,
        "board": referral.board,
    }


def _conditions(agreement) -> list:
    return list(agreement.conditions.order_by("due_on", "pk")) if agreement else []


def meeting_packet(meeting: Meeting) -> dict:
    """The members' packet for a meeting: the case summary, the referral's reason, the victim's shareable
    excerpt where the victim chose to share it, the agreement's conditions and their progress, who sits.
    Never a member's or a victim's contact."""
    referral = meeting.referral
    agreement = referral.agreements.order_by("-approved_on", "-pk").first()
    shared = meeting.victim_shared_text if meeting.victim_mode in SHARED_MODES else ""
    return {
        **_case_summary(referral),
        "meeting": meeting,
        "members": [m.name for m in meeting.present.order_by("name", "pk")],
        "victim_mode": meeting.get_victim_mode_display(),
        "victim_shared": shared,
        "agreement": agreement,
        "conditions": _conditions(agreement),
        "printed_on": timezone.localdate(),
    }


def agreement_document(agreement: Agreement) -> dict:
    """The agreement for signature: the person, the case, each condition and its due date, the signatures
    recorded so far."""
    return {
        **_case_summary(agreement.referral),
        "agreement": agreement,
        "conditions": _conditions(agreement),
        "printed_on": timezone.localdate(),
    }


def court_letter(agreement: Agreement) -> dict:
    """The board's assessment letter to the court at closure: the conditions, which were met and when, the
    outcome and the board's assessment."""
    conditions = _conditions(agreement)
    return {
        **_case_summary(agreement.referral),
        "agreement": agreement,
        "conditions": conditions,
        "met": sum(1 for c in conditions if c.status == ConditionStatus.MET),
        "printed_on": timezone.localdate(),
    }


# The coordinator's dashboard ---------------------------------------------------------------------------
DUE_HORIZON_DAYS = 14


def dashboard(user, today: dt.date) -> dict:
    """The coordinator's panel, in four queries: this week's meetings (Monday to Sunday), the active
    agreements due within two weeks or past due, the declared conflicts in cases still open and the
    referrals awaiting a decision."""
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    meetings = list(
        Meeting.objects.restrict(user, VIEW)
        .filter(date__range=(week_start, week_end))
        .select_related("board", "referral__offender")
        .order_by("date", "pk")[:20]
    )
    due = list(
        Agreement.objects.restrict(user, VIEW)
        .filter(status=AgreementStatus.ACTIVE, due_on__lte=today + dt.timedelta(days=DUE_HORIZON_DAYS))
        .select_related("board", "referral__offender")
        .order_by("due_on", "pk")[:20]
    )
    conflicts = (
        MemberConflict.objects.restrict(user, VIEW)
        .filter(referral__status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED])
        .exclude(referral__agreements__status__in=CLOSING_STATUSES)
        .count()
    )
    pending = BoardReferral.objects.restrict(user, VIEW).filter(status=ReferralStatus.PENDING).count()
    return {
        "today": today,
        "week_start": week_start,
        "week_end": week_end,
        "meetings": meetings,
        "due": due,
        "horizon": DUE_HORIZON_DAYS,
        "conflicts": conflicts,
        "pending": pending,
    }


# An agreement's live progress ---------------------------------------------------------------------------
def condition_progress(agreement: Agreement, as_of: dt.date) -> dict[int, str]:
    """What the records show so far for each tracked condition, in words: the hours credited, or the money
    paid toward the case since the agreement (the one view of restitution a board coordinator has: a sum,
    never the ledger, a receipt or a payee)."""
    from community_service import selectors as community_service
    from restitution import selectors as restitution

    conditions = list(agreement.conditions.all())
    offender_id, case_id = agreement.referral.offender_id, agreement.referral.case_id
    progress: dict[int, str] = {}
    hours = [c for c in conditions if c.kind == ConditionKind.SERVICE_HOURS]
    if hours:
        cell = community_service.hours_by_person([offender_id], as_of).get(offender_id)
        credited = cell.credited if cell else 0
        for c in hours:
            progress[c.pk] = f"{credited} of {c.hours} hours credited"
    money = [c for c in conditions if c.kind == ConditionKind.RESTITUTION]
    if money:
        end = min(as_of, agreement.closed_on) if agreement.closed_on else as_of
        paid = restitution.paid_on_cases_since([(c.pk, case_id, agreement.approved_on) for c in money], end)
        for c in money:
            progress[c.pk] = f"{format_money(paid[c.pk])} of {format_money(c.amount)} paid toward it"
    return progress


@dataclass(frozen=True)
class CalendarItem:
    day: dt.date
    what: str  # "Meeting", "Mid-term review due", "Agreement due", "Condition due"
    text: str
    url: str


def board_calendar(board: Board, start: dt.date, end: dt.date) -> list[CalendarItem]:
    """A board's month (``start`` to ``end`` inclusive): meetings held, the mid-term review of each
    active agreement (half its period passed, as the nightly job counts it), agreements due and open
    conditions due. Four queries whatever the month holds; the page is the coordinator's (names shown)."""
    items: list[CalendarItem] = []
    meetings = (
        Meeting.objects.filter(board=board, date__range=(start, end))
        .select_related("referral__offender")
        .order_by("date", "pk")
    )
    for m in meetings:
        person = m.referral.offender
        text = f"{m.get_kind_display()}: {person.last_name}, {person.first_name} ({m.place})"
        items.append(CalendarItem(m.date, "Meeting", text, m.get_absolute_url()))
    active = list(
        Agreement.objects.filter(board=board, status=AgreementStatus.ACTIVE)
        .filter(Q(due_on__range=(start, end)) | Q(mid_term_reviewed_on__isnull=True, due_on__gte=start))
        .select_related("referral__offender")
    )
    for a in active:
        person = a.referral.offender
        name = f"{person.last_name}, {person.first_name}"
        middle = a.approved_on + dt.timedelta(days=(a.due_on - a.approved_on).days // 2)
        if a.mid_term_reviewed_on is None and start <= middle <= end:
            items.append(CalendarItem(middle, "Mid-term review due", name, a.get_absolute_url()))
        if start <= a.due_on <= end:
            items.append(CalendarItem(a.due_on, "Agreement due", name, a.get_absolute_url()))
    conditions = (
        Condition.objects.filter(
            agreement__board=board,
            agreement__status=AgreementStatus.ACTIVE,
            status=ConditionStatus.OPEN,
            due_on__range=(start, end),
        )
        .select_related("agreement__referral__offender")
        .order_by("due_on", "pk")
    )
    for c in conditions:
        person = c.agreement.referral.offender
        items.append(
            CalendarItem(
                c.due_on,
                "Condition due",
                f"{c.get_kind_display()}: {person.last_name}, {person.first_name}",
                c.agreement.get_absolute_url(),
            )
        )
    return sorted(items, key=lambda i: (i.day, i.what, i.text))
