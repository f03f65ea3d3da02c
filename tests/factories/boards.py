"""Builders for reparation boards records, through the services wherever a rule applies."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from boards import services
from boards.choices import ConditionKind, ReferralSource
from boards.models import Board, BoardReferral, Member

_seq = itertools.count(1)
TODAY = dt.date(2026, 3, 2)


def board(district, coordinator, *, user=None, quorum=3, name=None) -> Board:
    n = next(_seq)
    return services.board_save(
        user=user or coordinator,
        board=Board(district=district, name=name or f"Board {n}", quorum=quorum, coordinator=coordinator),
    )


def member(board_, *, user, name=None, term_start=dt.date(2026, 1, 1), years=2, trained=dt.date(2026, 1, 15), **f):
    n = next(_seq)
    values = {
        "board": board_,
        "name": name or f"Citizen Volunteer {n}",
        "phone": f"573 555 {n:04d}",
        "email": f"volunteer{n}@example.org",
        "term_start": term_start,
        "term_end": term_start.replace(year=term_start.year + years),
        "training_completed_on": trained,
        **f,
    }
    return services.member_add(user=user, member=Member(**values))


def referral(board_, case, *, user, referred_on=dt.date(2026, 2, 1), **f) -> BoardReferral:
    values = {
        "board": board_,
        "offender": case.offender,
        "case": case,
        "source": ReferralSource.COURT,
        "reason": "First offense, property damage",
        "referred_on": referred_on,
        **f,
    }
    return services.referral_create(user=user, referral=BoardReferral(**values))


def accepted(board_, case, *, user, on=dt.date(2026, 2, 5)) -> BoardReferral:
    return services.referral_accept(user=user, referral=referral(board_, case, user=user), on=on)


def conditions():
    return [
        services.NewCondition(kind=ConditionKind.APOLOGY, description="A letter of apology to the store owner"),
        services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Food bank", hours=Decimal(20)),
        services.NewCondition(kind=ConditionKind.RESTITUTION, description="The window", amount=Decimal("250")),
    ]
