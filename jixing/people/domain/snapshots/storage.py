"""Writing a snapshot's rows into the database by its bulk path, and removing them again.

PostgreSQL: people_learner is partitioned by snapshot (migrations people/0003, 0005). DuckDB streams the
rows as CSV through a pipe into COPY FREEZE of a table of their own with no index; its two indexes are
then built at the same time, one connection each, and the table is attached as the snapshot's partition,
which adopts them — nothing another session reads changes until the importer marks the snapshot current.

SQLite: the rows, in whatever order DuckDB computes them, go as Arrow batches to a process of its own
that appends them with the ADBC driver (sqlite_ingest), each batch its own short transaction: readers and
the progress writes go on between them. When the new snapshot is at least as large as what the table
holds, the table's indexes are dropped meanwhile and built again, one sort each; a smaller one goes into
them as they are. Inside a caller's transaction, or into an in-memory database (`jixing evaluate`),
Django's own connection inserts the rows instead. Rows going into existing indexes come in 学号 order.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb
from django.db import connection, models, transaction
from django.db.models import F

from jixing.people.domain.progress import ImportProgress, Phase, ProgressCallback
from jixing.people.domain.snapshots import search
from jixing.people.domain.snapshots.locking import in_memory_database
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
ARROW_BATCH = 100_000


@dataclass(frozen=True)
class Rows:
    """A DuckDB query giving a snapshot's rows (COLUMNS but the snapshot, by column name, and `line`: a
    number of its own for each row, 1..lines), its parameters."""

    query: str
    params: dict[str, Any]
    lines: int


COPY_CHUNK = 1 << 20
PIPE_SIZE = 1 << 20
REPORT_EVERY = 250_000


def partition_name(snapshot: Snapshot) -> str:
    return f"people_learner_s{int(snapshot.pk)}"


def column_of(name: str) -> str:
    """The database column of Learner's concrete field `name`."""
    field = Learner._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise LookupError(f"Learner.{name} has no column of its own")
    return field.column


def _columns() -> list[str]:
    return [column_of(name) for name in COLUMNS]


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
    names = ", ".join(_columns()[1:])
    params = {**rows.params, "snapshot": snapshot.pk}
    progress(ImportProgress(Phase.WRITE, 0, total))
    if in_memory_database() or connection.in_atomic_block:
        # `jixing evaluate`'s throwaway database, or a caller's transaction: Django's own connection, the
        # rows in 学号 order so that the unique index on (学号, snapshot) takes them in its own order.
        select = f"SELECT $snapshot AS snapshot_id, {names} FROM ({rows.query}) ORDER BY account_id"
        _insert_rows(con.execute(select, params), total, progress)
        progress(ImportProgress(Phase.INDEX, total, total))
    else:
        # A snapshot at least as large as what the table holds: in any order, DuckDB computing the rows
        # (hash, masks, ranks) while the ingest process appends those it has, into a table whose indexes
        # are built again once the rows are in. A smaller one goes into the indexes as they are, in 学号
        # order: building them again over every snapshot's rows would cost more than it saves.
        rebuild = total >= _rows_held()
        con.execute("SET preserve_insertion_order = false")
        order = "" if rebuild else " ORDER BY account_id"
        relation = con.sql(
            f"SELECT $snapshot AS snapshot_id, {names} FROM ({rows.query}){order}", params=params
        )
        with _without_indexes(snapshot) if rebuild else nullcontext():
            database = str(connection.settings_dict["NAME"])
            ingest_arrow(
                relation, database=database, table=Learner._meta.db_table, total=total, progress=progress
            )
            progress(ImportProgress(Phase.INDEX, total, total))  # the indexes are built as the block ends
    with connection.cursor() as cursor:
        # The planner's statistics from a sample of each index (SQLite's advice for optimize): a full
        # ANALYZE would read 8 million rows once per index.
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("PRAGMA optimize")


def ingest_arrow(
    relation: duckdb.DuckDBPyRelation, *, database: str, table: str, total: int, progress: ProgressCallback
) -> None:
    """Append the rows of `relation` (named as the table's columns) to `table` of the SQLite file
    `database`: from DuckDB as Arrow batches, appended by the ADBC driver in a process of its
    own (sqlite_ingest says why), each batch its own short transaction: the progress writes and the
    pages' own writes go on between them."""
    import pyarrow.ipc

    command = [sys.executable, "-m", "jixing.people.domain.snapshots.sqlite_ingest"]
    child = subprocess.Popen(
        [*command, database, table, str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    committed = [0]

    def follow() -> None:  # the child's stdout: one line per batch it has committed
        for line in child.stdout:  # type: ignore[union-attr]
            committed[0] += int(line)

    follower = threading.Thread(target=follow, name="snapshot-ingest-progress", daemon=True)
    follower.start()
    try:
        reader = relation.to_arrow_reader(ARROW_BATCH)
        with pyarrow.ipc.new_stream(child.stdin, reader.schema) as stream:
            for batch in reader:
                stream.write_batch(batch)
                progress(ImportProgress(Phase.WRITE, committed[0], total))
        child.stdin.close()  # type: ignore[union-attr]
    except BrokenPipeError:
        pass  # the child stopped: its exit status and message say why
    except BaseException:
        child.kill()
        raise
    finally:
        status = child.wait()
        follower.join()
    if status != 0 or committed[0] != total:
        problem = child.stderr.read().decode(errors="replace").strip()  # type: ignore[union-attr]
        raise RuntimeError(f"SQLite ingest stopped after {committed[0]} of {total} rows: {problem}")
    progress(ImportProgress(Phase.WRITE, total, total))


def _insert_rows(result: duckdb.DuckDBPyConnection, total: int, progress: ProgressCallback) -> None:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in _columns())
    placeholders = ", ".join(["?"] * len(COLUMNS))
    insert = f"INSERT INTO {qn(Learner._meta.db_table)} ({columns}) VALUES ({placeholders})"
    done = 0
    while batch := result.fetchmany(SQLITE_BATCH):
        with transaction.atomic():
            # The driver's own executemany: Django's cursor wrapper would rewrite every row's parameters.
            connection.connection.executemany(insert, batch)
        done += len(batch)
        progress(ImportProgress(Phase.WRITE, done, total))


def _rows_held() -> int:
    """About how many rows people_learner holds, from its ids (two index lookups, where count(*) would
    read millions of rows): never fewer than there are."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id) - min(id) + 1, 0) FROM {Learner._meta.db_table}")
        return int(cursor.fetchone()[0])


def _model_indexes() -> list[tuple[str, bool, list[str]]]:
    """people.models.Learner.Meta's unique constraint and index as (name, unique, columns): the one
    definition both databases' bulk paths build again."""
    found = [
        (c.name, True, c.fields or [cast(F, e).name for e in c.expressions])  # F() only: see Learner.Meta
        for c in Learner._meta.constraints
        if isinstance(c, models.UniqueConstraint)
    ]
    found += [(i.name, False, list(i.fields)) for i in Learner._meta.indexes]
    return [(name, unique, [column_of(f) for f in fields]) for name, unique, fields in found]


def _sqlite_indexes() -> list[tuple[str, str]]:
    """SQLite's indexes on people_learner as (name, CREATE statement). Written out rather than through
    the schema editor, which rebuilds the whole table to add a unique constraint on SQLite."""
    qn = connection.ops.quote_name
    return [
        (
            name,
            f"CREATE {'UNIQUE ' if unique else ''}INDEX {qn(name)} ON {qn(Learner._meta.db_table)}"
            f" ({', '.join(qn(column) for column in columns)})",
        )
        for name, unique, columns in _model_indexes()
    ]


@contextmanager
def _without_indexes(snapshot: Snapshot) -> Iterator[None]:
    """SQLite: people_learner's indexes dropped while the rows are written and built again after — one
    sort each instead of 8 million inserts at scattered places, which took twice as long as the rows
    themselves. Meanwhile pages that read learners scan the table: slower, still right (the previous
    snapshot serves them). If the block fails, the rows it wrote go before the indexes come back."""
    with connection.cursor() as cursor:
        # The search indexes too: the task the import queues builds them again (search.py).
        for name in [name for name, _sql in _sqlite_indexes()] + search.sqlite_index_names():
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    except BaseException:
        Learner.objects.filter(snapshot=snapshot)._raw_delete(Learner.objects.db)
        raise
    finally:
        restore_indexes()


def restore_indexes() -> None:
    """Build again the SQLite indexes an import drops while it writes, if a killed one left them dropped."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
        for name, sql in _sqlite_indexes():
            if name not in present:
                cursor.execute(sql)


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
    # The rows take ids reserved from people_learner's own sequence, one for each line of the file: DuckDB
    # writes them (the first id plus the line), which cost COPY a sixth less than the server numbering
    # the rows as they come.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_learner', 'id'),"
            " nextval(pg_get_serial_sequence('people_learner', 'id')) + %s)",
            [rows.lines],
        )
        before_first = cursor.fetchone()[0] - rows.lines

    def export() -> None:
        # DuckDB computes the rows (hash, masks, ranks) and writes them as CSV into a pipe while the
        # importing thread feeds the pipe to COPY: DuckDB and the server work at the same time.
        try:
            # The rows may leave in any order (each carries its id): DuckDB then writes from both threads
            # without putting them back in file order, about a seventh faster.
            con.execute("SET preserve_insertion_order = false")
            con.execute(
                f"COPY (SELECT $before_first + line, $snapshot, {', '.join(_columns()[1:])}"
                f" FROM ({rows.query})) TO '{pipe}' (FORMAT csv, HEADER false)",
                {**rows.params, "snapshot": snapshot.pk, "before_first": before_first},
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
            # With the partition's bound as a CHECK from the start, COPY checks each row as it comes and
            # ATTACH PARTITION needs no scan of the whole table to prove it.
            cursor.execute(
                f"CREATE TABLE {part} (LIKE people_learner INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
                f" CHECK (snapshot_id = {int(snapshot.pk)}))"
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
    _build_indexes(part)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {part}")
        cursor.execute(
            f"ALTER TABLE people_learner ATTACH PARTITION {part} FOR VALUES IN ({int(snapshot.pk)})"
        )


def _partition_indexes() -> list[tuple[str, bool, str]]:
    """The partition's indexes as (name suffix, unique, columns): those of people_learner's partitioned
    indexes, so that ATTACH PARTITION adopts them as they are. They are Learner.Meta's, less the snapshot
    where PostgreSQL allows it (migration people/0005): a partition holds one snapshot, and its
    non-unique index builds faster on one column. A unique index must keep the partition key."""
    snapshot = Learner._meta.get_field("snapshot").column
    return [
        (name, unique, ", ".join(c for c in columns if unique or c != snapshot))
        for name, unique, columns in _model_indexes()
    ]


# The server's memory, not the importer's: each index of 8 million keys sorted in memory, in one pass
# (with 512MB both went to disk, a second slower together).
INDEX_MEMORY = "1GB"


def _index_sql(part: str, suffix: str, unique: bool, columns: str) -> str:
    return f"CREATE {'UNIQUE ' if unique else ''}INDEX {part}_{suffix} ON {part} ({columns})"


def _build_indexes(part: str) -> None:
    """Build the partition's indexes at the same time, each through a connection of its own: CREATE
    INDEX lets others read the table meanwhile, and each build's heap scan and sort keep a core busy
    while another writes its index. Inside a caller's transaction (tests) the partition is not yet
    visible to other connections: one after the other on the importer's own connection."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
            for index in _partition_indexes():
                cursor.execute(_index_sql(part, *index))
        return
    failures: list[BaseException] = []

    def build(suffix: str, unique: bool, columns: str) -> None:
        try:
            raw = connection.get_new_connection(connection.get_connection_params())
            try:
                raw.autocommit = True
                raw.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
                # The builds run side by side, one a core: parallel workers of each would only add sorts
                # to merge.
                raw.execute("SET max_parallel_maintenance_workers = 0")
                raw.execute(_index_sql(part, suffix, unique, columns))
            finally:
                raw.close()
        except BaseException as exc:  # re-raised in the importing thread
            failures.append(exc)

    builders = [
        threading.Thread(target=build, args=index, name=f"snapshot-index-{index[0]}", daemon=True)
        for index in _partition_indexes()
    ]
    for builder in builders:
        builder.start()
    for builder in builders:
        builder.join()
    if failures:
        raise failures[0]


def _copy(cursor, part: str, pipe: Path, total: int, progress: ProgressCallback) -> None:
    columns = ", ".join([Learner._meta.pk.column, *_columns()])
    done = reported = 0
    with cursor.copy(f"COPY {part} ({columns}) FROM STDIN WITH (FORMAT csv, FREEZE)") as copy:
        with open(pipe, "rb") as stream:
            # A pipe holds 64 KiB: DuckDB's threads then wait on every chunk COPY has not taken yet. With
            # the most Linux allows an unprivileged pipe (1 MiB), both sides keep working.
            with suppress(OSError):
                fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
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
