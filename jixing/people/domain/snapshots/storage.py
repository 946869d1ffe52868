"""Writing a snapshot's rows into the database by its bulk path, and removing them again.

PostgreSQL: people_learner is partitioned by snapshot (migration people/0003). The rows go by COPY into
a table of their own with no index, the indexes are built once on the whole, and the table is attached
as the snapshot's partition — nothing another session reads changes until the importer marks the
snapshot current. SQLite: prepared INSERTs in large batches straight into people_learner, each batch its
own short transaction (readers and the progress writes go on between them), rows in 学号 order so the
unique index grows at its end.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
from django.db import connection, transaction

from jixing.people.domain.progress import ImportProgress, Phase, ProgressCallback
from jixing.people.models import Learner, Snapshot, SnapshotUnit

# Every column the importer writes, in the order of the `final` DuckDB table (loading.FINAL_COLUMNS).
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
    source: str,
    total: int,
    workdir: Path,
    progress: ProgressCallback,
) -> None:
    """Write DuckDB table `source` (COLUMNS but the snapshot, by their column names) as `snapshot`'s rows."""
    if connection.vendor == "postgresql":
        _write_postgres(
            con, snapshot=snapshot, source=source, total=total, workdir=workdir, progress=progress
        )
    else:
        _write_sqlite(con, snapshot=snapshot, source=source, total=total, progress=progress)


def _write_sqlite(
    con: duckdb.DuckDBPyConnection, *, snapshot: Snapshot, source: str, total: int, progress: ProgressCallback
) -> None:
    qn = connection.ops.quote_name
    table = qn(Learner._meta.db_table)
    columns = ", ".join(qn(c) for c in _columns())
    placeholders = ", ".join(["?"] * len(COLUMNS))
    names = ", ".join(_columns()[1:])
    # In 学号 order: the unique index on (snapshot, 学号) then grows at its end instead of everywhere.
    result = con.execute(
        f"SELECT $snapshot, {names} FROM {source} ORDER BY account_id", {"snapshot": snapshot.pk}
    )
    done = 0
    progress(ImportProgress(Phase.WRITE, 0, total))
    insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    while rows := result.fetchmany(SQLITE_BATCH):
        with transaction.atomic():
            # The driver's own executemany: Django's cursor wrapper would rewrite every row's parameters.
            connection.connection.executemany(insert, rows)
        done += len(rows)
        progress(ImportProgress(Phase.WRITE, done, total))
    progress(ImportProgress(Phase.INDEX, total, total))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize")


def _write_postgres(
    con: duckdb.DuckDBPyConnection,
    *,
    snapshot: Snapshot,
    source: str,
    total: int,
    workdir: Path,
    progress: ProgressCallback,
) -> None:
    part = partition_name(snapshot)
    columns = ", ".join(["id", *_columns()])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {part}")
        cursor.execute(f"CREATE TABLE {part} (LIKE people_learner INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        # Reserve `total` ids from the table's own sequence; rows keep them when the partition is attached.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_learner', 'id'),"
            " nextval(pg_get_serial_sequence('people_learner', 'id')) + %s)",
            [total],
        )
        first_id = cursor.fetchone()[0] - total
    names = ", ".join(_columns()[1:])
    pipe = workdir / "rows.csv"
    os.mkfifo(pipe, 0o600)
    failure: list[BaseException] = []

    def export() -> None:
        # DuckDB writes the CSV into a pipe while this thread's partner feeds it to COPY: both run at once.
        try:
            con.execute(
                f"COPY (SELECT $first + rowid, $snapshot, {names} FROM {source}) TO '{pipe}'"
                " (FORMAT csv, HEADER false)",
                {"first": first_id, "snapshot": snapshot.pk},
            )
        except BaseException as exc:  # re-raised in the importing thread
            failure.append(exc)
            with open(pipe, "wb"):
                pass  # unblock the reader if DuckDB failed before opening the pipe

    writer = threading.Thread(target=export, name="snapshot-export", daemon=True)
    writer.start()
    progress(ImportProgress(Phase.WRITE, 0, total))
    done = reported = 0
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {part} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            with open(pipe, "rb") as stream:
                while chunk := stream.read(COPY_CHUNK):
                    copy.write(chunk)
                    done += chunk.count(b"\n")
                    if done - reported >= REPORT_EVERY:
                        reported = done
                        progress(ImportProgress(Phase.WRITE, min(done, total), total))
    writer.join()
    if failure:
        raise failure[0]
    progress(ImportProgress(Phase.WRITE, total, total))
    progress(ImportProgress(Phase.INDEX, total, total))
    with connection.cursor() as cursor:
        # The server's memory, not the importer's: sorting 8 million keys in memory builds each index
        # in one pass, and PostgreSQL builds it with parallel workers.
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(f"ALTER TABLE {part} ADD PRIMARY KEY (id, snapshot_id)")
        cursor.execute(f"ALTER TABLE {part} ADD UNIQUE (snapshot_id, account_id)")
        cursor.execute(f"CREATE INDEX ON {part} (snapshot_id, org_id)")
        cursor.execute(f"ALTER TABLE {part} ADD CHECK (snapshot_id = {int(snapshot.pk)})")
        cursor.execute(f"ANALYZE {part}")
        cursor.execute(
            f"ALTER TABLE people_learner ATTACH PARTITION {part} FOR VALUES IN ({int(snapshot.pk)})"
        )
        cursor.execute("RESET maintenance_work_mem")


def discard(snapshot: Snapshot) -> None:
    """Remove a snapshot and every row of it (its partition on PostgreSQL)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {partition_name(snapshot)}")
        SnapshotUnit.objects.filter(snapshot=snapshot).delete()
        Learner.objects.filter(snapshot=snapshot)._raw_delete(Learner.objects.db)
        Snapshot.objects.filter(pk=snapshot.pk).delete()
