import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import OrganizationFactory
from tests.factories.donations import ItemFactory, ProductionLogFactory
from tests.factories.gardens import HarvestFactory, make_garden_world
from tests.pdfs import pdf_text  # noqa: F401  (the donation tests import it from here)


@pytest.fixture
def gw(world):
    """The shared ``world`` with seasons, gardens at JCCC and ACC, and crops."""
    return make_garden_world(world)


@pytest.fixture
def stocked(gw):
    """JCCC harvested tomatoes and kale and made quilts in July 2026; ACC grew zucchini. Two food banks."""
    w = gw
    w.food_bank = OrganizationFactory(name="Food Bank for Central & Northeast Missouri", county="Boone")
    w.pantry = OrganizationFactory(name="Samaritan Center Food Pantry", county="Cole", kinds=["food_pantry"])
    w.quilt = ItemFactory(name="Quilt", estimated_value=Decimal("60.00"))
    HarvestFactory(garden=w.garden_jccc, crop=w.tomatoes, date=dt.date(2026, 7, 1), weight_lb=Decimal("200.0"))
    HarvestFactory(garden=w.garden_jccc, crop=w.greens, date=dt.date(2026, 7, 1), weight_lb=Decimal("50.0"))
    HarvestFactory(garden=w.garden_acc, crop=w.squash, date=dt.date(2026, 7, 1), weight_lb=Decimal("80.0"))
    ProductionLogFactory(facility=w.jccc, item=w.quilt, quantity=10, date=dt.date(2026, 7, 1))
    return w
