import os
import tempfile

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    # One test database per run, so that runs sharing a PostgreSQL server (developers, CI) never drop
    # each other's database mid-run.
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("TEST", {})["NAME"] = f"test_jixing_{os.getpid()}"
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not Django's shared-cache in-memory database: there a second connection gets "database
        # table is locked" at once instead of waiting, so tests that write from several threads could
        # not run. A file behaves as the product's SQLite does (WAL, BEGIN IMMEDIATE, busy timeout).
        db.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.gettempdir(), f"test_jixing_{os.getpid()}.sqlite3"
        )


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
