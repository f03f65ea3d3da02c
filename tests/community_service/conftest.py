"""A small community service world on top of the shared ``world``: one agency, an order and a
placement for officer.d9's person and for officer.d10's, the clock stopped on TODAY."""

import datetime as dt

import pytest
import time_machine

from tests.factories.community_service import AgencyFactory, OrderFactory, placement

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Signed sheets go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), tick=False):
        yield TODAY


@pytest.fixture
def cs(world, frozen):
    w = world
    c = type("CS", (), {})()
    c.agency = AgencyFactory(organization__name="Samaritan Center")
    c.order = OrderFactory(
        case=w.case, hours_ordered="100.00", ordered_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31)
    )
    c.place = placement(w.supervised, c.agency, start_on=dt.date(2026, 2, 1), user=w.admin)
    c.order_d10 = OrderFactory(case=w.case_d10, hours_ordered="40.00")
    c.place_d10 = placement(w.supervised_d10, c.agency, start_on=dt.date(2026, 2, 1), user=w.admin)
    return c
