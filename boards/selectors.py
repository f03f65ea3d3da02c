"""Reads of the reparation boards that pages, other apps and the person's timeline need. Each takes
``user`` and applies ``.restrict(user)``."""

from __future__ import annotations

from django.utils import timezone

from core.querysets import VIEW

from .choices import ConditionStatus, VictimMode
from .models import Agreement, BoardReferral, Meeting


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
