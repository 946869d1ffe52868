"""Production settings, checked in a fresh process: settings are read once, from the environment."""

import base64
import os
import secrets
import subprocess
import sys


def _run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    production = {
        "DJANGO_SETTINGS_MODULE": "jixing.settings",
        "JIXING_DATA_DIR": str(tmp_path),
        "JIXING_ENV": "production",
        "JIXING_SECRET_KEY": secrets.token_urlsafe(50),
        "JIXING_ALLOWED_HOSTS": "jixing.example.gov.cn",
        "JIXING_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "JIXING_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "JIXING_AUDIT_KEY": secrets.token_urlsafe(32),
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith("JIXING_")}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env={**base, **production, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert (result.returncode, result.stderr) == (0, "")
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_a_short_secret_key(tmp_path):
    result = _run(tmp_path, "check", JIXING_SECRET_KEY="too-short")
    assert result.returncode == 1
    assert "JIXING_SECRET_KEY must be at least 50 random characters" in result.stderr


def test_audit_retention_below_184_days_is_refused(tmp_path):
    result = _run(tmp_path, "check", JIXING_AUDIT_RETENTION_DAYS="90")
    assert result.returncode == 1
    assert "JIXING_AUDIT_RETENTION_DAYS must be at least 184, got 90" in result.stderr
    assert _run(tmp_path, "check", JIXING_AUDIT_RETENTION_DAYS="365").returncode == 0


def test_production_hashes_passwords_with_argon2(tmp_path):
    """The suite's own settings switch to MD5 for speed (tests/conftest.py); production must not."""
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.auth.hashers import make_password, identify_hasher\n"
        "print(settings.PASSWORD_HASHERS[0])\n"
        "encoded = make_password('口令-for-a-test')\n"
        "print(identify_hasher(encoded).algorithm, encoded.split('$')[0])\n"
    )
    result = _run(tmp_path, "shell", "--verbosity", "0", "-c", script)
    assert result.returncode == 0, result.stderr
    hasher, stored = result.stdout.splitlines()[-2:]
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert stored == "argon2 argon2"


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    result = _run(tmp_path, "check", JIXING_AUDIT_KEY="")
    assert result.returncode == 1
    assert "JIXING_AUDIT_KEY must be set when JIXING_ENV=production" in result.stderr


def test_production_refuses_an_audit_key_shared_with_another_key(tmp_path):
    key = secrets.token_urlsafe(32)
    result = _run(tmp_path, "check", JIXING_BLIND_INDEX_KEY=key, JIXING_AUDIT_KEY=key)
    assert result.returncode == 1
    assert "JIXING_AUDIT_KEY must be at least 32 random characters of its own" in result.stderr
