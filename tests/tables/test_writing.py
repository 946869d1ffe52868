import io
from decimal import Decimal

from openpyxl import load_workbook

from jixing.tables import (
    LEARNERS_TEMPLATE,
    ORGS_TEMPLATE,
    TEMPLATES,
    Problem,
    format_problem_table,
    read_table,
    template_bytes,
    write_csv,
    write_xlsx,
)


def test_empty_templates_read_back_without_problems():
    for spec in TEMPLATES.values():
        for fmt in ("xlsx", "csv"):
            reader = read_table(template_bytes(spec, fmt), spec)
            assert list(reader) == []
            assert reader.errors.total == 0
            assert reader.warnings.total == 0


def test_xlsx_template_has_headers_first_and_a_guide_sheet():
    book = load_workbook(io.BytesIO(template_bytes(ORGS_TEMPLATE)))
    assert book.sheetnames == ["组织架构", "填写说明"]
    assert [c.value for c in book.worksheets[0][1]] == ORGS_TEMPLATE.headers
    guide = {row[0]: row[1:3] for row in book["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert guide["层级"] == ("必填", "省级、报送单位、县级、单位、部门")
    assert guide["上级组织编码"] == ("必须有此列，可为空", "文本")


def test_csv_template_starts_with_a_bom_for_excel():
    assert template_bytes(LEARNERS_TEMPLATE, "csv").startswith("\ufeff学号,姓名".encode())


def test_rows_written_read_back_equal():
    rows = [
        {"code": "P", "name": "山西省", "parent_code": "", "level": "省级", "is_station": False},
        {"code": "S1", "name": "一中", "parent_code": "P", "level": "单位", "is_station": True,
         "daily_active_rate": Decimal("0.35"), "members": 40},
    ]  # fmt: skip
    for write in (write_xlsx, write_csv):
        buffer = io.BytesIO()
        write(ORGS_TEMPLATE, buffer, rows)
        back = list(read_table(buffer.getvalue(), ORGS_TEMPLATE))
        assert [(r["code"], r["is_station"], r["daily_active_rate"], r["members"]) for r in back] == [
            ("P", False, None, None),
            ("S1", True, Decimal("0.3500"), 40),
        ]


def test_format_problem_table_aligns_chinese_columns():
    table = format_problem_table(
        [Problem(2, "学号", "u1", "学号重复"), Problem(None, "", "", "文件是空的")], omitted=3
    )
    assert table == (
        "行  列    值  原因\n2   学号  u1  学号重复\n—   —         文件是空的\n……另有 3 处错误未列出\n"
    )
