"""Reads of the reparation boards that pages, other apps and the person's timeline need. Each takes
``user`` and applies ``.restrict(user)``."""

from __future__ import annotations

from core.querysets import VIEW

from .models import Agreement, BoardReferral


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
