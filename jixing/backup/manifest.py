"""What a backup archive holds and how it is checked (shared by backup and restore).

An archive is a tar.gz with:
  data.jsonl     every row, one JSON object a line (Django's JSON Lines serialisation, natural keys for
                 foreign keys to content types, permissions and users, so it loads into another database,
                 SQLite or PostgreSQL, whose automatic ids differ)
  files/…        the uploaded files under MEDIA_ROOT, same relative paths
  manifest.json  format version, created_at, database vendor, the applied migrations per app, row counts
                 per model, sha256 and size of data.jsonl and of every file
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "jixing-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
FILES_PREFIX = "files/"

# Not data: content types and permissions are made by `migrate` (and referenced by natural key), sessions
# are logins that must not come back to life elsewhere, login and account-claim failures are a 30-minute
# throttle, queued background tasks must not run again on the restored instance (the import jobs they ran
# are kept).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.loginfailure",
    "accounts.claimfailure",
    "django_tasks_database.dbtaskresult",
}


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator (in Chinese)."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; the audit chain hashes them to the microsecond,
    so a restored chain would no longer verify. Keep them whole."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with a table, ordered so that natural-key targets load before their users."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.label_lower not in EXCLUDED
        and not model._meta.proxy
        and model._meta.managed
        and not model._meta.auto_created
    ]


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    from django.db import connections

    applied = MigrationRecorder(connections[using]).applied_migrations()
    result: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        result.setdefault(app_label, []).append(name)
    return result


class HashingReader:
    """Reads a file for tarfile while computing its sha256, so each file is read once."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def dump_manifest(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
