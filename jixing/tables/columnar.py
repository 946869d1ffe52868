"""Reading a file of millions of rows column-wise: DuckDB types every cell with vectorised SQL.

The row-by-row reader (`reading.TableReader`) is the definition of what a cell means; this module is its
fast twin for the common case and hands over to it for everything else, so both always agree:

* **Fast path** — a UTF-8 CSV (with or without BOM; GB18030 files are transcoded first; the encoding
  is judged from the first megabyte, the whole file only when DuckDB refuses its bytes) whose every cell
  has one of the plain shapes the SQL below recognises (digits, 是/否 …, trimmed text, a well-formed
  mobile or ID number). DuckDB reads and types the whole file in parallel C++; no Python per row.
* **Exact path** — anything else (an XLSX, blank lines, a cell in a shape the SQL does not know, a CSV
  DuckDB cannot split as Python does): `TableReader` types every row as it always has, collecting every
  problem with its exact Chinese reason, and the typed rows are handed to DuckDB as JSON lines in the
  work folder. A bad file usually takes this path, so its error table is the familiar one.

Either way the result is a DuckDB table of typed rows — `line` (the row number a user sees, header = 1)
and one column per key of the spec — for the owning domain's cross-row checks (duplicates, codes) and
its bulk load. The SQL of the fast path accepts a subset of what the row reader accepts and must give
the same value for it: tests/tables/test_columnar.py compares the two on generated cells.

No Django here (this floor imports nothing of it).
"""

from __future__ import annotations

import codecs
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import duckdb

from jixing.tables.checks import PROVINCE_CODES, check_id_number, check_mobile
from jixing.tables.columns import MAX_INT, Column, Kind, TableSpec
from jixing.tables.problems import DEFAULT_LIMIT, ProblemList
from jixing.tables.reading import Source, TableReader

__all__ = ["TypedTable", "connect", "drop_typed", "read_columnar"]

# What Python's str.strip() removes besides the space (the row reader strips cells with it), as an RE2 class.
OTHER_SPACE = (
    "[" + "".join(f"\\x{{{code:x}}}" for code in range(0x110000) if chr(code).isspace() and code != 32) + "]"
)
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
ID_CHECK_CHARS = "10X98765432"
_CHUNK = 1 << 20
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Reported to the caller every this many rows on the exact path.
PROGRESS_EVERY = 100_000

Report = Callable[[int, int | None], None]
# Every other kind travels as text. INTEGER, not BIGINT: every whole-number column is bounded by MAX_INT,
# and four bytes a cell keep 8 million typed rows within DuckDB's memory limit (no spilling to disk).
SQL_TYPES = {Kind.INT: "INTEGER", Kind.BOOL: "BOOLEAN"}


def connect(workdir: Path, *, memory_limit: str = "1GB", threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to `workdir` (private to one import, removed with it)."""
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
    # Progress is tracked (the import's bar reads it through query_progress) but never printed.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET temp_directory = ?", [str(workdir / "spill")])
    con.execute("SET preserve_insertion_order = true")  # rowid follows the file: row numbers depend on it
    return con


@dataclass
class TypedTable:
    """The typed rows of one file in DuckDB table `name`: `line`, then one column per spec key."""

    name: str
    rows: int
    errors: ProblemList
    warnings: ProblemList
    fast: bool = True
    header_ok: bool = True


def read_columnar(
    source: Source,
    spec: TableSpec,
    *,
    con: duckdb.DuckDBPyConnection,
    workdir: Path,
    name: str = "typed",
    limit: int = DEFAULT_LIMIT,
    report: Report | None = None,
) -> TypedTable:
    """Type every row of `source` against `spec` into DuckDB table `name`.

    Header problems and every cell problem are in the result's `errors` (the table may then be partial);
    `report(rows_done, rows_estimated)` is called about twice a second while rows are typed.
    """
    path = _as_file(source, workdir)
    # The header and the encoding from the file's first megabyte: decoding the whole file in Python to
    # learn that it is UTF-8 would cost seconds, and DuckDB refuses a file that is not UTF-8 anyway.
    header = TableReader(_head(path), spec, limit)
    header.close()
    result = TypedTable(name, 0, header.errors, header.warnings)
    if not header.header_ok:
        result.header_ok = False
        return result
    positions = header.column_positions
    if header.encoding is not None:  # a CSV
        rows = _try_fast(con, spec, path, header.encoding, positions, workdir, name, report)
        if rows is None and header.encoding != "gb18030":
            # Not UTF-8 after all past the first megabyte, or not split by DuckDB as by Python: decide
            # the encoding from the whole file, as the row reader does.
            whole = TableReader(path, spec, limit)
            whole.close()
            if not whole.header_ok:  # the header, read as the whole file's encoding, says otherwise
                result.errors, result.warnings, result.header_ok = whole.errors, whole.warnings, False
                return result
            if whole.encoding == "gb18030":
                positions = whole.column_positions
                rows = _try_fast(con, spec, path, "gb18030", positions, workdir, name, report)
        if rows is not None:
            result.rows = rows
            return result
    result.fast = False
    result.rows = _exact_path(path, spec, con=con, workdir=workdir, name=name, result=result, report=report)
    return result


def _try_fast(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    path: Path,
    encoding: str,
    positions: dict[str, int],
    workdir: Path,
    name: str,
    report: Report | None,
) -> int | None:
    """The fast path's row count, or None when the file is the row reader's to read."""
    csv_path = _utf8_csv(path, encoding, workdir)
    if _has_blank_line(csv_path):
        return None
    try:
        with _watching(con, report, _estimate_rows(csv_path)):
            return _fast_path(con, spec, csv_path, positions, _delimiter(csv_path), name)
    except (duckdb.Error, UnicodeDecodeError):
        return None  # not UTF-8, or DuckDB could not split this file as Python's csv does


# ---------------------------------------------------------------------------------------------- files


def _as_file(source: Source, workdir: Path) -> Path:
    """A path DuckDB can read: uploads and bytes are written into the work folder first."""
    if isinstance(source, str | Path):
        return Path(source)
    if hasattr(source, "__fspath__"):
        return Path(source.__fspath__())
    target = workdir / "upload"
    with target.open("wb") as out:
        if isinstance(source, bytes):
            out.write(source)
        else:
            stream: IO[bytes] = source
            if hasattr(stream, "seek"):
                stream.seek(0)
            chunks = stream.chunks() if hasattr(stream, "chunks") else iter(lambda: stream.read(_CHUNK), b"")
            for chunk in chunks:
                out.write(chunk)
    return target


def _utf8_csv(path: Path, encoding: str, workdir: Path) -> Path:
    """The file itself when it is UTF-8 (DuckDB skips a BOM), else a UTF-8 copy of it."""
    if encoding == "utf-8-sig":
        return path
    target = workdir / "utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := src.read(_CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def _has_blank_line(path: Path) -> bool:
    """DuckDB drops empty lines while Python's csv counts them as rows: such files go the exact way."""
    previous = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            seam = previous + chunk[:2]  # a blank line across two chunks
            if b"\n\n" in chunk or b"\n\r\n" in chunk or b"\n\n" in seam or b"\n\r\n" in seam:
                return True
            previous = chunk[-2:]
    return False


def _head(path: Path) -> bytes | Path:
    """The file's first megabyte up to its last complete line (a CSV); the file itself for a workbook
    or when no line ends within it."""
    with path.open("rb") as fh:
        head = fh.read(_CHUNK)
    if head.startswith(b"PK") or len(head) < _CHUNK:
        return path
    end = head.rfind(b"\n")
    return head[: end + 1] if end > 0 else path


def _estimate_rows(path: Path) -> int:
    """Rows of a CSV judged by its size and the length of its first lines: for the progress bar only."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        sample = fh.read(1 << 20)
    lines = max(sample.count(b"\n"), 1)
    return max(int(size / (len(sample) / lines)) - 1, 0)


@contextmanager
def _watching(con: duckdb.DuckDBPyConnection, report: Report | None, estimate: int) -> Iterator[None]:
    """While the block runs one long DuckDB statement, report its progress twice a second."""
    if report is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            percent = con.query_progress()  # -1 until DuckDB can tell
            if percent >= 0:
                report(int(estimate * min(percent, 100) / 100), estimate)

    watcher = threading.Thread(target=watch, name="columnar-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _delimiter(path: Path) -> str:
    # As the row reader decides: tab-separated text is what some tools export under a .csv name.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
    return "\t" if "\t" in first and "," not in first else ","


# ------------------------------------------------------------------------------------------ fast path


def _fast_path(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    path: Path,
    positions: dict[str, int],
    delimiter: str,
    name: str,
) -> int | None:
    """Type the file in SQL; the row count, or None when some cell needs the exact reader.

    One parallel pass writes every row into `<name>_all` in file order (DuckDB keeps the insertion order,
    so rowid is the row's place in the file: a window function for row numbers would serialise the
    whole pass); view `name` gives the non-blank rows their row numbers.
    """
    width = max(positions.values()) + 1
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    # trim() copies every string: only cells that start or end with a space pay for it.
    cells = ", ".join(
        f"CASE WHEN c{i} IS NULL THEN '' WHEN starts_with(c{i}, ' ') OR ends_with(c{i}, ' ')"
        f" THEN trim(c{i}) ELSE c{i} END AS t{i}"
        for i in range(width)
    )
    blank = " AND ".join(f"t{i} = ''" for i in range(width))
    selects, oks, helpers = [], [], []
    for column in spec.columns:
        index = positions.get(column.key)
        value, ok = _fast_cell(column, f"t{index}" if index is not None else None)
        selects.append(f"{value} AS {column.key}")
        oks.append(f"({ok})")
        if index is not None and column.check is check_id_number:
            helpers.append(_id_first17(f"t{index}"))
    everything = f"{name}_all"
    con.execute(f"DROP VIEW IF EXISTS {name}")
    con.execute(f"DROP TABLE IF EXISTS {everything}")
    con.execute(
        f"""CREATE TABLE {everything} AS
        SELECT {", ".join(selects)}, ({blank}) AS blank, ({" AND ".join(oks) or "true"}) OR ({blank}) AS fast_ok
        FROM (SELECT *{"".join(", " + h for h in helpers)} FROM (
                SELECT {cells}
                FROM read_csv($path, header = false, skip = 1, auto_detect = false, columns = {columns},
                              delim = $delim, quote = '"', escape = '"', null_padding = true,
                              strict_mode = false, parallel = true)))""",
        {"path": str(path), "delim": delimiter, "today": datetime.now(SHANGHAI).date().strftime("%Y%m%d")},
    )
    counts = con.execute(
        f"SELECT count(*) FILTER (WHERE NOT blank), count(*) FILTER (WHERE NOT fast_ok) FROM {everything}"
    ).fetchone()
    assert counts is not None  # an aggregate without GROUP BY returns one row
    rows, slow = counts
    if slow:
        con.execute(f"DROP TABLE {everything}")
        return None
    keys = ", ".join(c.key for c in spec.columns)
    con.execute(f"CREATE VIEW {name} AS SELECT rowid + 2 AS line, {keys} FROM {everything} WHERE NOT blank")
    return int(rows)


def drop_typed(con: duckdb.DuckDBPyConnection, typed: TypedTable) -> None:
    """Free the typed rows (and the full numbers in them) once they have been used."""
    if typed.fast:
        con.execute(f"DROP VIEW IF EXISTS {typed.name}")
        con.execute(f"DROP TABLE IF EXISTS {typed.name}_all")
    else:
        con.execute(f"DROP TABLE IF EXISTS {typed.name}")


def _fast_cell(column: Column, cell: str | None) -> tuple[str, str]:
    """(SQL value, SQL condition that the value is the row reader's) for one column.

    `cell` is the cell's text trimmed of spaces ('' when empty), None when the column is not in the file.
    The value needs no guard: when the condition fails for any cell, the whole file takes the exact path.
    """
    if cell is None:
        return _literal(column.default, column.kind), "true"
    value, ok = _fast_value(column, cell)
    empty_ok = "false" if column.required else "true"
    return (
        f"CASE WHEN {cell} = '' THEN {_literal(column.default, column.kind)} ELSE {value} END",
        f"CASE WHEN {cell} = '' THEN {empty_ok} ELSE coalesce({ok}, false) END",
    )


def _fast_value(column: Column, cell: str) -> tuple[str, str]:
    if column.kind == Kind.INT:
        # As the row reader: thousands separators dropped, then digits only (one negated class stops at
        # the first other character), within the column's bounds.
        # replace() copies every cell: only the few cells with a comma pay for it.
        digits = f"replace({cell}, ',', '')"
        high = column.maximum if column.maximum is not None else MAX_INT
        bounds = f"BETWEEN {column.minimum} AND {high}"
        return (
            f"CASE WHEN contains({cell}, ',') THEN TRY_CAST({digits} AS INTEGER)"
            f" ELSE TRY_CAST({cell} AS INTEGER) END",
            f"CASE WHEN contains({cell}, ',') THEN {digits} <> '' AND strlen({digits}) <= 10"
            f" AND NOT regexp_matches({digits}, '[^0-9]') AND TRY_CAST({digits} AS INTEGER) {bounds}"
            f" ELSE regexp_full_match({cell}, '[0-9]{{1,10}}') AND TRY_CAST({cell} AS INTEGER) {bounds} END",
        )
    if column.kind == Kind.BOOL:
        # lower() copies every cell: 是 and 否, what nearly every file holds, are told apart without it.
        return (
            f"CASE WHEN {cell} = '是' THEN true WHEN {cell} = '否' THEN false"
            f" ELSE lower({cell}) IN ('是', 'y', '1', 'true') END",
            f"{cell} IN ('是', '否') OR lower({cell}) IN ('是', '否', 'y', 'n', '1', '0', 'true', 'false')",
        )
    if column.kind != Kind.TEXT:
        return "NULL", "false"  # percent, decimal, choice, time: the exact reader
    if column.check is check_mobile:
        number = f"replace(replace({cell}, ' ', ''), '-', '')"
        return (
            f"CASE WHEN regexp_full_match({cell}, '1[0-9]{{10}}') THEN {cell} ELSE {number} END",
            f"regexp_full_match({cell}, '1[0-9]{{10}}') OR regexp_full_match({number}, '1[0-9]{{10}}')",
        )
    if column.check is check_id_number:
        return _id_number(cell)
    if column.check is not None:
        return "NULL", "false"
    # strlen counts bytes, never fewer than characters: a cell within it is within max_length for sure.
    fits = f"strlen({cell}) <= {column.max_length}" if column.max_length is not None else "true"
    # Python's strip() also removes tabs, U+3000 and other spaces that SQL's trim() keeps: a text cell
    # that starts or ends with one is the row reader's to read. (The other kinds' shapes exclude them.)
    return cell, f"{fits} AND NOT regexp_matches({cell}, '^{OTHER_SPACE}|{OTHER_SPACE}$')"


def _id_number(cell: str) -> tuple[str, str]:
    """GB 11643 in SQL, as checks.check_id_number: shape, check digit, birth date 1900..today, province.
    Numbers written with spaces, hyphens or full-width digits are the row reader's to normalise.
    The check digit is integer arithmetic on the first 17 digits as one number: string slicing per digit
    cost ten times more."""
    first17 = f"{cell}_first17"  # computed once per row a level below (_id_first17): CASE stops DuckDB
    # from sharing a subexpression, and the 18 uses of it were most of the whole file's cost
    total = " + ".join(f"(({first17} // {10 ** (16 - i)}) % 10) * {w}" for i, w in enumerate(ID_WEIGHTS))
    birth = f"substr({cell}, 7, 8)"
    provinces = ", ".join(sorted(PROVINCE_CODES))
    ok = (
        f"regexp_full_match({cell}, '[0-9]{{17}}[0-9Xx]')"
        f" AND substr('{ID_CHECK_CHARS}', (({total}) % 11)::INTEGER + 1, 1) = upper(substr({cell}, 18, 1))"
        f" AND {birth} BETWEEN '19000101' AND $today AND try_strptime({birth}, '%Y%m%d') IS NOT NULL"
        f" AND {first17} // {10**15} IN ({provinces})"
    )
    # upper() copies every number: only those ending in a lower-case x need it.
    return f"CASE WHEN ends_with({cell}, 'x') THEN upper({cell}) ELSE {cell} END", ok


def _id_first17(cell: str) -> str:
    return f"TRY_CAST(substr({cell}, 1, 17) AS BIGINT) AS {cell}_first17"


def _literal(value: Any, kind: Kind) -> str:
    if value is None:
        return f"NULL::{SQL_TYPES.get(kind, 'VARCHAR')}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}::{SQL_TYPES.get(kind, 'BIGINT')}"
    return "'" + str(value).replace("'", "''") + "'"


# ----------------------------------------------------------------------------------------- exact path


def _exact_path(
    path: Path,
    spec: TableSpec,
    *,
    con: duckdb.DuckDBPyConnection,
    workdir: Path,
    name: str,
    result: TypedTable,
    report: Report | None,
) -> int:
    """Type every row with the row reader (its problems become the result's) and load them into DuckDB.

    The typed rows travel as JSON lines: any text a cell may hold (quotes, carriage returns) survives,
    and null stays distinct from an empty text."""
    reader = TableReader(path, spec, result.errors.limit)
    target = workdir / "typed.jsonl"
    estimate = _estimate_rows(path) if reader.encoding else None
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for row in reader:
            record = {"line": row.number, **{c.key: _plain(row[c.key]) for c in spec.columns}}
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
            count += 1
            if report is not None and count % PROGRESS_EVERY == 0:
                report(count, max(estimate or 0, count) or None)
    result.errors, result.warnings = reader.errors, reader.warnings
    columns = "{'line': 'BIGINT', " + ", ".join(f"'{c.key}': '{_sql_type(c)}'" for c in spec.columns) + "}"
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(
        f"""CREATE TABLE {name} AS SELECT * FROM read_json($path, format = 'newline_delimited',
            columns = {columns}, maximum_object_size = 16777216)""",
        {"path": str(target)},
    )
    target.unlink()
    return count


def _sql_type(column: Column) -> str:
    return SQL_TYPES.get(column.kind, "VARCHAR")


def _plain(value: Any) -> Any:
    """A typed cell as JSON can carry it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
