"""The 推荐总表 builder alone: plain data in, an XLSX an office prints and stamps out."""

import io
from datetime import date

from openpyxl import load_workbook

from jixing.documents.recommendation_sheet import (
    HEADERS,
    CategoryBlock,
    RecommendationSheet,
    SheetRow,
    build_recommendation_sheet,
)


def _row(name, **fields):
    values = {"name": name, "unit": "太原市第五中学", "account": "A1", "total_points": 30000, "annual_points": 28000,
              "typed_points": "总 30000 / 年度 28000", "eligibility": "符合条件", "reason": ""}  # fmt: skip
    values.update(fields)
    return SheetRow(**values)


def _sheet(blocks):
    data = RecommendationSheet(title="2022年度“学习强国”山西学习之星推荐总表", reporting_unit="太原市通讯站",
                               made_on=date(2023, 1, 12), blocks=blocks)  # fmt: skip
    return load_workbook(io.BytesIO(build_recommendation_sheet(data))).active


def test_recommendation_sheet_has_title_unit_date_and_the_offices_columns():
    ws = _sheet([CategoryBlock(name="学员标兵", seats=10, rows=[_row("张三")])])
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2022年度“学习强国”山西学习之星推荐总表"
    assert (rows[1][0], rows[1][7]) == ("报送单位：太原市通讯站", "填报日期：2023年1月12日")
    assert rows[2] == HEADERS
    assert rows[3][0] == "学员标兵（名额 10 个，推荐 1 个）"
    assert rows[4] == (
        1,
        "学员标兵",
        "张三",
        "太原市第五中学",
        "A1",
        30000,
        28000,
        "总 30000 / 年度 28000",
        "符合条件",
        None,
    )


def test_recommendation_sheet_groups_by_category_numbering_each_from_one():
    ws = _sheet([
        CategoryBlock(name="学员标兵", seats=2, rows=[_row("甲"), _row("乙")]),
        CategoryBlock(name="模范学习组织", seats=3, rows=[_row("某中学", account="", total_points=None,
                                                             annual_points=None, typed_points="")]),
    ])  # fmt: skip
    rows = list(ws.iter_rows(values_only=True))
    assert [r[:3] for r in rows[3:8]] == [
        ("学员标兵（名额 2 个，推荐 2 个）", None, None),
        (1, "学员标兵", "甲"),
        (2, "学员标兵", "乙"),
        ("模范学习组织（名额 3 个，推荐 1 个）", None, None),
        (1, "模范学习组织", "某中学"),
    ]
    assert rows[8][0] == "合计推荐 3 个"


def test_recommendation_sheet_leaves_room_for_seal_and_signatures_and_prints_landscape():
    ws = _sheet([CategoryBlock(name="学员标兵", seats=1, rows=[_row("张三", reason="第一名已调离")])])
    firsts = [row[0] for row in ws.iter_rows(values_only=True)]
    seal = firsts.index("报送单位（盖章）：") + 1
    assert ws.cell(seal, 7).value == "负责人（签字）："
    assert ws.row_dimensions[seal].height == 110
    assert "填表人：" in firsts and "日期：　　　　年　　月　　日" in firsts
    assert (ws.page_setup.orientation, ws.print_title_rows, ws.freeze_panes) == ("landscape", "$3:$3", "A4")
    assert ws.cell(5, 10).value == "第一名已调离"
