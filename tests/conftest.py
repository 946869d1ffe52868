import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

# The browser tests' screenshot folders that pytest-xdist's workers reported (tests/browser/conftest.py).
WORKERS_SCREENSHOT_FOLDERS = pytest.StashKey[list[str]]()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    folders = getattr(node, "workeroutput", {}).get("screenshot_folders", [])
    node.config.stash.setdefault(WORKERS_SCREENSHOT_FOLDERS, []).extend(folders)


def pytest_terminal_summary(terminalreporter, config) -> None:
    for folder in map(Path, sorted(set(config.stash.get(WORKERS_SCREENSHOT_FOLDERS, [])))):
        shots = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"浏览器测试截图 / browser screenshots ({shots}): {folder}")


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
def _data_and_image_slots_of_this_process(settings, monkeypatch, tmp_path_factory):
    # `make test TEST_WORKERS=2` runs two pytest processes (pytest-xdist), and other runs may share the
    # machine: each process keeps its scratch folders (DATA_DIR: import work folders, packages,
    # certificate batches) and takes its re-encoding slots (machine-wide lock files,
    # jixing/nominations/domain/images.py) in a folder of its own, where no other process's import or
    # image comes and goes.
    settings.DATA_DIR = tmp_path_factory.getbasetemp() / "data"
    monkeypatch.setattr(
        "jixing.nominations.domain.images.SLOT_FOLDER", tmp_path_factory.getbasetemp() / "image-slots"
    )


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the product's hasher; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    # A task runs inside the call that enqueues it: an import job ends before start_import returns. The
    # browser test of imports sets the database backend back and runs a real `jixing db_worker`.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _demo_signing_key_outside_the_repository(settings, tmp_path_factory):
    # The self-signed pair that signs certificates and the final list without a configured key: made
    # once per test session in its temporary folder, never in the working copy's var/.
    settings.SIGNING_DEMO_DIR = tmp_path_factory.getbasetemp() / "signing"


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def mark_second_factor_passed(client, user) -> None:
    """Mark a test client's session as having passed the second factor, as the TOTP verify page does
    (django-otp's session key), giving the user a confirmed device if they have none."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jixing.accounts.domain.second_factor import confirmed_device

    device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """Province admins need a second factor (AccountGateMiddleware): without it every page redirects to the
    TOTP pages. Tests that only need "a logged-in province admin" use `client.force_login(user)`; this
    wraps it so such a session has also passed the second factor.

    Only force_login is wrapped. Tests of the login, the throttle and the second factor itself go the real
    way — `client.post` to the login page, then to the TOTP pages with a code from django-otp's TOTP
    (tests/accounts/) — and so does `client.login`, which checks the password like the login page.
    """
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if getattr(user, "is_province_admin", False):
            mark_second_factor_passed(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
