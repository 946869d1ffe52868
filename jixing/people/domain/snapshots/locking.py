"""One snapshot import at a time, across processes and machines, and whatever a killed one left behind.

PostgreSQL: a session-level advisory lock, which the server releases when the importing connection ends
— a killed worker holds nothing. SQLite (one machine): an exclusive `flock` on a file beside the data,
which the kernel releases when the process dies. Either way, holding the lock means no other import is
running, so an incomplete snapshot found then was left by a dead one and can be removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import connection

if TYPE_CHECKING:
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

BUSY = "另一个积分快照正在导入，请等它完成后再导入"
# Any fixed 64-bit number: the key of this lock among the database's advisory locks.
ADVISORY_KEY = 0x4A49_5853_4E41_5031  # "JIXSNAP1"


class SnapshotImportBusy(Exception):
    """Another snapshot import holds the lock; the message is shown to the user."""

    def __init__(self) -> None:
        super().__init__(BUSY)


def in_memory_database() -> bool:
    """Whether Django's connection is SQLite's in-memory database (`jixing evaluate`'s throwaway one)."""
    return connection.vendor == "sqlite" and cast("SQLiteWrapper", connection).is_in_memory_db()


def workdirs_root() -> Path:
    """Where imports keep their scratch files (uploads, spills): private, removed with each import."""
    return Path(settings.DATA_DIR) / "import-work"


@contextmanager
def import_lock() -> Iterator[None]:
    """Hold the snapshot-import lock for the block; raises SnapshotImportBusy when another holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            if not cursor.fetchone()[0]:
                raise SnapshotImportBusy()
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        return
    with _sqlite_lock_file().open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SnapshotImportBusy() from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_lock_file() -> Path:
    """Beside the database file, so that two databases on one machine (the web application's, a test
    run's, `jixing evaluate`'s in memory) never wait for each other."""
    name = str(connection.settings_dict["NAME"])
    if in_memory_database():
        root = workdirs_root()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return root / f"memory-{os.getpid()}.lock"
    return Path(f"{name}.snapshot-import.lock")


def new_workdir() -> Path:
    root = workdirs_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = root / f"work-{os.getpid()}-{os.urandom(4).hex()}"
    path.mkdir(mode=0o700)
    return path


def remove_workdir(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)


def remove_stale_workdirs() -> None:
    """Scratch folders of imports whose process is gone (killed, or the machine restarted)."""
    root = workdirs_root()
    if not root.exists():
        return
    for path in root.glob("work-*"):
        if not _alive(int(path.name.split("-")[1])):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
