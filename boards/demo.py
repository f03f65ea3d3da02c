"""Demo data for the reparation boards (fictional, idempotent): a board of district 9 (coordinator
boards.d9) with five trained members and a chair; referrals pending, declined and accepted; agreements in
every state: active just signed, active reviewed at mid-term, completed, partially completed, and failed and
returned to court; a member's declared conflict. A second run finds the board and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.choices import OffenderStatus, Role
from core.models import CourtCase, User

from . import services
from .choices import AgreementStatus, ConditionKind, MeetingKind, ReferralSource, VictimMode
from .models import Board, BoardReferral, Member

BOARD_NAME = "Cole County Reparation Board"
MEMBERS = ["Margaret Ellison", "Thomas Okafor", "Linda Brandt", "Rafael Ortiz", "Jean Whitlock"]


def _cases(district, n):
    return list(
        CourtCase.objects.filter(offender__district=district, offender__status=OffenderStatus.SUPERVISED)
        .exclude(offender__board_referrals__isnull=False)
        .select_related("offender")
        .order_by("offender__doc_id", "pk")[:n]
    )


def _referral(board, case, user, referred_on, reason):
    return services.referral_create(
        user=user,
        referral=BoardReferral(
            board=board,
            offender=case.offender,
            case=case,
            source=ReferralSource.COURT,
            reason=reason,
            referred_on=referred_on,
        ),
    )


def _agreement(board, case, user, approved_on, members, conditions, *, shared=""):
    referral = _referral(board, case, user, approved_on - dt.timedelta(days=20), "First offense: property damage")
    referral = services.referral_accept(user=user, referral=referral, on=approved_on - dt.timedelta(days=14))
    meeting = services.meeting_record(
        user=user,
        referral=referral,
        date=approved_on,
        place="Cole County Library, meeting room B",
        present=members[:4],
        recused=members[3:4],
        person_attended=True,
        victim_mode=VictimMode.WRITTEN_SHARED if shared else VictimMode.NO_PARTICIPATION,
        victim_shared_text=shared,
        minutes="The person described what happened and what they would do to repair it.",
    )
    agreement = services.agreement_approve(user=user, meeting=meeting, conditions=conditions)
    person = case.offender
    services.agreement_sign(
        user=user,
        agreement=agreement,
        who="person",
        typed_name=f"{person.first_name} {person.last_name}",
        agreed=True,
        device="Demo tablet",
    )
    services.agreement_sign(
        user=user, agreement=agreement, who="chair", typed_name=members[0].name, agreed=True, device="Demo tablet"
    )
    return agreement


def _conditions():
    return [
        services.NewCondition(kind=ConditionKind.APOLOGY, description="A letter of apology to the shop owner"),
        services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Food bank", hours=Decimal("20")),
        services.NewCondition(kind=ConditionKind.RESTITUTION, description="The window", amount=Decimal("150")),
    ]


@transaction.atomic
def demo_seed(today: dt.date | None = None) -> int:
    """Seed the demo board once; returns the agreements made (0 when the board exists)."""
    today = today or timezone.localdate()
    user = User.objects.filter(role=Role.BOARD_COORDINATOR, username="boards.d9").select_related("district").first()
    if user is None or Board.objects.filter(name=BOARD_NAME).exists():
        return 0
    cases = _cases(user.district, 8)
    if len(cases) < 8:
        return 0
    board = services.board_save(
        user=user, board=Board(district=user.district, name=BOARD_NAME, quorum=3, coordinator=user)
    )
    start = today - dt.timedelta(days=400)
    members = [
        services.member_add(
            user=user,
            member=Member(
                board=board,
                name=name,
                phone=f"573 555 01{60 + i:02d}",  # 0160 on: the victims demo holds 0101 to 0104
                email=f"{name.split()[0].lower()}@example.org",
                term_start=start,
                term_end=start.replace(year=start.year + 3),
                training_completed_on=start + dt.timedelta(days=10),
            ),
        )
        for i, name in enumerate(MEMBERS)
    ]
    services.chair_appoint(
        user=user, member=members[0], starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=60)
    )
    # Referrals waiting and declined.
    _referral(board, cases[0], user, today - dt.timedelta(days=3), "Vandalism of a school bus shelter")
    declined = _referral(board, cases[1], user, today - dt.timedelta(days=30), "Assault")
    services.referral_decline(
        user=user, referral=declined, on=today - dt.timedelta(days=25), reason="Violent offense: not eligible"
    )
    made = 0
    # Active, just signed.
    _agreement(
        board,
        cases[2],
        user,
        today - dt.timedelta(days=10),
        members,
        _conditions(),
        shared="I would like him to know how long it took to clean the store.",
    )
    made += 1
    # Active, reviewed at mid-term.
    mid = _agreement(board, cases[3], user, today - dt.timedelta(days=50), members, _conditions())
    services.agreement_review(
        user=user, agreement=mid, on=today - dt.timedelta(days=5), note="The letter is written; hours are on pace."
    )
    made += 1
    # Closed: completed, partially completed, failed and returned to court.
    for case, outcome, met in (
        (cases[4], AgreementStatus.COMPLETED, 2),
        (cases[5], AgreementStatus.PARTIAL, 1),
        (cases[6], AgreementStatus.FAILED, 0),
    ):
        approved = today - dt.timedelta(days=150)
        agreement = _agreement(
            board,
            case,
            user,
            approved,
            members,
            [
                services.NewCondition(kind=ConditionKind.APOLOGY, description="A letter of apology"),
                services.NewCondition(kind=ConditionKind.OTHER, description="An essay on the harm done"),
            ],
        )
        for condition in list(agreement.conditions.order_by("pk"))[:met]:
            services.condition_record(
                user=user,
                condition=condition,
                met=True,
                on=approved + dt.timedelta(days=30),
                evidence="Read at the meeting",
            )
        closure = approved + dt.timedelta(days=92)
        services.meeting_record(
            user=user,
            referral=agreement.referral,
            date=closure,
            place="Cole County Library",
            present=members[:3],
            kind=MeetingKind.CLOSURE,
        )
        services.agreement_close(
            user=user,
            agreement=agreement,
            on=closure,
            outcome=outcome,
            assessment={
                AgreementStatus.COMPLETED: "Every condition met; the board recommends the case be closed.",
                AgreementStatus.PARTIAL: "The apology was sincere; the essay was never written.",
                AgreementStatus.FAILED: "The person missed both meetings and met no condition: returned to court.",
            }[outcome],
        )
        made += 1
    # A member declares a conflict in a pending case.
    waiting = _referral(board, cases[7], user, today - dt.timedelta(days=2), "Shoplifting")
    services.conflict_declare(
        user=user,
        member=members[4],
        referral=waiting,
        on=today - dt.timedelta(days=1),
        description="The person's family lives next door",
    )
    return made
