"""The indexes behind the learner search by name and by phone (people.domain.queries.matching_learners).

They are built in the background once a snapshot is current (people.tasks.build_search_indexes, queued
by the import), not by the import itself: on 8 million rows they cost PostgreSQL about 7 s (name) and
7–14 s (phone) of server time, which the import's own time (issue 8) does without. Until they exist a
search by name or phone reads its scope's rows: right, only slower.

- PostgreSQL: on the snapshot's partition, built CONCURRENTLY so that reads and writes go on meanwhile
  (a partition's own index serves queries on people_learner once the snapshot prunes to it). The name
  index uses varchar_pattern_ops, which answers `LIKE '王伟%'` whatever the database's collation.
- SQLite: on people_learner as (column, snapshot). Building one holds SQLite's write lock for its
  seconds; an import that rebuilds the table's indexes drops these too (storage._without_indexes), and
  the task builds them again after it.
"""

from __future__ import annotations

from django.db import connection

from jixing.people.models import Learner, Snapshot

# (name suffix, column, PostgreSQL operator class)
SEARCH_INDEXES = [("search_name", "name", "varchar_pattern_ops"), ("search_phone", "phone_masked", "")]
INDEX_MEMORY = "1GB"


def sqlite_index_names() -> list[str]:
    return [f"learner_{suffix}" for suffix, _column, _ops in SEARCH_INDEXES]


def build_search_indexes(snapshot: Snapshot) -> list[str]:
    """Build the snapshot's search indexes where they are missing; the names of those built."""
    if connection.vendor == "postgresql":
        return _build_postgres(snapshot)
    return _build_sqlite()


def _build_sqlite() -> list[str]:
    table = connection.ops.quote_name(Learner._meta.db_table)
    snapshot = Learner._meta.get_field("snapshot").column
    built = []
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
        for (_suffix, column, _ops), name in zip(SEARCH_INDEXES, sqlite_index_names(), strict=True):
            if name not in present:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column}, {snapshot})")
                built.append(name)
    return built


def _build_postgres(snapshot: Snapshot) -> list[str]:
    # Imported here: storage imports duckdb, which a page process need not load.
    from jixing.people.domain.snapshots.storage import partition_name

    part = partition_name(snapshot)
    # CONCURRENTLY cannot run inside a transaction (tests run the task inside theirs).
    concurrently = "" if connection.in_atomic_block else "CONCURRENTLY "
    built = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [part])
        if not cursor.fetchone()[0]:
            return []  # the snapshot was removed meanwhile
        for suffix, column, ops in SEARCH_INDEXES:
            name = f"{part}_{suffix}"
            # A concurrent build that failed (a killed worker) leaves an invalid index behind: again.
            cursor.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
                [name],
            )
            found = cursor.fetchone()
            if found is not None and found[0]:
                continue
            if found is not None:
                cursor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
            try:
                cursor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {part} ({column} {ops})")
            finally:
                cursor.execute("RESET maintenance_work_mem")
            built.append(name)
    return built
