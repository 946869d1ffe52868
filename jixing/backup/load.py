"""`jixing restore SRC`: an archive from `jixing backup` into an empty instance, SQLite or PostgreSQL.

Order: check the whole archive (every checksum, no path outside its place) before touching anything;
bring the schema to this version (`migrate`) and compare it with the archive's, refusing another
version unless --force-schema; refuse a database or MEDIA_ROOT that already holds data unless --force;
load all rows in one transaction (a row that does not load undoes them all, and the --force flush with
them) and compare the row count of every model; only then move the checked files into MEDIA_ROOT.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from jixing.backup.manifest import (
    DATA,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    applied_migrations,
    backed_up_models,
    sha256_of,
)


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    created_at: str
    # With force_schema: the archive's models this instance does not have, whose rows were left out.
    skipped: tuple[str, ...] = ()


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())  # type: ignore[union-attr]
    except (KeyError, ValueError, AttributeError) as exc:
        raise BackupError("这不是集星备份文件：缺少或无法读取 manifest.json") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')} 版本 {manifest.get('version')}")
    return manifest


def _safe_relative(name: str) -> str:
    """A file's path under files/, refusing anything that could land outside MEDIA_ROOT."""
    relative = PurePosixPath(name[len(FILES_PREFIX) :])
    if relative.is_absolute() or not relative.parts or ".." in relative.parts:
        raise BackupError(f"备份中的文件路径不安全：{name}")
    return relative.as_posix()


def _copy_checked(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: dict) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"无法读取备份中的 {member.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        digest = sha256_of(_copy_chunks(source, out))
    if digest != expected["sha256"] or target.stat().st_size != expected["bytes"]:
        raise BackupError(f"校验失败：{member.name} 的 sha256 与清单不符（备份文件已损坏或被改动）")


def _copy_chunks(source, out):
    while chunk := source.read(1024 * 1024):
        out.write(chunk)
        yield chunk


def _unpack(archive: tarfile.TarFile, manifest: dict[str, Any], staging: Path) -> Path:
    """Extract data and files into staging, checking every sha256; return the data file's path."""
    expected_files: dict[str, dict] = manifest["files"]
    seen: set[str] = set()
    data_path = staging / DATA
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile():
            raise BackupError(f"备份中有不应出现的条目（链接、设备或目录）：{member.name}")
        if member.name == DATA:
            _copy_checked(archive, member, data_path, manifest["data"])
        elif member.name.startswith(FILES_PREFIX):
            relative = _safe_relative(member.name)
            if relative not in expected_files:
                raise BackupError(f"备份中的文件不在清单内：{relative}")
            _copy_checked(archive, member, staging / "files" / relative, expected_files[relative])
            seen.add(relative)
        else:
            raise BackupError(f"备份中有未知条目：{member.name}")
    if not data_path.exists():
        raise BackupError("备份中缺少数据文件 data.jsonl")
    missing = sorted(set(expected_files) - seen)
    if missing:
        raise BackupError(f"备份中缺少清单所列的 {len(missing)} 个文件，例如 {missing[0]}")
    return data_path


def schema_differences(manifest: dict[str, Any]) -> list[str]:
    """Each app whose migrations differ between the archive and this instance, saying which."""
    ours, theirs = applied_migrations(), manifest["migrations"]
    found = []
    for app in sorted(set(ours) | set(theirs)):
        only_backup = sorted(set(theirs.get(app, [])) - set(ours.get(app, [])))
        only_here = sorted(set(ours.get(app, [])) - set(theirs.get(app, [])))
        parts = []
        if only_backup:
            parts.append("备份有、本实例没有 " + "、".join(only_backup))
        if only_here:
            parts.append("本实例有、备份没有 " + "、".join(only_here))
        if parts:
            found.append(f"{app}：{'；'.join(parts)}")
    return found


def _check_schema(manifest: dict[str, Any]) -> None:
    differing = schema_differences(manifest)
    if differing:
        more = f"等 {len(differing)} 处" if len(differing) > 3 else ""
        raise BackupError(
            f"备份的数据库结构版本与本实例不同（{'，'.join(differing[:3])}{more}），未恢复任何数据。"
            "请用与备份时相同版本的集星恢复，恢复后再升级；确要按本实例的结构恢复时"
            "（本实例没有的表和字段将被舍弃，缺少的字段取默认值），加 --force-schema。"
        )


def _existing_data() -> list[str]:
    return [m._meta.label_lower for m in backed_up_models() if m._base_manager.exists()]


def _media_has_files(root: Path) -> bool:
    return root.is_dir() and any(path.is_file() for path in root.rglob("*"))


def _move_files(staged: Path, root: Path) -> None:
    if not staged.is_dir():
        return
    for path in sorted(staged.rglob("*")):
        if path.is_file():
            target = root / path.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS or 0o640)


def _load(data_path: Path, manifest: dict[str, Any], *, ignore_missing: bool) -> dict[str, int]:
    """Insert every row, then compare each model's count with the manifest's (the models this instance
    does not have are left out when ignore_missing). Returns the counts that were loaded."""
    call_command("loaddata", str(data_path), verbosity=0, ignore=ignore_missing)
    loaded = {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}
    expected = manifest["models"]
    if ignore_missing:
        expected = {label: n for label, n in expected.items() if label in loaded}
    wrong = {label: (n, loaded.get(label, 0)) for label, n in expected.items() if loaded.get(label, 0) != n}
    if wrong:
        details = "；".join(
            f"{label} 应有 {n} 行，实有 {got} 行" for label, (n, got) in list(wrong.items())[:5]
        )
        raise BackupError(f"恢复后的行数与清单不符，已全部撤销：{details}")
    return expected


def restore_backup(src: Path, *, force: bool = False, force_schema: bool = False) -> RestoreResult:
    """Restore SRC into this instance. Side effects: `migrate`; with --force the database is emptied
    (`flush`) first; every row of the archive inserted; files written under MEDIA_ROOT (existing files of
    the same path replaced, others left). Raises BackupError, changing no row and no file, when the
    archive is damaged, of another schema version (unless force_schema: then the rows are loaded into this
    version's tables, leaving out the tables and columns it does not have), the instance is not empty and
    force is not given, or the rows do not load (all undone)."""
    if not src.is_file():
        raise BackupError(f"找不到备份文件 {src}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    try:
        archive = tarfile.open(src, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"无法打开备份文件 {src}：{exc}") from exc
    # Staged beside MEDIA_ROOT: the final moves are renames on the same file system.
    with archive, tempfile.TemporaryDirectory(prefix=".jixing-restore-", dir=media_root.parent) as work:
        manifest = _read_manifest(archive)
        data_path = _unpack(archive, manifest, Path(work))
        call_command("migrate", interactive=False, verbosity=0)
        if not force_schema:
            _check_schema(manifest)
        occupied = _existing_data()
        if not force and (occupied or _media_has_files(media_root)):
            where = (
                f"数据库已有数据（{'、'.join(occupied[:5])}…）" if occupied else f"{media_root} 中已有文件"
            )
            raise BackupError(f"只能恢复到空实例：{where}。确认要清空并覆盖时，加 --force。")
        try:
            with transaction.atomic():
                if force and occupied:
                    call_command("flush", interactive=False, verbosity=0)
                loaded = _load(data_path, manifest, ignore_missing=force_schema)
        except (DeserializationError, DatabaseError, ValidationError, ValueError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BackupError(f"恢复失败，已全部撤销，数据库与文件均未改动：{first_line[:300]}") from exc
        _move_files(Path(work) / "files", media_root)
    return RestoreResult(
        rows=sum(loaded.values()),
        files=len(manifest["files"]),
        created_at=manifest["created_at"],
        skipped=tuple(sorted(set(manifest["models"]) - set(loaded))),
    )
