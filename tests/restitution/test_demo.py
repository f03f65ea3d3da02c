"""The demo data loader: obligations, plans and payments for the demo caseloads, some late and delinquent."""

import datetime as dt
from collections import Counter

import pytest
import time_machine

from core.models import User
from core.services import demo_seed as core_demo_seed
from restitution.demo import DEMO_OFFICERS, demo_seed
from restitution.models import ComplianceSnapshot, Obligation, Payment
from restitution.selectors import caseload

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False)
def test_demo_caseloads_have_restitution_including_late_and_delinquent_people():
    core_demo_seed(offenders=160)
    assert demo_seed() > 0
    counts = (Obligation.objects.count(), Payment.objects.count(), ComplianceSnapshot.objects.count())
    statuses = Counter()
    for username in DEMO_OFFICERS:
        rows = caseload(User.objects.get(username=username), dt.date(2026, 11, 28))
        assert rows, username
        statuses.update(r.status for r in rows)
    assert statuses["delinquent"] and statuses["late"] and statuses["current"]
    assert demo_seed() == 0  # a second load changes nothing
    assert (Obligation.objects.count(), Payment.objects.count(), ComplianceSnapshot.objects.count()) == counts
