import pytest

from tests.announcements.helpers import build_world


@pytest.fixture
def world(db):
    return build_world()
