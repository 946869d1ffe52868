"""`jixing backup` on one instance, `jixing restore` on another, each its own process and database: SQLite
to SQLite, or — in the PostgreSQL pass — SQLite to a fresh PostgreSQL database."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from tests.conftest import is_postgres

REPO = Path(__file__).resolve().parents[2]

POPULATE = """
import django; django.setup()
from django.conf import settings
from tests.backup.test_backup_restore import populate
settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
populate(settings.MEDIA_ROOT)
"""
REPORT = """
import django, hashlib, json; django.setup()
from django.conf import settings
from tests.backup.test_backup_restore import counts, file_hashes
print(json.dumps({"rows": counts(), "files": file_hashes(settings.MEDIA_ROOT)}))
"""


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXING_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="jixing.settings", JIXING_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _jixing(env: dict[str, str], *args: str) -> str:
    return _run(env, sys.executable, "-m", "jixing", *args)


@pytest.fixture
def target_database_url():
    """None (a SQLite file) or, on PostgreSQL, a new empty database dropped afterwards."""
    if not is_postgres():
        yield None
        return
    db = settings.DATABASES["default"]
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"jixing_restore_{uuid.uuid4().hex[:8]}"
    admin_url = f"postgresql://{server['USER']}@{server['HOST']}:{server['PORT']}/{db['NAME']}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_command_restores_into_another_empty_instance(tmp_path, target_database_url):
    source = _env(tmp_path / "source", None)
    _jixing(source, "migrate", "--noinput", "-v0")
    _run(source, sys.executable, "-c", POPULATE)
    assert "已备份" in _jixing(source, "backup", str(tmp_path))
    [archive] = tmp_path.glob("jixing-backup-*.tar.gz")

    target = _env(tmp_path / "target", target_database_url)
    out = _jixing(target, "restore", str(archive))
    assert "行数与校验和均一致" in out
    assert json.loads(_run(target, sys.executable, "-c", REPORT)) == json.loads(
        _run(source, sys.executable, "-c", REPORT)
    )
    assert "审计链完好：共 3 个事件" in _jixing(target, "audit", "verify")
