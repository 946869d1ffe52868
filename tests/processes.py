"""The product at work elsewhere: its command in another process against the test database (kill tests,
workers), an import holding the lock in another thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from django.db import connection, connections

from jixing.people.domain.snapshots.locking import import_lock


def database_url() -> str:
    """The test database, as DATABASE_URL for another process (the test must commit: transaction=True)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def snapshot_import_elsewhere() -> Iterator[None]:
    """For the block, another thread holds the snapshot importer's lock, as an import running elsewhere
    (another process, the command line) would."""
    holding, release = threading.Event(), threading.Event()

    def other_import() -> None:
        try:
            with import_lock():
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_import)
    other.start()
    try:
        assert holding.wait(timeout=30)
        yield
    finally:
        release.set()
        other.join()
