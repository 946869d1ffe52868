"""The columnar reader agrees with the row reader: same typed values, same problems, same row numbers."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixing.tables import LEARNERS_TEMPLATE, Problem, read_table
from jixing.tables.columnar import connect, read_columnar
from tests.files import csv_file, id_number, xlsx_file

HEADER = [
    "学号",
    "姓名",
    "手机号",
    "身份证号",
    "组织编码",
    "总积分",
    "年度积分",
    "全国总积分排名",
    "是否实名认证",
]
KEYS = [c.key for c in LEARNERS_TEMPLATE.columns]
GOOD = [
    ["u1", "张三", "10012345678", id_number("14010519850101123"), "S1", "30000", "12000", "4500", "是"],
    ["u2", "欧阳·娜", "", id_number("14070319550607001"), "S1", "1,234", "0", "", "N"],
    ["u3", "李四", "100 1234 5679", "", "S1-D1", "20000", "9000", "1", "true"],
]


def _columnar(tmp_path: Path, data: bytes):
    workdir = tmp_path / "work"
    workdir.mkdir(exist_ok=True)
    con = connect(workdir)
    typed = read_columnar(data, LEARNERS_TEMPLATE, con=con, workdir=workdir)
    rows = []
    if typed.header_ok:
        columns = ", ".join(["line", *KEYS])
        rows = [list(r) for r in con.execute(f"SELECT {columns} FROM typed ORDER BY line").fetchall()]
    con.close()
    return typed, rows


def _row_reader(data: bytes):
    reader = read_table(data, LEARNERS_TEMPLATE)
    rows = [[row.number, *(row[k] for k in KEYS)] for row in reader]
    return reader, rows


def test_columnar_types_a_clean_utf8_file_in_sql_as_the_row_reader_does(tmp_path):
    data = csv_file([HEADER, *GOOD], "utf-8-sig")
    typed, rows = _columnar(tmp_path, data)
    reader, expected = _row_reader(data)
    assert typed.fast is True
    assert (typed.rows, list(typed.errors), rows) == (3, [], expected)
    assert rows[1][KEYS.index("total_points") + 1] == 1234
    assert rows[2][KEYS.index("phone") + 1] == "10012345679"


def test_columnar_transcodes_a_gbk_file_and_stays_fast(tmp_path):
    data = csv_file([HEADER, *GOOD], "gbk")
    typed, rows = _columnar(tmp_path, data)
    assert typed.fast is True
    assert rows == _row_reader(data)[1]


@pytest.mark.parametrize(
    "data",
    [
        csv_file([HEADER, GOOD[0], [], GOOD[1], [""] * 9, GOOD[2]]),  # blank lines count as rows
        xlsx_file([HEADER, *GOOD]),
        csv_file([HEADER, *GOOD[:2], ["u3", "王五", "", "", "S1", "-5", "1.5", "0", "也许"]]),
    ],
    ids=["blank-lines", "xlsx", "bad-cells"],
)
def test_columnar_hands_what_sql_does_not_know_to_the_row_reader(tmp_path, data):
    typed, rows = _columnar(tmp_path, data)
    reader, expected = _row_reader(data)
    assert typed.fast is False
    assert (list(typed.errors), rows) == (list(reader.errors), expected)


def test_columnar_lists_cell_problems_with_the_row_readers_reasons(tmp_path):
    good = id_number("14010519850101123")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = csv_file([HEADER, ["u1", "张三", "10012345678", bad, "S1", "-5", "x", "0", "也许"]])
    typed, _ = _columnar(tmp_path, data)
    assert list(typed.errors) == [
        Problem(2, "身份证号", bad, "身份证号校验位不正确"),
        Problem(2, "总积分", "-5", "不能为负数"),
        Problem(2, "年度积分", "x", "应为整数"),
        Problem(2, "全国总积分排名", "0", "不能小于 1"),
        Problem(2, "是否实名认证", "也许", "应为 是/否、Y/N、1/0 或 true/false"),
    ]


def test_columnar_reports_a_missing_column_without_reading_rows(tmp_path):
    typed, rows = _columnar(tmp_path, csv_file([["学号", "姓名"], ["u1", "张三"]]))
    assert typed.header_ok is False and rows == []
    assert Problem(1, "组织编码", "", "缺少必填列") in list(typed.errors)


# Cells in the shapes real exports have, valid and not: the two readers must agree on every one.
_digits = st.text(alphabet="0123456789", min_size=1, max_size=11)
_cells = st.one_of(
    _digits,
    st.sampled_from(
        ["", " ", "1,234", "12.0", "-3", "是", "否", "Y", "n", "TRUE", "１２", "\u3000张三 ", "x"]
    ),
    st.text(alphabet=string.digits + "Xx -,", max_size=20),
    st.text(max_size=8),
)
_id_numbers = st.one_of(
    st.builds(
        lambda area, year, seq: id_number(f"{area}{year}0315{seq:03d}"),
        st.sampled_from(["140105", "140702", "141002", "140213", "149901", "110105", "999999"]),
        st.integers(1890, 2030),
        st.integers(0, 999),
    ),
    st.text(alphabet="0123456789Xx１２ -", min_size=18, max_size=18),
    _cells,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(_cells, _cells, _cells, _id_numbers, _cells, _cells, _cells, _cells, _cells),
        min_size=1,
        max_size=6,
    )
)
def test_columnar_and_row_reader_agree_on_any_cells(tmp_path, rows):
    data = csv_file([HEADER, *[list(r) for r in rows]])
    typed, got = _columnar(tmp_path, data)
    reader, expected = _row_reader(data)
    assert list(typed.errors) == list(reader.errors)
    if not reader.errors:
        assert got == expected


_clean_rows = st.tuples(
    st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12),
    st.text(alphabet="张王李欧阳司马·娜伟 ", min_size=1, max_size=6).map(str.strip).filter(bool),
    st.one_of(st.just(""), st.integers(10_000_000_000, 19_999_999_999).map(str)),
    st.builds(
        lambda area, year, seq: id_number(f"{area}{year}1231{seq:03d}"),
        st.sampled_from(["140105", "140702", "141002", "140213", "149901", "110105"]),
        st.integers(1900, 2006),
        st.integers(0, 999),
    ),
    st.sampled_from(["S1", "S1-D1"]),
    st.integers(0, 2_147_483_647).map(str),
    st.integers(0, 999_999).map(lambda n: f"{n:,}"),
    st.one_of(st.just(""), st.integers(1, 5_000_000).map(str)),
    st.sampled_from(["是", "否", "Y", "n", "1", "0", "TRUE", "false", ""]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_clean_rows, min_size=1, max_size=6, unique_by=lambda r: r[0]))
def test_columnar_types_real_shaped_cells_in_sql_with_the_row_readers_values(tmp_path, rows):
    data = csv_file([HEADER, *[list(r) for r in rows]])
    typed, got = _columnar(tmp_path, data)
    reader, expected = _row_reader(data)
    assert (typed.fast, list(reader.errors), got) == (True, [], expected)


def _large_rows(count: int, name: str = "Zhang") -> list[list[str]]:
    return [[f"u{i}", name, f"100{i:08d}", "", "S1", str(i), "0", "", "是"] for i in range(count)]


def test_columnar_reads_a_large_gbk_file_whose_rows_turn_chinese_after_the_first_megabyte(tmp_path):
    # Only the header tells the encoding within the first megabyte (read for it); the rows' Chinese follows.
    rows = _large_rows(30_000) + _large_rows(3, name="欧阳娜")
    for i, row in enumerate(rows[-3:]):
        row[0] = f"late{i}"
    data = csv_file([HEADER, *rows], "gbk")
    assert len(data) > 1 << 20
    typed, got = _columnar(tmp_path, data)
    reader, expected = _row_reader(data)
    assert (typed.fast, typed.rows, list(typed.errors)) == (True, 30_003, [])
    assert got == expected
    assert got[-1][KEYS.index("name") + 1] == "欧阳娜"


def test_columnar_reads_a_large_utf8_file_fast(tmp_path):
    data = csv_file([HEADER, *_large_rows(30_000, name="司马·光")], "utf-8-sig")
    assert len(data) > 1 << 20
    typed, got = _columnar(tmp_path, data)
    assert (typed.fast, typed.rows, got[0][KEYS.index("name") + 1]) == (True, 30_000, "司马·光")


def test_columnar_judges_the_whole_file_when_it_stops_being_utf8_past_the_first_megabyte(tmp_path):
    # A UTF-8 header and rows, then one row saved as GBK: the first megabyte says UTF-8, DuckDB refuses
    # the bytes further on, and the file is judged whole — refused as the row reader refuses it.
    rows = _large_rows(30_000)
    data = csv_file([HEADER, *rows]) + csv_file(
        [["late", "欧阳娜", "10099999999", "", "S1", "1", "0", "", "是"]], "gbk"
    )
    assert len(data) > 1 << 20
    typed, got = _columnar(tmp_path, data)
    reader, _ = _row_reader(data)
    assert list(typed.errors) == list(reader.errors) != []
