"""Importing a 积分快照: millions of rows checked column-wise, bulk-loaded, made current only when complete.

The way of a file: `tables.columnar` types every cell in DuckDB (or hands the file to the row reader when
a cell needs it) → the checks across rows below, as SQL over the whole file → the derived figures (each
learner's unit, rank in unit by the two orders the plan names, learners per unit) by window functions →
`storage.write_rows`, the database's bulk path → one short transaction that makes the snapshot current.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.campaigns.domain.staleness import mark_tree_stale
from jixing.orgs.domain.trees import tree_id_of
from jixing.orgs.models import Org
from jixing.people.domain.identity import person_key_pads, person_key_sql
from jixing.people.domain.progress import ImportProgress, Phase, ProgressCallback, ignore
from jixing.people.domain.snapshots import storage
from jixing.people.domain.snapshots.locking import (
    import_lock,
    in_memory_database,
    new_workdir,
    remove_stale_workdirs,
    remove_workdir,
)
from jixing.people.models import Snapshot, SnapshotUnit
from jixing.people.tasks import queue_search_indexes
from jixing.tables import LEARNERS_TEMPLATE, ImportRefused, Problem, ProblemList
from jixing.tables.checks import KNOWN_AREA_CODES, UNKNOWN_AREA_WARNING
from jixing.tables.columnar import connect, drop_typed, read_columnar
from jixing.tables.reading import Source

NO_ROWS = "文件中没有数据行"
UNKNOWN_ORG = "组织编码不存在"
NO_UNIT = "该组织不属于任何单位，学员不参加单位内排名"
NO_CONTACT = "身份证号为空时手机号不能为空"


@dataclass(frozen=True)
class SnapshotImportResult:
    snapshot: Snapshot
    rows: int
    warnings: list[Problem] = field(default_factory=list)
    warnings_omitted: int = 0
    units: int = 0

    @property
    def summary(self) -> str:
        return f"积分快照“{self.snapshot.name}”导入完成：{self.rows} 名学员，已设为当前快照"


def source_name(file: Source) -> str:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    return Path(getattr(file, "name", "") or "").name


def import_snapshot(
    file: Source,
    *,
    name: str,
    taken_at: datetime,
    actor: Any = None,
    filename: str = "",
    progress: ProgressCallback = ignore,
    campaign: Any = None,
) -> SnapshotImportResult:
    """Import a 积分快照 file as a new Snapshot of the org tree of `campaign` (default: the running
    campaign's) and make it that tree's current one; other years' snapshots are not touched.

    Validation (the file is refused whole on any error, nothing stored): cell types; 学号 unique in the
    file; 组织编码 known; 身份证号 as GB 11643 defines it (an area code no table knows is a warning);
    手机号 11 digits starting with 1, and not empty when 身份证号 is.

    Personal numbers: each row keeps the masked 手机号 and 身份证号 and the keyed hash that recognises the
    person (person_key); the full numbers live only in the import's in-memory DuckDB and its private
    scratch folder, both gone when it ends.

    Side effects: one import at a time (SnapshotImportBusy otherwise); a snapshot left incomplete by a
    killed import is removed first. The rows are written by the database's bulk path under a Snapshot
    marked incomplete, which no page or rule reads; then, in one transaction, it becomes current (the
    previous one ceasing to be), every active campaign's results are marked stale and an audit event is
    written. A failure at any step removes what was written.
    """
    if timezone.is_naive(taken_at):
        raise ValueError("taken_at must be timezone-aware")
    tree = tree_id_of(campaign)
    with import_lock():
        remove_abandoned()
        workdir = new_workdir()
        con = connect(workdir)
        snapshot = None
        try:
            progress(ImportProgress(Phase.VALIDATE))
            typed = read_columnar(
                file,
                LEARNERS_TEMPLATE,
                con=con,
                workdir=workdir,
                report=lambda done, total: progress(ImportProgress(Phase.VALIDATE, done, total)),
            )
            errors, warnings = typed.errors, typed.warnings
            if typed.header_ok:  # the rows were read: check them across the file
                _load_orgs(con, tree)
                _check_rows(con, errors, warnings)
                if typed.rows == 0 and not errors:
                    errors.add(None, "", "", NO_ROWS)
            if errors:
                raise ImportRefused(errors, warnings)
            total = typed.rows
            progress(ImportProgress(Phase.RANK, 0, total))
            rows, units = _derive(con)
            snapshot = Snapshot.objects.create(
                name=name,
                taken_at=taken_at,
                imported_by=actor if getattr(actor, "pk", None) else None,
                source_name=(filename or source_name(file))[:255],
                is_complete=False,
                tree_id=tree,
            )
            storage.write_rows(
                con, snapshot=snapshot, rows=rows, total=total, workdir=workdir, progress=progress
            )
            drop_typed(con, typed)  # the full numbers end here
            result = _make_current(snapshot, total, units, warnings, actor=actor)
            progress(ImportProgress(Phase.DONE, total, total))
            return result
        except BaseException:
            if snapshot is not None:
                storage.discard(snapshot)
            raise
        finally:
            con.close()
            remove_workdir(workdir)


def remove_abandoned() -> int:
    """Remove snapshots a killed import left incomplete, and its scratch files; build again the indexes
    it dropped while writing (SQLite). Called holding the lock."""
    remove_stale_workdirs()
    abandoned = list(Snapshot.objects.filter(is_complete=False))
    for snapshot in abandoned:
        storage.discard(snapshot)
    storage.restore_indexes()
    return len(abandoned)


def _load_orgs(con: duckdb.DuckDBPyConnection, tree: int | None) -> None:
    """The org tree (code → id, unit) and the known area codes as DuckDB tables, passed as whole lists:
    row-by-row inserts into DuckDB take a millisecond each."""
    orgs = Org.objects.filter(tree_id=tree).values_list("code", "id", "unit_id")
    codes, ids, units = zip(*orgs, strict=True) or ((), (), ())
    con.execute(
        """CREATE OR REPLACE TABLE orgs AS
           SELECT unnest($codes::VARCHAR[]) AS code, unnest($ids::BIGINT[]) AS id,
                  unnest($units::BIGINT[]) AS unit_id""",
        {"codes": list(codes), "ids": list(ids), "units": list(units)},
    )
    con.execute(
        "CREATE OR REPLACE TABLE known_areas AS SELECT unnest($known::VARCHAR[]) AS code",
        {"known": sorted(KNOWN_AREA_CODES)},
    )


def _one(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    """The value of a query that gives one row of one column (an aggregate without GROUP BY)."""
    row = con.execute(query).fetchone()
    if row is None:
        raise RuntimeError(f"no row from: {query}")
    return row[0]


def _listed(
    con: duckdb.DuckDBPyConnection, problems: ProblemList, query: str, column: str, params: dict | None = None
) -> None:
    """Add the rows of `query` (line, value, reason) as problems: the first ones listed, the rest counted.

    The query runs once, into a scratch table: usually empty, it is then counted and listed for free."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE found AS {query}", params or {})
    total = _one(con, "SELECT count(*) FROM found")
    if total:
        room = max(problems.limit - len(problems.listed), 0)
        for line, value, reason in con.execute(f"SELECT * FROM found ORDER BY 1 LIMIT {room}").fetchall():
            problems.add(line, column, value, reason)
        problems.count_unlisted(total - min(total, room))
    con.execute("DROP TABLE found")


def _check_rows(con: duckdb.DuckDBPyConnection, errors: ProblemList, warnings: ProblemList) -> None:
    """The checks across rows, each one query over the whole file; within a row, in the reader's order."""
    _listed(
        con,
        errors,
        # Grouping the accounts' 64-bit hashes finds the few that may repeat (grouping 8 million texts took
        # twice as long); only their rows are grouped again by the accounts themselves.
        """WITH twice AS (
               SELECT hash(account_id) AS h FROM typed WHERE account_id IS NOT NULL
               GROUP BY h HAVING count(*) > 1),
           maybe AS (SELECT line, account_id FROM typed WHERE hash(account_id) IN (SELECT h FROM twice)),
           repeated AS (
               SELECT account_id, min(line) AS first FROM maybe GROUP BY account_id HAVING count(*) > 1)
           SELECT m.line, m.account_id, '学号重复（与第 ' || r.first || ' 行重复）'
           FROM maybe AS m JOIN repeated AS r USING (account_id) WHERE m.line > r.first""",
        "学号",
    )
    _listed(
        con,
        errors,
        f"SELECT line, org_code, '{UNKNOWN_ORG}' FROM typed WHERE org_code NOT IN (SELECT code FROM orgs)",
        "组织编码",
    )
    _listed(
        con,
        errors,
        f"SELECT line, '', '{NO_CONTACT}' FROM typed WHERE phone = '' AND id_number = ''",
        "手机号",
    )
    _listed(
        con,
        warnings,
        f"""SELECT line, org_code, '{NO_UNIT}' FROM typed
            WHERE org_code IN (SELECT code FROM orgs WHERE unit_id IS NULL)""",
        "组织编码",
    )
    _listed(
        con,
        warnings,
        "SELECT line, annual_points, '年度积分大于总积分（' || total_points || '）' FROM typed"
        " WHERE annual_points > total_points",
        "年度积分",
    )
    # The value shown is masked: a warning list is read by more people than the file's owner.
    _listed(
        con,
        warnings,
        f"""SELECT line, substr(id_number, 1, 6) || '************', '{UNKNOWN_AREA_WARNING}' FROM typed
            WHERE id_number <> '' AND substr(id_number, 1, 6) NOT IN (SELECT code FROM known_areas)""",
        "身份证号",
    )


def _mask(value: str, head: int, tail: int) -> str:
    """people.masking in SQL: the first `head` and last `tail` characters, stars between."""
    n = f"length({value})"
    return (
        f"CASE WHEN {n} <= {head + tail} THEN repeat('*', {n}) ELSE substr({value}, 1, {head})"
        f" || repeat('*', {n} - {head + tail}) || substr({value}, {n} - {tail - 1}) END"
    )


def _derive(con: duckdb.DuckDBPyConnection) -> tuple[storage.Rows, list[tuple[int, int]]]:
    """The snapshot's rows as a query (storage.COLUMNS but the snapshot, named by their columns, and each
    row's line in the file), and (unit id, learners) per unit.

    The unit and both ranks in unit are window functions over the whole file: 1.1 and 2.1 read them for
    any learner without counting a unit's members at evaluation time. The ranks are computed on the few
    columns they need and joined back by row: a window sorts every column it is given, and sorting the
    whole rows twice took longer than everything else here together. The query is not materialised: the
    writer streams it, so DuckDB hashes and masks while the database stores what came before.
    """
    ipad, opad = person_key_pads()
    phone, id_number, person_name = "coalesce(t.phone, '')", "coalesce(t.id_number, '')", "t.name"
    rank = (
        "CASE WHEN o.unit_id IS NULL THEN NULL ELSE rank() OVER (PARTITION BY o.unit_id ORDER BY {} DESC) END"
    )
    # Each order as one BIGINT (the first points times 2^31 plus the second: both are within 0..MAX_INT,
    # so the pairs and the numbers sort alike): a sort on one integer key took a fifth less than on two.
    by_total = "t.total_points::BIGINT * 2147483648 + t.annual_points"
    by_annual = "t.annual_points::BIGINT * 2147483648 + t.total_points"
    query = f"""SELECT
              t.line, t.account_id, t.name,
              {_mask(phone, 3, 4)} AS phone_masked,
              {_mask(id_number, 4, 4)} AS id_masked,
              {person_key_sql(id_number=id_number, name=person_name, phone=phone)} AS person_key,
              o.id AS org_id, o.unit_id,
              t.total_points, t.annual_points, t.national_total_rank, t.national_annual_rank,
              coalesce(t.perfect_clearances, 0) AS perfect_clearances,
              coalesce(t.is_real_name, false) AS is_real_name,
              coalesce(t.is_shanxi_phone, false) AS is_shanxi_phone,
              coalesce(t.is_platform_staff, false) AS is_platform_staff,
              r.rank_by_total, r.rank_by_annual
            FROM typed AS t JOIN orgs AS o ON o.code = t.org_code
            JOIN (SELECT t.line,
                         {rank.format(by_total)} AS rank_by_total,
                         {rank.format(by_annual)} AS rank_by_annual
                  FROM typed AS t JOIN orgs AS o ON o.code = t.org_code) AS r ON r.line = t.line"""
    units = con.execute(
        """SELECT o.unit_id, count(*) FROM typed AS t JOIN orgs AS o ON o.code = t.org_code
           WHERE o.unit_id IS NOT NULL GROUP BY o.unit_id"""
    ).fetchall()
    lines = int(_one(con, "SELECT coalesce(max(line), 0) FROM typed"))
    return storage.Rows(query, {"ipad": ipad, "opad": opad}, lines=lines), units


def _make_current(
    snapshot: Snapshot,
    rows: int,
    units: list[tuple[int, int]],
    warnings: ProblemList,
    *,
    actor: Any,
) -> SnapshotImportResult:
    with transaction.atomic():
        SnapshotUnit.objects.bulk_create(
            [SnapshotUnit(snapshot=snapshot, unit_id=unit, learners=count) for unit, count in units],
            batch_size=2000,
        )
        Snapshot.objects.filter(is_current=True, tree_id=snapshot.tree_id).update(is_current=False)
        snapshot.row_count = rows
        snapshot.is_current = True
        snapshot.is_complete = True
        snapshot.save(update_fields=["row_count", "is_current", "is_complete"])
        result = SnapshotImportResult(snapshot, rows, warnings.sorted(), warnings.omitted, len(units))
        mark_tree_stale(snapshot.tree_id)  # every active campaign deciding from this tree reads it
        if not in_memory_database():  # `jixing evaluate` searches nothing
            queue_search_indexes(snapshot.pk)  # after the commit, like the refresh (search.py)
        record_event(
            action="snapshot.import",
            actor=actor,
            target=snapshot,
            summary=result.summary,
            after={"rows": rows, "taken_at": snapshot.taken_at, "source_name": snapshot.source_name},
        )
    return result
