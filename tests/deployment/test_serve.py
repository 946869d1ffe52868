"""The multi-process deployment (issue 10, item 4): `make serve`'s script runs gunicorn with several workers
and task workers of their own on the test database; the shared cache counts across processes.

Real processes against the test database, so the tests commit (transaction=True).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from jixing.campaigns.domain.staleness import mark_stale
from jixing.campaigns.models import Campaign
from tests.factories import make_campaign, make_learner, make_nomination, make_small_province, make_snapshot
from tests.processes import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "JIXING_REDIS_URL"},
        "DATABASE_URL": database_url(),
        "JIXING_TASKS_BACKEND": "database",
        "JIXING_DATA_DIR": str(tmp_path / "data"),
        "JIXING_MEDIA_ROOT": str(tmp_path / "files"),
        **extra,
    }
    return env


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """scripts/serve.sh on a free loopback port: 2 web workers, 1 task worker; stopped with SIGTERM."""
    port = _free_port()
    env = _env(
        tmp_path,
        BIN=str(Path(sys.executable).parent),
        HOST="127.0.0.1",
        PORT=str(port),
        JIXING_WEB_WORKERS="2",
        JIXING_TASK_WORKERS="1",
    )
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback, a server of our own)
        return response.status, response.read().decode()


def _wait_for(check, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := check():
                return result
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_runs_the_site_and_a_task_worker_and_stops_them_all(served, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    base, process = served
    status, body = _wait_for(lambda: _get(f"{base}/login/"), seconds=60, what="the site to answer")
    assert status == 200 and "登录" in body
    # A change queues a refresh of the results; the script's task worker runs it.
    tree = make_small_province()
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1")
    campaign = make_campaign()
    make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A1")
    mark_stale(campaign)
    evaluated = _wait_for(
        lambda: Campaign.objects.get(pk=campaign.pk).evaluated_at, seconds=60, what="the refresh task"
    )
    assert evaluated is not None
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) is not None
    _wait_for(lambda: not _group_alive(process.pid), seconds=30, what="every process of the script to stop")


def test_the_rate_limit_is_counted_across_processes(tmp_path):
    """Two processes count one address together (the database cache): 5 allowed in all, not 5 each."""
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from jixing.public.throttle import allow
        print(sum(allow("objection", "203.0.113.9", limit=5, seconds=600) for _ in range(4)))
        """
    )
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="jixing.settings")
    allowed = [
        int(
            subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout.split()[-1]
        )  # fmt: skip
        for _ in range(2)
    ]
    assert sorted(allowed) == [1, 4]


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/3", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_shared_cache_is_the_database_unless_redis_is_configured(tmp_path, redis_url, backend):
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_REDIS_URL=redis_url)
    code = (
        "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [backend, redis_url or settings.CACHE_TABLE]


def test_connections_are_kept_and_checked_when_an_age_is_set(tmp_path):
    """`make serve` sets JIXING_DB_CONN_MAX_AGE=60: each web worker reuses its connection, checked first."""
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_DB_CONN_MAX_AGE="60")
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["60", "True"]
    assert (
        "JIXING_DB_CONN_MAX_AGE=${JIXING_DB_CONN_MAX_AGE:-60}" in (ROOT / "scripts" / "serve.sh").read_text()
    )
