import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

# A fixed "now" keeps the moved windows, and so every generated timestamp, the same from run to run.
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = 2000


def run_demo_data(**options) -> str:
    """Run `jixing demo-data` with a small province; returns its printed report."""
    options.setdefault("learners", SMALL)
    options.setdefault("now", NOW)
    out = io.StringIO()
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_data(media_root):
    # The placeholder attachments go to a temporary MEDIA_ROOT, never into var/.
    return run_demo_data


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo province, in 通报表扬, shared by the read-only tests of a module (a run takes about a
    second).

    Tests still run in their own transaction, rolled back after each; the province itself is removed
    by flushing the test database when the module is done.
    """
    media = tmp_path_factory.mktemp("files")
    # As tests/conftest.py does per test: the demo accounts' passwords hashed quickly, files kept apart.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        # 通报表扬: the whole campaign has happened, so every state can be seen.
        report = run_demo_data(phase="commend")
        yield {"report": report, "media_root": media}
        call_command("flush", interactive=False, verbosity=0)
