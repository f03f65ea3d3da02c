import pytest

from tests.factories.gardens import make_garden_world


@pytest.fixture
def gw(world):
    """The shared ``world`` with seasons, gardens at JCCC and ACC, and crops."""
    return make_garden_world(world)
