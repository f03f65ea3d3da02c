import pytest

from tests.factories.victims import make_victim


@pytest.fixture
def victim(world):
    """A victim on the case of the person officer.d9 supervises, with the fictional identity."""
    return make_victim(cases=[world.case], user=world.victims)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
