"""`jixing backup DEST`: one consistent archive of the database and the uploaded files."""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jixing.backup.manifest import (
    DATA,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    FullPrecisionEncoder,
    HashingReader,
    applied_migrations,
    backed_up_models,
    dump_manifest,
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    files: int


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table as of one moment, without blocking writers for the backup's duration."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (tests, or a caller's): it is the snapshot
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        # Django's atomic() would BEGIN IMMEDIATE (settings: transaction_mode) and hold SQLite's write lock;
        # a deferred read transaction in WAL mode sees one snapshot and lets writers go on.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")


def _dump_data(stream: io.TextIOBase) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        counts[label] = 0

        def counted(rows, label=label):
            for row in rows:
                counts[label] += 1
                yield row

        rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
        serializers.serialize(
            "jsonl",
            counted(rows),
            stream=stream,
            cls=FullPrecisionEncoder,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
        )
    return counts


def _media_files(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def _target(dest: Path) -> Path:
    if dest.is_dir():
        return dest / f"jixing-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    if dest.exists():
        raise BackupError(f"{dest} 已存在，不会覆盖；请换一个文件名或给出目录")
    if not dest.parent.is_dir():
        raise BackupError(f"目录 {dest.parent} 不存在")
    return dest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o640
    archive.addfile(info, io.BytesIO(data))


def _check_migrated() -> None:
    # The rows are read through this version's models: a database behind them cannot be read whole.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("数据库有尚未执行的迁移：请先运行 jixing migrate，再备份")


def create_backup(dest: Path) -> BackupResult:
    """Write the archive (see manifest.py) to DEST, or into DEST when it is a directory. Side effects: the
    archive file (written under a temporary name and renamed when complete, readable by its owner only)."""
    target = _target(dest)
    _check_migrated()
    created_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix="jixing-backup-") as work:
        data_path = Path(work) / DATA
        with _snapshot():
            with data_path.open("w", encoding="utf-8") as stream:
                counts = _dump_data(stream)
            migrations = applied_migrations()
        partial = target.with_name(f".{target.name}.partial")
        files: dict[str, dict[str, int | str]] = {}
        try:
            with tarfile.open(partial, "w:gz") as archive:
                with data_path.open("rb") as raw:
                    reader = HashingReader(raw)
                    info = archive.gettarinfo(str(data_path), arcname=DATA)
                    archive.addfile(info, reader)
                data_entry = {"sha256": reader.sha256.hexdigest(), "bytes": reader.size}
                for path, relative in _media_files(Path(settings.MEDIA_ROOT)):
                    with path.open("rb") as raw:
                        reader = HashingReader(raw)
                        info = archive.gettarinfo(str(path), arcname=FILES_PREFIX + relative)
                        archive.addfile(info, reader)
                    files[relative] = {"sha256": reader.sha256.hexdigest(), "bytes": reader.size}
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": created_at.isoformat(),
                    "django": django.get_version(),
                    "database": connection.vendor,
                    "migrations": migrations,
                    "models": counts,
                    "data": data_entry,
                    "files": files,
                }
                _add_bytes(archive, MANIFEST, dump_manifest(manifest))
            os.chmod(partial, 0o600)  # it holds every person's data
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=target, rows=sum(counts.values()), files=len(files))
