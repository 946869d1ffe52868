import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the product's hasher; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
