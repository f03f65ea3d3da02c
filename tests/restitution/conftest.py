"""A small restitution book on top of the shared ``world``: one delinquent person on officer.d9's
caseload, one current person on officer.d10's."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from restitution.choices import ObligationKind
from tests.factories.restitution import obligation, pay

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen():
    """The clock stopped at noon in Jefferson City on TODAY."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), tick=False):
        yield TODAY


@pytest.fixture
def book(world, frozen):
    w = world
    b = type("Book", (), {})()
    # officer.d9's person: $1,200 restitution at $100 a month from Jan 15, 2026; paid twice, then stopped.
    b.restitution = obligation(
        w.case,
        amount="1200.00",
        ordered_on=dt.date(2025, 12, 1),
        monthly_amount=Decimal("100"),
        first_due_on=dt.date(2026, 1, 15),
    )
    b.cvcf = obligation(
        w.case,
        kind=ObligationKind.CVCF,
        amount="68.00",
        ordered_on=dt.date(2025, 12, 1),
        monthly_amount=Decimal("10"),
        first_due_on=dt.date(2026, 1, 15),
    )
    b.p1 = pay(w.supervised, "100.00", dt.date(2026, 1, 14), user=w.officer)
    b.p2 = pay(w.supervised, "100.00", dt.date(2026, 2, 15), user=w.officer)
    # officer.d10's person: current.
    b.other = obligation(
        w.case_d10,
        amount="500.00",
        ordered_on=dt.date(2026, 1, 1),
        monthly_amount=Decimal("50"),
        first_due_on=dt.date(2026, 2, 1),
    )
    for month in range(2, 7):
        pay(w.supervised_d10, "50.00", dt.date(2026, month, 1), user=w.officer_d10)
    return b
