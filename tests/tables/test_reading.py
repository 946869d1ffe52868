import io
import zipfile

import openpyxl
import pytest

from jixing.tables import (
    ENCODING_ERROR,
    LEARNERS_TEMPLATE,
    ORGS_TEMPLATE,
    ROLES_TEMPLATE,
    Problem,
    read_table,
)
from jixing.tables.reading import XLSX_TOO_LARGE, check_xlsx_archive
from tests.files import LEARNER_HEADER, LEARNER_ROWS, ORG_HEADER, ORG_ROWS, csv_file, xlsx_file


def _read(data, spec=ORGS_TEMPLATE, **options):
    reader = read_table(data, spec, **options)
    rows = [(row.number, dict(row)) for row in reader]
    return rows, reader.errors.listed, reader.warnings.listed


def test_read_table_gbk_bom_plain_utf8_and_xlsx_read_the_same():
    table = [ORG_HEADER, *ORG_ROWS]
    expected, errors, _ = _read(csv_file(table, "utf-8"))
    assert errors == []
    assert len(expected) == 5
    assert _read(csv_file(table, "utf-8-sig"))[0] == expected
    assert _read(csv_file(table, "gbk"))[0] == expected
    assert _read(csv_file(table, "gb18030"))[0] == expected
    assert _read(xlsx_file(table))[0] == expected


def test_read_table_reports_which_encoding_it_found():
    table = [ORG_HEADER, *ORG_ROWS]
    assert read_table(csv_file(table, "utf-8-sig"), ORGS_TEMPLATE).encoding == "utf-8-sig"
    assert read_table(csv_file(table, "gbk"), ORGS_TEMPLATE).encoding == "gb18030"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "shift_jis", "latin-1"])
def test_read_table_refuses_an_unreadable_encoding(encoding):
    # Shift-JIS and Latin-1 bytes may even decode as GB18030 — into nonsense that matches no header.
    text = "学号,名前,組織\nu1,山田,S1\n" if encoding == "shift_jis" else "组织编码,组织名称\nP,山西省\n"
    if encoding == "latin-1":
        text = "Code,Nom du département,Parent\nP,Société générale,\n"
    _, errors, _ = _read(text.encode(encoding))
    assert errors == [Problem(None, "", "", "文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV")]
    assert ENCODING_ERROR == "文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"


def test_read_table_names_every_missing_required_column():
    rows, errors, _ = _read(csv_file([["组织名称", "层级"], ["山西省", "省级"]]))
    assert rows == []
    assert errors == [
        Problem(1, "组织编码", "", "缺少必填列"),
        Problem(1, "上级组织编码", "", "缺少必填列"),
    ]


def test_read_table_ignores_unknown_columns_with_a_warning():
    rows, errors, warnings = _read(
        csv_file([["学号", "组织编码", "角色", "备注"], ["u1", "S1", "供稿员", "x"]]), ROLES_TEMPLATE
    )
    assert errors == []
    assert rows[0][1]["account_id"] == "u1"
    assert "备注" not in rows[0][1]
    assert Problem(1, "备注", "", "未识别的列，已忽略") in warnings


def test_read_table_warns_about_missing_optional_columns_and_uses_defaults():
    rows, errors, warnings = _read(
        csv_file([["学号", "组织编码", "角色"], ["u1", "S1", "供稿员"]]), ROLES_TEMPLATE
    )
    assert errors == []
    assert Problem(1, "是否专职", "", "缺少此列，按空值处理") in warnings
    assert rows[0][1]["is_full_time"] is False
    assert rows[0][1]["volunteer_type"] == ""


def test_read_table_accepts_headers_in_any_order():
    forward = _read(csv_file([["学号", "组织编码", "角色"], ["u1", "S1", "供稿员"]]), ROLES_TEMPLATE)[0]
    backward = _read(csv_file([["角色", "组织编码", "学号"], ["供稿员", "S1", "u1"]]), ROLES_TEMPLATE)[0]
    assert forward == backward


def test_read_table_collects_every_error_not_only_the_first():
    table = [
        LEARNER_HEADER,
        ["u1", "张三", "10000000001", "", "S1", "-5", "abc", "0"],
        ["", "李四", "12", "", "S1", "1", "1", ""],
    ]
    _, errors, _ = _read(csv_file(table), LEARNERS_TEMPLATE)
    assert errors == [
        Problem(2, "总积分", "-5", "不能为负数"),
        Problem(2, "年度积分", "abc", "应为整数"),
        Problem(2, "全国总积分排名", "0", "不能小于 1"),
        Problem(3, "学号", "", "不能为空"),
        Problem(3, "手机号", "12", "手机号应为以 1 开头的 11 位数字"),
    ]


def test_read_table_lists_at_most_the_limit_and_counts_the_rest():
    table = [["学号", "组织编码", "角色"], *([["u", "S1", "厨师"]] * 30)]
    reader = read_table(csv_file(table), ROLES_TEMPLATE, limit=10)
    rows = list(reader)
    assert len(rows) == 30
    assert len(reader.errors.listed) == 10
    assert reader.errors.total == 30
    assert reader.errors.omitted == 20


def test_read_table_skips_blank_rows_but_keeps_file_row_numbers():
    table = [["学号", "组织编码", "角色"], ["u1", "S1", "供稿员"], ["", "", ""], [], ["u2", "S1", "审核员"]]
    rows, errors, _ = _read(csv_file(table), ROLES_TEMPLATE)
    assert errors == []
    assert [number for number, _ in rows] == [2, 5]


def test_read_table_xlsx_row_numbers_count_from_the_header():
    rows, _, _ = _read(
        xlsx_file(
            [["学号", "组织编码", "角色"], ["u1", "S1", "供稿员"], [None, None, None], ["u2", "S1", "审核员"]]
        ),
        ROLES_TEMPLATE,
    )
    assert [number for number, _ in rows] == [2, 4]


def test_read_table_reads_numbers_typed_into_xlsx_cells():
    table = [LEARNER_HEADER, [10001, "张三", 10000000001, None, "S1", 30000, 12000.0, None]]
    rows, errors, _ = _read(xlsx_file(table), LEARNERS_TEMPLATE)
    assert errors == []
    values = rows[0][1]
    assert (values["account_id"], values["phone"], values["annual_points"]) == ("10001", "10000000001", 12000)
    assert values["national_total_rank"] is None


def test_read_table_refuses_a_duplicated_header():
    _, errors, _ = _read(csv_file([["学号", "学号", "组织编码", "角色"]]), ROLES_TEMPLATE)
    assert errors == [Problem(1, "学号", "", "列名重复")]


def test_read_table_refuses_an_empty_file():
    assert _read(b"")[1] == [Problem(None, "", "", "文件是空的")]


def test_read_table_refuses_old_xls_files():
    _, errors, _ = _read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert errors == [Problem(None, "", "", "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV")]


def test_read_table_refuses_a_broken_xlsx():
    _, errors, _ = _read(b"PK\x03\x04 not really a zip")
    assert errors == [Problem(None, "", "", "无法读取该 Excel 文件，请确认文件未损坏并另存为 .xlsx")]


def test_read_table_reads_tab_separated_text():
    data = "学号\t组织编码\t角色\nu1\tS1\t供稿员\n".encode()
    rows, errors, _ = _read(data, ROLES_TEMPLATE)
    assert errors == []
    assert rows[0][1]["kind"] == "供稿员"


def test_read_table_reads_a_path_and_leaves_a_callers_stream_open(tmp_path):
    data = csv_file([["学号", "组织编码", "角色"], ["u1", "S1", "供稿员"]], "gbk")
    path = tmp_path / "roles.csv"
    path.write_bytes(data)
    assert len(_read(path, ROLES_TEMPLATE)[0]) == 1
    stream = io.BytesIO(data)
    assert len(_read(stream, ROLES_TEMPLATE)[0]) == 1
    assert not stream.closed


def test_read_table_marks_rows_with_bad_cells_invalid():
    reader = read_table(
        csv_file([LEARNER_HEADER, *LEARNER_ROWS, ["u3", "王五", "", "", "S1", "-1", "0", ""]]),
        LEARNERS_TEMPLATE,
    )
    assert [row.valid for row in reader] == [True, True, False]


def _with_member(xlsx: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one member replaced (or added), compressed as Excel does."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, data)
    return out.getvalue()


def test_read_table_refuses_an_xlsx_that_unpacks_to_millions_of_shared_strings_before_parsing(monkeypatch):
    # 2 million shared strings: 34 MB of XML in a file of some 100 KB (the shape of an XLSX bomb).
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>a</t></si>" * 2_000_000 + b"</sst>"
    bomb = _with_member(xlsx_file([LEARNER_HEADER, *LEARNER_ROWS]), "xl/sharedStrings.xml", strings)
    assert len(bomb) < 300_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)  # refused from the zip's directory alone
    reader = read_table(bomb, LEARNERS_TEMPLATE)
    assert list(reader.errors) == [Problem(None, "", "", XLSX_TOO_LARGE)]


def test_check_xlsx_archive_lets_a_real_workbook_through():
    data = xlsx_file([LEARNER_HEADER, *LEARNER_ROWS * 50])
    check_xlsx_archive(io.BytesIO(data))
    rows, errors, _ = _read(data, LEARNERS_TEMPLATE)
    assert (len(rows), errors) == (100, [])
