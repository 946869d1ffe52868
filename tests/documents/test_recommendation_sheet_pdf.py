"""The 推荐总表 as PDF: the same rows as the XLSX, landscape A4, seal place, signature lines and date."""

import io
from datetime import date

from pypdf import PdfReader

from jixing.documents.recommendation_sheet import (
    SEAL_PLACE,
    CategoryBlock,
    RecommendationSheet,
    SheetRow,
    to_pdf,
)
from tests.documents.pdf_reading import pdf_fonts, pdf_text


def _row(name, account, **fields):
    values = {"name": name, "unit": "太原市第五中学", "account": account, "total_points": 30000,
              "annual_points": 28000, "typed_points": "总 30000 / 年度 28000", "eligibility": "符合条件", "reason": ""}  # fmt: skip
    values.update(fields)
    return SheetRow(**values)


SHEET = RecommendationSheet(
    title="2022年度“学习强国”山西学习之星推荐总表", reporting_unit="太原市通讯站", made_on=date(2023, 1, 12),
    blocks=[
        CategoryBlock(name="学员标兵", seats=2, rows=[_row("张三", "T1", reason="第一名已调离"), _row("李四", "T2")]),
        CategoryBlock(name="模范学习组织", seats=3, rows=[_row("清徐县第一中学", "", total_points=None,
                                                             annual_points=None, typed_points="")]),
    ],
)  # fmt: skip


def test_sheet_pdf_is_landscape_a4_with_fonts_embedded():
    content = to_pdf(SHEET)
    page = PdfReader(io.BytesIO(content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    fonts = pdf_fonts(content)
    assert (any("CJK" in name for name in fonts), all(fonts.values())) == (True, True)


def test_sheet_pdf_has_the_rows_of_the_xlsx_in_order_then_seal_signatures_and_date():
    text = pdf_text(to_pdf(SHEET))
    parts = ["2022年度“学习强国”山西学习之星推荐总表", "报送单位：太原市通讯站", "填报日期：2023年1月12日",
             "序号项目姓名/单位名称所在单位学号", "学员标兵（名额2个，推荐2个）", "1学员标兵张三太原市第五中学T13000028000",
             "第一名已调离", "2学员标兵李四太原市第五中学T2", "模范学习组织（名额3个，推荐1个）", "1模范学习组织清徐县第一中学",
             "合计推荐3个", SEAL_PLACE, "填表人（签字）：", "审核人（签字）：", "负责人（签字）：", "日期：年月日"]  # fmt: skip
    positions = [text.find(p) for p in parts]
    assert -1 not in positions and positions == sorted(positions), dict(zip(parts, positions, strict=True))
