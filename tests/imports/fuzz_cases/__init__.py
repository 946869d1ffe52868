"""Hypothesis strategies for import files built from the templates (tables/templates.py).

A `Case` is one file as a user's tool would write it — the template's headers in any order (required columns
always, optional ones sometimes), UTF-8, UTF-8 with BOM, GBK as WPS saves it, tab-separated text or XLSX
(numbers typed as numbers or as text) — whose rows are valid except for at most one mutation, and what the
import must do with it: store every row with the values in `expected`, or refuse the file with exactly the
problems in `refusal`. The per-template rows and mutations are in tests/imports/fuzz_cases/; this module holds what every template
shares: the file, the header, ragged rows, blank lines, duplicate, misspelt and unknown headers, and
real-shaped values (ID numbers, mobiles, names).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric

from jixing.tables import TableSpec
from jixing.tables.checks import is_known_area
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
    # Blank lines written before these data rows; rows of empty cells written after the last row.
    blank_before: set[int] = field(default_factory=set)
    trailing_empty: int = 0
    # Columns no template knows, (header, cell) for every row; headers padded with spaces.
    unknown_columns: list[tuple[str, str]] = field(default_factory=list)
    padded_header: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    def refuse(self, row: int | None, column: str, reason: str) -> None:
        self.refusal = (self.refusal or set()) | {(row, column, reason)}

    def warn(self, row: int | None, column: str, reason: str) -> None:
        self.warnings.add((row, column, reason))

    def line(self, index: int) -> int:
        """The row number a user sees for data row `index` (the header is row 1; blank lines count)."""
        return index + 2 + sum(1 for blank in self.blank_before if blank <= index)

    def table(self) -> list[list[Any]]:
        columns = self.columns or [(self.spec.column(key).header, key) for key in self.header]
        header = [f" {text}\u3000" if self.padded_header else text for text, _ in columns]
        out: list[list[Any]] = [header + [name for name, _ in self.unknown_columns]]
        for index, row in enumerate(self.rows):
            cells = [row.get(key, "") for _, key in columns]
            change = self.ragged.get(index, 0)
            if change < 0:
                cells = cells[:change]
            elif change > 0:
                cells += ["多余", "9"][:change] + ["x"] * max(change - 2, 0)
            elif self.unknown_columns:
                cells += [value for _, value in self.unknown_columns]
            if index in self.blank_before:
                out.append([])
            out.append(cells)
        out += [[""] * len(header)] * self.trailing_empty
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


def blank_lines(draw: st.DrawFn, case: Case) -> None:
    """Blank lines between the rows and rows of empty cells after them (Excel's CSV of a sheet whose
    formatting reached further than its data): skipped, and the row numbers in messages count them."""
    case.blank_before = set(draw(st.lists(st.integers(0, len(case.rows) - 1), max_size=2)))
    case.trailing_empty = draw(st.integers(0 if case.blank_before else 1, 3))


def blank_lines_then_empty_key(draw: st.DrawFn, case: Case) -> None:
    """Blank lines, and the last row's key (the template's first column) left empty: the refusal names
    the row as the user sees it, blank lines counted — on the fast path of the snapshot too."""
    blank_lines(draw, case)
    case.blank_before.add(len(case.rows) - 1)
    key = case.spec.columns[0].key
    case.rows[-1][key] = ""
    required_empty(case, len(case.rows) - 1, key)


def unknown_columns(draw: st.DrawFn, case: Case) -> None:
    """Columns of the user's own (备注, 序号) and headers typed with spaces around them: the unknown ones
    are ignored with a warning, the padded ones read."""
    names = draw(
        st.lists(
            st.sampled_from(["备注", "序号", "联系人", "Unnamed: 3"]), min_size=1, max_size=2, unique=True
        )
    )
    case.unknown_columns = [(name, draw(st.sampled_from(["", "1", "待核实", "见附件"]))) for name in names]
    case.padded_header = draw(st.booleans())
    for name in names:
        case.warn(1, name, UNKNOWN_COLUMN)


def required_empty(case: Case, index: int, key: str) -> bool:
    """Mark a required column's empty cell as refused; whether the column was required."""
    column = case.spec.column(key)
    if column.required:
        case.refuse(case.line(index), column.header, REQUIRED_VALUE)
        return True
    return False


# ------------------------------------------------------------------------------------------ values and rows

NAMES = (
    "欧阳明月",
    "司马青云",
    "巴依卡·凯力迪别克",
    "诸葛文静",
    "上官婉清",
    "阿依古丽·买买提",
    "慕容秋水",
    "王小红",
    "李建国",
)
# Districts as they are coded today (小店区 dates from 1997, 平城区 from 2018): people born in the 1950s
# carry them when their number was issued there.
AREAS = tuple(a for a in ("140105", "140106", "140107", "140121", "140181", "140213", "140214", "110105",
                          "650102") if is_known_area(a))  # fmt: skip
UNKNOWN_AREAS = tuple(a for a in ("149901", "140199", "141199", "149999") if not is_known_area(a))
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# make_small_province: unit-like nodes and the unit each one's learners belong to.
LEARNER_ORGS = {"TY-QX-S1": "TY-QX-S1", "TY-QX-S1-D1": "TY-QX-S1", "DT-S2": "DT-S2"}
FLAGS = {"是": True, "否": False, "Y": True, "n": False, "1": True, "0": False, "true": True, "FALSE": False}


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def id_numbers(draw: st.DrawFn, *, area: str | None = None, birth: str | None = None) -> str:
    """An 18-character resident ID with a correct check digit."""
    area = area or draw(st.sampled_from(AREAS))
    if birth is None:
        day = draw(st.dates(date(1950, 1, 1), date(2005, 12, 31)))
        birth = day.strftime("%Y%m%d")
    first17 = area + birth + draw(digits(3))
    return first17 + ric.calc_check_digit(first17 + "0")


def mobiles() -> st.SearchStrategy[str]:
    return st.builds(lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), digits(9))


def flag(draw: st.DrawFn) -> tuple[str, bool]:
    text = draw(st.sampled_from(["", *FLAGS]))
    return text, FLAGS.get(text, False)


def draw_case(
    draw: st.DrawFn, spec: Any, row: Any, empty: EmptyEffect, *, always: tuple[str, ...] = (), size: int = 4
) -> Case:
    """1 to `size` valid rows under a header of the needed columns and some others; the rows' cells of
    the columns left out are dropped and their expected values become what an absent column means."""
    count = draw(st.integers(1, size))
    cells, expected = [], []
    for index in range(count):
        c, e = row(draw, index)
        cells.append(c)
        expected.append(e)
    case = Case(spec, draw(header_order(spec, always)), cells, expected, fmt=draw(st.sampled_from(FORMATS)))
    for key in [c.key for c in spec.columns if c.key not in case.header]:
        for index, cells_of_row in enumerate(case.rows):
            del cells_of_row[key]
            empty(case, index, key, True)
    return case


def pick(draw: st.DrawFn, case: Case) -> int:
    return draw(st.integers(0, len(case.rows) - 1))


def set_cell(case: Case, index: int, key: str, text: Any, **expected: Any) -> None:
    case.rows[index][key] = text
    case.expected[index].update(expected)


def refuse_cell(
    draw: st.DrawFn, case: Case, key: str, text: Any, reason: str, index: int | None = None
) -> None:
    index = pick(draw, case) if index is None else index
    case.rows[index][key] = text
    case.refuse(case.line(index), case.spec.column(key).header, reason)


def ensure_column(case: Case, key: str, empty: Any) -> None:
    """Put a column the header left out back in (empty in every row) so that a mutation can fill it."""
    if key not in case.header:
        case.header.append(key)
        for row, expected in zip(case.rows, case.expected, strict=True):
            row[key], expected[key] = "", empty
