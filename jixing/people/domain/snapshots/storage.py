"""Writing a snapshot's rows into the database by its bulk path, and removing them again.

PostgreSQL: people_learner is partitioned by snapshot (migration people/0003). DuckDB streams the rows
as CSV through a pipe into COPY FREEZE of a table of their own with no index; the indexes are built once
on the whole, and the table is attached as the snapshot's partition — nothing another session reads
changes until the importer marks the snapshot current. SQLite: prepared INSERTs in large batches straight into people_learner, each batch its
own short transaction (readers and the progress writes go on between them), rows in 学号 order so the
unique index grows at its end.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.db import connection, transaction

from jixing.people.domain.progress import ImportProgress, Phase, ProgressCallback
from jixing.people.models import Learner, Snapshot, SnapshotUnit

# Every column the importer writes; Rows.query gives them all but the snapshot, named by their columns.
COLUMNS = [
    "snapshot",
    "account_id",
    "name",
    "phone_masked",
    "id_masked",
    "person_key",
    "org",
    "unit",
    "total_points",
    "annual_points",
    "national_total_rank",
    "national_annual_rank",
    "perfect_clearances",
    "is_real_name",
    "is_shanxi_phone",
    "is_platform_staff",
    "rank_by_total",
    "rank_by_annual",
]
SQLITE_BATCH = 50_000


@dataclass(frozen=True)
class Rows:
    """A DuckDB query giving a snapshot's rows (COLUMNS but the snapshot, by column name), its parameters."""

    query: str
    params: dict[str, Any]


COPY_CHUNK = 1 << 20
REPORT_EVERY = 250_000


def partition_name(snapshot: Snapshot) -> str:
    return f"people_learner_s{int(snapshot.pk)}"


def _columns() -> list[str]:
    return [Learner._meta.get_field(name).column for name in COLUMNS]


def write_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    snapshot: Snapshot,
    rows: Rows,
    total: int,
    workdir: Path,
    progress: ProgressCallback,
) -> None:
    """Write `rows` (a DuckDB query) as `snapshot`'s rows."""
    if connection.vendor == "postgresql":
        _write_postgres(con, snapshot=snapshot, rows=rows, total=total, workdir=workdir, progress=progress)
    else:
        _write_sqlite(con, snapshot=snapshot, rows=rows, total=total, progress=progress)


def _write_sqlite(
    con: duckdb.DuckDBPyConnection, *, snapshot: Snapshot, rows: Rows, total: int, progress: ProgressCallback
) -> None:
    qn = connection.ops.quote_name
    table = qn(Learner._meta.db_table)
    columns = ", ".join(qn(c) for c in _columns())
    placeholders = ", ".join(["?"] * len(COLUMNS))
    names = ", ".join(_columns()[1:])
    # Computed on all of DuckDB's threads into a table first (the fetch below runs on this one thread),
    # in 学号 order: the unique index on (snapshot, 学号) then grows at its end instead of everywhere.
    con.execute(f"CREATE TEMP TABLE ordered AS SELECT * FROM ({rows.query}) ORDER BY account_id", rows.params)
    result = con.execute(f"SELECT $snapshot, {names} FROM ordered", {"snapshot": snapshot.pk})
    done = 0
    progress(ImportProgress(Phase.WRITE, 0, total))
    insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    while batch := result.fetchmany(SQLITE_BATCH):
        with transaction.atomic():
            # The driver's own executemany: Django's cursor wrapper would rewrite every row's parameters.
            connection.connection.executemany(insert, batch)
        done += len(batch)
        progress(ImportProgress(Phase.WRITE, done, total))
    progress(ImportProgress(Phase.INDEX, total, total))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize")


def _write_postgres(
    con: duckdb.DuckDBPyConnection,
    *,
    snapshot: Snapshot,
    rows: Rows,
    total: int,
    workdir: Path,
    progress: ProgressCallback,
) -> None:
    part = partition_name(snapshot)
    pipe = workdir / "rows.csv"
    os.mkfifo(pipe, 0o600)
    failure: list[BaseException] = []

    def export() -> None:
        # DuckDB computes the rows (hash, masks, ranks) and writes them as CSV into a pipe while the
        # importing thread feeds the pipe to COPY: DuckDB and the server work at the same time.
        try:
            con.execute(
                f"COPY (SELECT $snapshot, {', '.join(_columns()[1:])} FROM ({rows.query})) TO '{pipe}'"
                " (FORMAT csv, HEADER false)",
                {**rows.params, "snapshot": snapshot.pk},
            )
        except BaseException as exc:  # re-raised in the importing thread
            failure.append(exc)

    writer = threading.Thread(target=export, name="snapshot-export", daemon=True)
    writer.start()
    try:
        # One transaction from CREATE to COPY: COPY ... FREEZE writes the rows already frozen, so the
        # table is never rewritten to set hint bits or by an anti-wraparound vacuum.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {part}")
            cursor.execute(
                f"CREATE TABLE {part} (LIKE people_learner INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            # The rows take `total` ids reserved from people_learner's own sequence, numbered by the
            # server as they arrive; the partition keeps them when attached.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('people_learner', 'id'),"
                " nextval(pg_get_serial_sequence('people_learner', 'id')) + %s)",
                [total],
            )
            first_id = cursor.fetchone()[0] - total
            cursor.execute(
                f"ALTER TABLE {part} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
                f" (START WITH {int(first_id)} CACHE 10000)"
            )
            _copy(cursor, part, pipe, total, progress)
    except BaseException:
        # COPY failed (or was stopped): stop DuckDB too, which may wait to open the pipe or write into it.
        con.interrupt()
        _unblock(pipe)
        writer.join()
        raise
    writer.join()
    if failure:
        raise failure[0]
    progress(ImportProgress(Phase.WRITE, total, total))
    progress(ImportProgress(Phase.INDEX, total, total))
    with connection.cursor() as cursor:
        # The server's memory, not the importer's: sorting 8 million keys in memory builds each index
        # in one pass, and PostgreSQL builds it with parallel workers.
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(f"ALTER TABLE {part} ALTER COLUMN id DROP IDENTITY")
        cursor.execute(f"ALTER TABLE {part} ADD PRIMARY KEY (id, snapshot_id)")
        cursor.execute(f"ALTER TABLE {part} ADD UNIQUE (snapshot_id, account_id)")
        cursor.execute(f"CREATE INDEX ON {part} (snapshot_id, org_id)")
        cursor.execute(f"ALTER TABLE {part} ADD CHECK (snapshot_id = {int(snapshot.pk)})")
        cursor.execute(f"ANALYZE {part}")
        cursor.execute(
            f"ALTER TABLE people_learner ATTACH PARTITION {part} FOR VALUES IN ({int(snapshot.pk)})"
        )
        cursor.execute("RESET maintenance_work_mem")


def _copy(cursor, part: str, pipe: Path, total: int, progress: ProgressCallback) -> None:
    columns = ", ".join(_columns())
    done = reported = 0
    with cursor.copy(f"COPY {part} ({columns}) FROM STDIN WITH (FORMAT csv, FREEZE)") as copy:
        with open(pipe, "rb") as stream:
            progress(ImportProgress(Phase.WRITE, 0, total))
            while chunk := stream.read(COPY_CHUNK):
                copy.write(chunk)
                done += chunk.count(b"\n")
                if done - reported >= REPORT_EVERY:
                    reported = done
                    progress(ImportProgress(Phase.WRITE, min(done, total), total))


def _unblock(pipe: Path) -> None:
    """Let a DuckDB export that waits to open the pipe, or writes into it, see its reader gone."""
    try:
        fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        while os.read(fd, COPY_CHUNK):
            pass
    except BlockingIOError:
        pass
    finally:
        os.close(fd)


def discard(snapshot: Snapshot) -> None:
    """Remove a snapshot and every row of it (its partition on PostgreSQL)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {partition_name(snapshot)}")
        SnapshotUnit.objects.filter(snapshot=snapshot).delete()
        Learner.objects.filter(snapshot=snapshot)._raw_delete(Learner.objects.db)
        Snapshot.objects.filter(pk=snapshot.pk).delete()
