"""The demo data: every pace status on the demo officers' caseloads; a second load changes nothing."""

import datetime as dt
from collections import Counter

import pytest
import time_machine

from community_service.demo import DEMO_OFFICERS, demo_seed
from community_service.models import HourLog, Order, PaceSnapshot
from core.models import User
from core.services import demo_seed as core_demo_seed
from restitution.selectors import caseload

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False)
def test_demo_caseloads_show_every_status():
    core_demo_seed(offenders=160)
    assert demo_seed() > 0
    counts = (Order.objects.count(), HourLog.objects.count(), PaceSnapshot.objects.count())
    for username in DEMO_OFFICERS:
        rows = caseload(User.objects.get(username=username), dt.date(2026, 11, 28), programs=True)
        cells = [r.programs["community_service"] for r in rows if r.programs.get("community_service")]
        statuses = Counter(c.status for c in cells)
        assert {"on_pace", "behind", "past_due", "completed"} <= set(statuses), (username, statuses)
        assert any(c.after_supervision for c in cells), username
    assert Order.objects.filter(status="completed").exists()
    assert HourLog.objects.filter(verification="pending").exists()
    assert demo_seed() == 0
    assert (Order.objects.count(), HourLog.objects.count(), PaceSnapshot.objects.count()) == counts
