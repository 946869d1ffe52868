"""The database's bulk path of a snapshot import, as a worker runs it (outside any transaction): the same
rows as the path taken inside a caller's transaction, every index in place afterwards, and none missing
after a failure.

SQLite: the rows travel as Arrow batches to a process of their own (sqlite_ingest) while the table's
indexes are dropped. PostgreSQL: the partition's indexes are built at the same time by connections
of their own and adopted by ATTACH PARTITION.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import duckdb
import pytest
from django.db import connection, transaction

from jixing.people.domain import imports
from jixing.people.domain.progress import ImportProgress, Phase
from jixing.people.domain.queries import matching_learners
from jixing.people.domain.snapshots import loading, search, storage
from jixing.people.models import Learner, Snapshot
from tests.factories import make_small_province
from tests.files import csv_file, id_number

pytestmark = pytest.mark.django_db(transaction=True)
BASELINE = datetime(2023, 1, 3, 2, tzinfo=UTC)
HEADER = ["学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名", "完美通关次数",
          "是否实名认证", "是否山西号码", "是否省平台工作人员"]  # fmt: skip
# Cells of every kind the table stores: empty national rank (NULL), empty ID number or phone, a name with
# `·`, a compound surname, booleans both ways, an org outside any unit.
ROWS = [
    ["K0000001", "巴依卡·凯力迪别克", "10012345678", id_number("14010519851203001"), "TY-QX-S1", "52000", "9000",
     "1200", "3", "是", "是", "否"],
    ["K0000002", "欧阳晓", "", id_number("14070219560708123"), "TY-QX-S1", "52000", "8000", "", "0", "否", "否",
     "是"],
    ["K0000003", "司马云", "10087654321", "", "TY-QX-S1-D1", "7000", "7000", "88", "", "1", "0", "0"],
    ["K0000004", "李四", "10011112222", id_number("41010520061231555"), "TY-QX", "100", "0", "", "", "", "", ""],
]  # fmt: skip
FIELDS = [f.name for f in Learner._meta.concrete_fields if f.name not in ("id", "snapshot")]


@pytest.fixture
def tree():
    return make_small_province()


def _import(rows=ROWS, **options):
    return imports.import_snapshot(csv_file([HEADER, *rows]), name="基准积分", taken_at=BASELINE, **options)


def _stored(snapshot: Snapshot) -> list[tuple]:
    return list(Learner.objects.filter(snapshot=snapshot).order_by("account_id").values_list(*FIELDS))


def _learner_indexes() -> set[str]:
    """The indexes every snapshot's rows are under: SQLite's on the table; PostgreSQL's partitioned
    indexes that every attached partition has a part of (none missing, none built anew by ATTACH)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            found = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
            return {name for name, info in found.items() if info["index"] or info["unique"]}
        cursor.execute(
            """SELECT parent.relname, part.relname
               FROM pg_index AS pi JOIN pg_class AS parent ON parent.oid = pi.indexrelid
               LEFT JOIN pg_inherits AS inh ON inh.inhparent = parent.oid
               LEFT JOIN pg_index AS ci ON ci.indexrelid = inh.inhrelid
               LEFT JOIN pg_class AS part ON part.oid = ci.indrelid
               WHERE pi.indrelid = 'people_learner'::regclass"""
        )
        parts: dict[str, set[str]] = {}
        for index, part in cursor.fetchall():
            parts.setdefault(index, set()).add(part)
    complete = {storage.partition_name(s) for s in Snapshot.objects.filter(is_complete=True)}
    return {index for index, tables in parts.items() if complete <= tables}


EXPECTED_INDEXES = {"one_account_per_snapshot", "learner_org_snapshot"}


def test_the_bulk_path_stores_what_the_in_transaction_path_stores(tree):
    with transaction.atomic():  # a caller's transaction: Django's own connection writes the rows
        inside = _import().snapshot
    outside = _import().snapshot  # as a worker runs it
    assert outside.row_count == inside.row_count == 4
    assert _stored(outside) == _stored(inside)
    by_account = {row[0]: row for row in _stored(outside)}
    first = dict(zip(FIELDS, by_account["K0000001"], strict=True))
    assert (first["is_real_name"], first["is_platform_staff"], first["national_annual_rank"]) == (
        True,
        False,
        None,
    )
    assert first["phone_masked"] == "100****5678" and first["id_masked"].startswith("1401")
    assert EXPECTED_INDEXES <= _learner_indexes()


@pytest.mark.parametrize("phase", [Phase.WRITE, Phase.INDEX])
def test_a_failure_in_the_bulk_path_leaves_no_rows_and_every_index(tree, phase):
    old = _import().snapshot

    def fail(step: ImportProgress) -> None:
        if step.phase == phase and step.done:
            raise RuntimeError("disk full")

    rows = [
        [f"N{n:07d}", f"学员{n}", "", id_number(f"14010519900101{n:03d}"), "TY-QX-S1", "10", "1", *[""] * 5]
        for n in range(300)
    ]
    with pytest.raises(RuntimeError, match="disk full"):
        _import(rows, progress=fail)
    assert list(Snapshot.objects.all()) == [old]
    assert Learner.objects.count() == 4
    assert EXPECTED_INDEXES <= _learner_indexes()


def test_the_next_import_builds_again_the_indexes_a_killed_import_dropped(tree):
    if connection.vendor == "sqlite":  # SQLite's import drops them while writing (PostgreSQL's none)
        with connection.cursor() as cursor:
            for name, _sql in storage._sqlite_indexes():
                cursor.execute(f'DROP INDEX "{name}"')
        assert not EXPECTED_INDEXES & _learner_indexes()
    loading.remove_abandoned()
    assert EXPECTED_INDEXES <= _learner_indexes()


def test_a_failing_ingest_process_is_an_error_naming_the_rows_it_wrote(tmp_path):
    database = tmp_path / "ingest.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER NOT NULL, b TEXT NOT NULL)"
        )
    con = duckdb.connect()
    steps: list[ImportProgress] = []
    good = con.sql("SELECT range AS a, 'x' || range AS b FROM range(5)")
    storage.ingest_arrow(good, database=str(database), table="t", total=5, progress=steps.append)
    assert steps[-1] == ImportProgress(Phase.WRITE, 5, 5)
    bad = con.sql("SELECT 1 AS a, 'y' AS no_such_column")  # the driver refuses the batch
    with pytest.raises(RuntimeError, match=r"stopped after 0 of 1 rows: .*no_such_column"):
        storage.ingest_arrow(bad, database=str(database), table="t", total=1, progress=steps.append)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT a, b FROM t ORDER BY id").fetchall() == [(n, f"x{n}") for n in range(5)]


def test_sqlite_rebuilds_its_indexes_only_for_a_snapshot_as_large_as_the_table(tree):
    during: list[set[str]] = []

    def watch(step: ImportProgress) -> None:
        if step.phase == Phase.WRITE and step.done:
            during.append(_learner_indexes())

    _import(progress=watch)  # into an empty table: every row is new
    _import(ROWS[:2], progress=watch)  # 2 rows beside 4: into the indexes as they are
    first, second = during[0], during[-1]
    if connection.vendor == "sqlite":
        assert not EXPECTED_INDEXES & first
    else:  # PostgreSQL loads a partition of its own: the table's indexes never go
        assert EXPECTED_INDEXES <= first
    assert EXPECTED_INDEXES <= second
    assert EXPECTED_INDEXES <= _learner_indexes()


def test_every_row_of_every_snapshot_has_an_id_of_its_own(tree):
    # PostgreSQL: the rows' ids are reserved from the table's sequence and written by DuckDB (the first
    # plus the row's line), with no index to refuse a repeat: two imports and a row the ORM adds after
    # them must still not share one.
    first, second = _import().snapshot, _import().snapshot
    ids = list(Learner.objects.filter(snapshot__in=[first, second]).values_list("id", flat=True))
    model = Learner.objects.filter(snapshot=second).first()
    model.pk, model.account_id = None, "K0000099"
    model.save()
    assert len(ids) == len(set(ids)) == 8
    assert model.pk not in ids and model.pk > max(ids)
    assert Learner.objects.get(snapshot=second, account_id="K0000099").pk == model.pk


def _search_indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            present = connection.introspection.get_constraints(cursor, Learner._meta.db_table)
            return set(present) & set(search.sqlite_index_names())
        cursor.execute(
            """SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = %s::regclass AND i.indisvalid AND c.relname LIKE '%%search%%'""",
            [storage.partition_name(Snapshot.objects.get(is_current=True))],
        )
        return {name for (name,) in cursor.fetchall()}


def _plan(rows) -> str:
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a table of 4 rows: ask whether an index can answer
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = cursor.fetchall()
            cursor.execute("RESET enable_seqscan")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = cursor.fetchall()
        return "\n".join(str(row) for row in plan)


def test_the_search_indexes_are_built_after_the_import_and_answer_the_province_wide_search(tree):
    snapshot = _import().snapshot  # the task the import queues runs at once in the tests
    part = storage.partition_name(snapshot)
    assert _search_indexes() == (
        {f"{part}_{suffix}" for suffix, _column, _ops in search.SEARCH_INDEXES}
        if connection.vendor == "postgresql"
        else set(search.sqlite_index_names())
    )
    rows = Learner.objects.filter(snapshot=snapshot)
    by_name = _plan(matching_learners(rows, "欧阳", from_start=True))
    by_phone = _plan(matching_learners(rows, "10012345678").filter(phone_masked="100****5678"))
    assert "search_name" in by_name and "search_phone" in by_phone
    assert sorted(matching_learners(rows, "欧阳", from_start=True).values_list("name", flat=True)) == [
        "欧阳晓"
    ]
    assert search.build_search_indexes(snapshot) == []  # built once


def test_sqlite_drops_the_search_indexes_while_it_rebuilds_and_the_task_builds_them_again(tree):
    during: list[set[str]] = []

    def watch(step: ImportProgress) -> None:
        if step.phase == Phase.WRITE and step.done:
            during.append(_search_indexes())

    _import()
    _import([[f"N{n:07d}", *ROWS[0][1:]] for n in range(9)], progress=watch)  # larger than the table: rebuilt
    if connection.vendor == "sqlite":
        assert not during[-1]
    assert len(_search_indexes()) == len(search.SEARCH_INDEXES)
