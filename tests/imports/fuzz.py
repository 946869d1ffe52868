"""Hypothesis strategies for import files built from the templates (tables/templates.py).

A `Case` is one file as a user's tool would write it — the template's headers in any order (required columns
always, optional ones sometimes), UTF-8, UTF-8 with BOM, GBK as WPS saves it, tab-separated text or XLSX
(numbers typed as numbers or as text) — whose rows are valid except for at most one mutation, and what the
import must do with it: store every row with the values in `expected`, or refuse the file with exactly the
problems in `refusal`. The per-template rows and mutations are in tests/imports/fuzz_rows.py; this module
holds what every template shares: the file, the header, ragged rows, duplicate and misspelt headers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from jixing.tables import TableSpec
from jixing.tables.columns import Kind
from jixing.tables.reading import DUPLICATE_COLUMN, MISSING_COLUMN, REQUIRED_VALUE, UNKNOWN_COLUMN
from tests.files import xlsx_file

FORMATS = ("utf-8", "utf-8-sig", "gbk", "tsv", "xlsx", "xlsx-typed")

# What people do to a header: a synonym, a near-miss character, a stray word (none is a known header).
MISSPELLINGS = {
    "组织编码": "组织代码",
    "组织名称": "组织名",
    "上级组织编码": "上级编码",
    "层级": "级别",
    "学号": "学号码",
    "姓名": "名字",
    "手机号": "手机号码",
    "身份证号": "身份证",
    "总积分": "总分",
    "年度积分": "年度分",
    "角色": "角色类型",
    "申报编号": "申报号",
    "项目": "申报项目",
    "推荐单位编码": "推荐单位代码",
}


@dataclass
class Case:
    """One generated file and what its import must do.

    `rows` are the logical rows (column key → cell as written) in file order; `header` the keys in file
    order; `expected` one dict per row of the values that must be stored (the importer's test reads them);
    `refusal` the exact set of (row, column, reason fragment) the refusal must list, None when the file is
    accepted; `warnings` (row, column, reason fragment) that must be among the accepted file's warnings.
    """

    spec: TableSpec
    header: list[str]
    rows: list[dict[str, Any]]
    expected: list[dict[str, Any]]
    fmt: str = "utf-8"
    label: str = "valid"
    refusal: set[tuple[int | None, str, str]] | None = None
    warnings: set[tuple[int | None, str, str]] = field(default_factory=set)
    # Header cells as written, when they differ from the keys' headers (a duplicate or misspelt one):
    # (header text, key whose cells the column holds).
    columns: list[tuple[str, str]] | None = None
    # Cells cut from (negative) or added to (positive) the end of a row: row index → count.
    ragged: dict[int, int] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def refuse(self, row: int | None, column: str, reason: str) -> None:
        self.refusal = (self.refusal or set()) | {(row, column, reason)}

    def warn(self, row: int | None, column: str, reason: str) -> None:
        self.warnings.add((row, column, reason))

    def line(self, index: int) -> int:
        """The row number a user sees for data row `index` (the header is row 1)."""
        return index + 2

    def table(self) -> list[list[Any]]:
        columns = self.columns or [(self.spec.column(key).header, key) for key in self.header]
        out: list[list[Any]] = [[text for text, _ in columns]]
        for index, row in enumerate(self.rows):
            cells = [row.get(key, "") for _, key in columns]
            change = self.ragged.get(index, 0)
            if change < 0:
                cells = cells[:change]
            elif change > 0:
                cells += ["多余", "9"][:change] + ["x"] * max(change - 2, 0)
            out.append(cells)
        return out

    def file(self) -> bytes:
        table = self.table()
        if self.fmt.startswith("xlsx"):
            if self.fmt == "xlsx-typed":
                kinds = {c.header: c for c in self.spec.columns}
                header = table[0]
                table = [header] + [[_typed(kinds.get(h), cell) for h, cell in zip(header, row, strict=False)] + row[len(header):]
                                    for row in table[1:]]  # fmt: skip
            return xlsx_file(table)
        text = io.StringIO()
        csv.writer(text, delimiter="\t" if self.fmt == "tsv" else ",").writerows(table)
        encoding = {"gbk": "gbk", "utf-8-sig": "utf-8-sig"}.get(self.fmt, "utf-8")
        return text.getvalue().encode(encoding)


def _typed(column: Any, cell: Any) -> Any:
    """A cell as a spreadsheet holds it when typed into a number cell: digits become a number (a mobile
    number too; an ID number stays text, as Excel would cut it to 15 digits)."""
    if column is None or not isinstance(cell, str) or not cell.isascii() or not cell.isdigit():
        return cell
    if column.kind == Kind.INT or (column.key == "phone" and len(cell) == 11):
        return int(cell)
    return cell


@st.composite
def header_order(draw: st.DrawFn, spec: TableSpec, always: tuple[str, ...] = ()) -> list[str]:
    """The spec's needed columns and those in `always`, some of the others, in any order."""
    needed = [c.key for c in spec.columns if c.needs_column or c.key in always]
    optional = [c.key for c in spec.columns if c.key not in needed]
    chosen = draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    return draw(st.permutations(needed + chosen))


Mutation = Callable[[st.DrawFn, Case], None]


def duplicate_header(draw: st.DrawFn, case: Case) -> None:
    """A column twice (copied beside itself, as when two sheets were pasted together): refused at row 1."""
    key = draw(st.sampled_from(case.header))
    columns = [(case.spec.column(k).header, k) for k in case.header]
    position = draw(st.integers(0, len(columns)))
    columns.insert(position, (case.spec.column(key).header, key))
    case.columns = columns
    case.refuse(1, case.spec.column(key).header, DUPLICATE_COLUMN)


EmptyEffect = Callable[[Case, int, str, bool], None]
"""What an empty cell of a column does to a row's expectation: (case, row index, key, column absent)."""


def misspelt_header(draw: st.DrawFn, case: Case, empty_effect: EmptyEffect) -> None:
    """One header misspelt. A needed column is then missing (refused at row 1); an optional one is read
    as absent: a warning names the unknown header and the rows take the column's empty value."""
    candidates = [k for k in case.header if case.spec.column(k).header in MISSPELLINGS]
    key = draw(st.sampled_from(candidates))
    column = case.spec.column(key)
    case.columns = [
        (MISSPELLINGS[column.header] if k == key else case.spec.column(k).header, k) for k in case.header
    ]
    if column.needs_column:
        case.refuse(1, column.header, MISSING_COLUMN)
        return
    case.warn(1, MISSPELLINGS[column.header], UNKNOWN_COLUMN)
    for index in range(len(case.rows)):
        empty_effect(case, index, key, True)


def ragged_long(draw: st.DrawFn, case: Case) -> None:
    """A row with cells past the last header (a stray note, a formula's spill): they are ignored."""
    index = draw(st.integers(0, len(case.rows) - 1))
    case.ragged[index] = draw(st.integers(1, 3))


def ragged_short(draw: st.DrawFn, case: Case, empty_effect: EmptyEffect, special: tuple[str, ...]) -> None:
    """A row cut short (a tool that drops trailing empty cells, a hand-edited CSV): the missing cells are
    read as empty. Only columns whose emptiness means one thing (`empty_effect`) are cut, never the
    `special` ones whose empty value depends on another cell."""
    index = draw(st.integers(0, len(case.rows) - 1))
    cuttable = 0
    for key in reversed(case.header):
        if key in special:
            break
        cuttable += 1
    # A row cut to nothing but empty cells is a blank line, which every reader skips: keep one filled.
    filled = [i for i, key in enumerate(case.header) if str(case.rows[index].get(key, "")).strip()]
    cuttable = min(cuttable, len(case.header) - 1 - filled[0]) if filled else 0
    if cuttable <= 0:
        ragged_long(draw, case)
        return
    cut = draw(st.integers(1, cuttable))
    case.ragged[index] = -cut
    for key in case.header[-cut:]:
        empty_effect(case, index, key, False)


def required_empty(case: Case, index: int, key: str) -> bool:
    """Mark a required column's empty cell as refused; whether the column was required."""
    column = case.spec.column(key)
    if column.required:
        case.refuse(case.line(index), column.header, REQUIRED_VALUE)
        return True
    return False
