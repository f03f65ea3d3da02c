"""The demo board: referrals pending and declined, agreements in every state, a declared conflict; a second
load changes nothing."""

import datetime as dt

import pytest
import time_machine

from boards.demo import demo_seed
from boards.models import Agreement, BoardReferral, MemberConflict
from core.services import demo_seed as core_demo_seed

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 24, 18, tzinfo=dt.UTC), tick=False)
def test_the_demo_board_has_agreements_in_every_state_and_loads_once(django_capture_on_commit_callbacks):
    core_demo_seed(offenders=160)
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_seed() == 5
    states = sorted(Agreement.objects.values_list("status", flat=True))
    assert states == ["active", "active", "completed", "failed", "partial"]
    assert Agreement.objects.filter(status="active", mid_term_reviewed_on__isnull=False).count() == 1
    assert all(a.signed for a in Agreement.objects.all())
    assert set(BoardReferral.objects.values_list("status", flat=True)) == {"pending", "declined", "accepted"}
    assert MemberConflict.objects.count() == 1
    counts = (Agreement.objects.count(), BoardReferral.objects.count())
    assert demo_seed() == 0
    assert (Agreement.objects.count(), BoardReferral.objects.count()) == counts
