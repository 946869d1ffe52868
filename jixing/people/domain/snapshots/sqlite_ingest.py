"""Appending a snapshot's rows to a SQLite table from an Arrow stream, in a process of its own.

    python -m jixing.people.domain.snapshots.sqlite_ingest DATABASE TABLE PARENT_PID < arrow-ipc-stream

The ADBC driver binds Arrow batches column by column in C, where Python's sqlite3 made a Python object
of every cell (three times slower at 8 million rows). It carries its own build of SQLite, and two
copies of SQLite must never open the same database file in one process: POSIX locks are per process,
so one copy closing the file drops the other's locks (sqlite.org/howtocorrupt.html, 2.2.1). Hence this
process, which imports nothing of Django and opens the file only through the driver.

Each batch is appended in a transaction of its own, and its row count is written on stdout once
committed. Any error: a line on stderr and exit status 1. The process dies with the importer (Linux's
parent-death signal): a killed import leaves no writer behind, only what it committed, which the next
import removes with the incomplete snapshot.
"""

from __future__ import annotations

import sys

# Milliseconds to wait for another writer's short transaction (a page's save, the progress bar).
BUSY_MS = 20_000


def ingest(database: str, table: str) -> None:
    import adbc_driver_sqlite.dbapi
    import pyarrow.ipc

    reader = pyarrow.ipc.open_stream(sys.stdin.buffer)
    with adbc_driver_sqlite.dbapi.connect(database, autocommit=True) as adbc, adbc.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = NORMAL")  # as settings.py: WAL keeps every commit safe
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        for batch in reader:
            cursor.adbc_ingest(table, batch, mode="append")
            print(batch.num_rows, flush=True)


def _die_with(parent: int) -> None:
    import ctypes
    import os
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the importer died before the signal was asked for
        sys.exit(1)


def main() -> None:
    database, table, parent = sys.argv[1:4]
    _die_with(int(parent))
    try:
        ingest(database, table)
    except Exception as exc:  # the importer shows it; the rows written so far go with the snapshot
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
