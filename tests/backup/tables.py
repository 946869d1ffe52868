"""What an instance holds, table by table and file by file, in a form two instances can be compared by —
also when one is SQLite and the other PostgreSQL, and when the other runs in a process of its own
(`python -c` with this module, see Instance.digest).

Every concrete table of the product is read, asked of Django's models and not of the backup's own list, so
a table the backup leaves out shows as a difference; only the backup's deliberate exclusions are skipped.
Rows are read with values_list ordered by primary key, every column: encrypted columns as their plain
value (the tokens differ by design: each encryption has a random IV), foreign keys to content types and
permissions — which `migrate` makes, with ids that differ between databases — as their natural keys, and
the many-to-many tables without their own ids (a restore inserts their rows anew), sorted.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from jixing.backup.manifest import EXCLUDED
from jixing.people import crypto
from jixing.people.fields import EncryptedCharField

REPO = Path(__file__).resolve().parents[2]


def product_tables() -> list[type[models.Model]]:
    """Every concrete table (many-to-many tables included) but the backup's deliberate exclusions."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        # PostgreSQL's jsonb keeps keys in an order of its own.
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _natural_keys(model: type[models.Model]) -> dict[Any, list[Any]]:
    return {obj.pk: list(obj.natural_key()) for obj in model._base_manager.all()}


def table_rows() -> dict[str, list[list[Any]]]:
    """{model label: every row as a list of its columns' values}, ready for JSON."""
    by_natural_key: dict[type[models.Model], dict[Any, list[Any]]] = {}
    result: dict[str, list[list[Any]]] = {}
    for model in product_tables():
        fields = list(model._meta.concrete_fields)
        if model._meta.auto_created:
            fields = [f for f in fields if not f.primary_key]
        converters: list[dict[Any, list[Any]] | None] = []
        for field in fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target._meta.label_lower in EXCLUDED:
                converters.append(by_natural_key.setdefault(target, _natural_keys(target)))
            else:
                converters.append(None)
        rows = []
        query = model._base_manager.order_by(model._meta.pk.name)
        for values in query.values_list(*[f.attname for f in fields]):
            rows.append(
                [
                    convert[value] if convert is not None and value is not None else _plain(value)
                    for value, convert in zip(values, converters, strict=True)
                ]
            )
        if model._meta.auto_created:
            rows.sort(key=lambda row: json.dumps(row, ensure_ascii=False))
        result[model._meta.label_lower] = rows
    return result


def encrypted_columns() -> dict[str, dict[str, int]]:
    """For every encrypted column, how many stored values are tokens and how many are not (read with plain
    SQL, past the field's decryption): a restore must leave no personal number in clear."""
    found: dict[str, dict[str, int]] = {}
    for model in product_tables():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {connection.ops.quote_name(field.column)} "
                        f"FROM {connection.ops.quote_name(model._meta.db_table)}"
                    )
                    stored = [value for (value,) in cursor.fetchall() if value]
                tokens = sum(crypto.looks_encrypted(value) for value in stored)
                found[f"{model._meta.label_lower}.{field.name}"] = {
                    "tokens": tokens,
                    "plain": len(stored) - tokens,
                }
    return found


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def digest() -> dict[str, Any]:
    """Everything an instance holds: its tables, its encrypted columns as stored, its files."""
    return {
        "vendor": connection.vendor,
        "tables": table_rows(),
        "encrypted": encrypted_columns(),
        "files": file_hashes(Path(settings.MEDIA_ROOT)),
    }


def differences(expected: dict[str, list[list[Any]]], found: dict[str, list[list[Any]]]) -> dict[str, str]:
    """{table: what differs first}, short enough to read in a failing test's output."""
    result = {}
    for label in sorted(set(expected) | set(found)):
        want, got = expected.get(label), found.get(label)
        if want == got:
            continue
        if want is None or got is None:
            result[label] = "table missing on one side"
        elif len(want) != len(got):
            result[label] = f"{len(want)} rows expected, {len(got)} found"
        else:
            row = next(i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a != b)
            result[label] = f"row {row}: expected {want[row]!r}, found {got[row]!r}"
    return result


DIGEST = """
import json, sys, django
django.setup()
from tests.backup.tables import digest
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(digest(), out, ensure_ascii=False)
"""


class Instance:
    """Another instance of jixing, run as commands in processes of their own: its own data directory
    (SQLite file, MEDIA_ROOT) or PostgreSQL database, and the keys of this test process — restoring needs
    the same encryption keys, and comparing decrypted values needs them too."""

    def __init__(self, data_dir: Path, database_url: str | None = None) -> None:
        self.data_dir = data_dir
        self.media_root = data_dir / "files"
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIXING_") and k != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="jixing.settings",
            PYTHONPATH=str(REPO),
            JIXING_DATA_DIR=str(data_dir),
            JIXING_SECRET_KEY=settings.SECRET_KEY,
            JIXING_ENCRYPTION_KEYS=",".join(settings.ENCRYPTION_KEYS),
            JIXING_BLIND_INDEX_KEY=settings.BLIND_INDEX_KEY,
            JIXING_AUDIT_KEY=settings.AUDIT_KEY,
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(args, env=self.env, cwd=REPO, capture_output=True, text=True, timeout=600)
        if check:
            assert result.returncode == 0, f"{' '.join(args[1:])} failed:\n{result.stderr[-3000:]}"
        return result

    def jixing(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "jixing", *args, check=check)

    def digest(self) -> dict[str, Any]:
        out = self.data_dir.parent / f"{self.data_dir.name}-digest.json"
        self.run(sys.executable, "-c", DIGEST, str(out))
        return json.loads(out.read_text(encoding="utf-8"))


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of this test run's database, dropped afterwards;
    named after the test database (one per pytest process) so that parallel runs never meet. Yields its
    URL."""
    db = connection.settings_dict
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **server)
    except psycopg.OperationalError as exc:
        raise AssertionError(f"PostgreSQL unreachable at {server['host']}:{server['port']}: {exc}") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            password = f":{server['password']}" if server["password"] else ""
            yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
