import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings

from jixing.campaigns.models import Campaign
from jixing.nominations.domain.evaluation import refresh
from jixing.settings import TASKS_BACKENDS

# A fixed "now" keeps the moved windows, and so every generated timestamp, the same from run to run.
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = 2000


def run_demo_data(**options) -> str:
    """Run `jixing demo-data` with a small province as `make demo` does, then the refresh its worker runs
    next; returns the printed report.

    With the database task backend of a served instance, not the tests' immediate one: there, the first
    move queues one refresh and the others share it, while an immediate backend would re-evaluate the
    campaign after each of the demo's ~1,000 moves (40 s a run instead of 5)."""
    options.setdefault("learners", SMALL)
    options.setdefault("now", NOW)
    out = io.StringIO()
    with override_settings(TASKS={"default": {"BACKEND": TASKS_BACKENDS["database"], "QUEUES": ["default"]}}):
        call_command("demo_data", stdout=out, **options)
    if options.get("files_only"):
        return out.getvalue()  # nothing was loaded, and the test may have no database
    for campaign_id in Campaign.objects.filter(refresh_queued_at__isnull=False).values_list("pk", flat=True):
        refresh(campaign_id)
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
