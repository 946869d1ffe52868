"""A reporting unit's 推荐总表 as an XLSX an office prints, stamps and signs: fed plain data.

One sheet, grouped by category (a heading row per category with its seats), so the whole table is
printed and stamped as one document. Landscape A4, fitted to the page width, headers repeated on every
page, and at the bottom the places for the seal (盖章), the signatures and the date. The same rows as a
PDF (to_pdf, template documents/recommendation_sheet.html) for an office that prints without Excel.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jixing.documents.cjk import PDF_FONTS, render_pdf
from jixing.tables.formula_safe import new_workbook

HEADERS = (
    "序号",
    "项目",
    "姓名/单位名称",
    "所在单位",
    "学号",
    "总积分（基准）",
    "年度积分（基准）",
    "填报积分",
    "资格判定",
    "推荐理由说明",
)
WIDTHS = (6, 12, 16, 26, 14, 10, 10, 16, 26, 40)
FONT = "宋体"  # what Chinese offices' printers and WPS expect
# The PDF's places for the seal and the handwritten lines.
SEAL_PLACE = "（单位盖章）"
SIGNATURES = ("填表人（签字）：", "审核人（签字）：", "负责人（签字）：", "联系电话：")
DATE_LINE = "年　　月　　日"


@dataclass(frozen=True)
class SheetRow:
    name: str
    unit: str
    account: str
    total_points: int | None
    annual_points: int | None
    typed_points: str
    eligibility: str
    reason: str


@dataclass(frozen=True)
class CategoryBlock:
    name: str
    seats: int
    rows: Sequence[SheetRow]


@dataclass(frozen=True)
class RecommendationSheet:
    title: str
    reporting_unit: str
    made_on: date
    blocks: Sequence[CategoryBlock]

    @property
    def total(self) -> int:
        return sum(len(block.rows) for block in self.blocks)


def build_recommendation_sheet(sheet: RecommendationSheet) -> bytes:
    """The XLSX bytes of `sheet`: title, unit and date, one block per category, seal and signatures."""
    book = new_workbook()  # text cells escaped, never formulas
    ws = book.first_sheet()
    ws.title = "推荐总表"
    width = len(HEADERS)
    last = get_column_letter(width)
    thin = Side(style="thin", color="666666")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain = Font(name=FONT, size=11)

    ws.append([sheet.title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.append(
        [f"报送单位：{sheet.reporting_unit}"] + [""] * 6 + [f"填报日期：{_chinese_date(sheet.made_on)}"]
    )
    ws.merge_cells("A2:G2")
    ws.merge_cells(f"H2:{last}2")
    ws["A2"].font = ws["H2"].font = plain
    ws["H2"].alignment = Alignment(horizontal="right")
    ws.append(list(HEADERS))
    for cell in ws[3]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.border = border
    total = 0
    for block in sheet.blocks:
        ws.append([f"{block.name}（名额 {block.seats} 个，推荐 {len(block.rows)} 个）"])
        row = ws.max_row
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.cell(row, 1).font = Font(name=FONT, size=11, bold=True)
        for column in range(1, width + 1):
            ws.cell(row, column).border = border
        for index, item in enumerate(block.rows, start=1):
            ws.append(
                [
                    index,
                    block.name,
                    item.name,
                    item.unit,
                    item.account,
                    item.total_points,
                    item.annual_points,
                    item.typed_points,
                    item.eligibility,
                    item.reason,
                ]
            )
            for cell in ws[ws.max_row]:
                cell.font = plain
                cell.border = border
                cell.alignment = Alignment(vertical="center", wrap_text=True)
        total += len(block.rows)
    ws.append([f"合计推荐 {total} 个"])
    ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
    ws.cell(ws.max_row, 1).font = plain
    _signature_block(ws, last, plain)
    for column, size in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = size
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    assert ws.sheet_properties.pageSetUpPr is not None  # openpyxl creates it with the sheet
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _signature_block(ws, last: str, font: Font) -> None:
    """Room for the seal (a tall cell: a round seal is about 4 cm) and the handwritten lines."""
    ws.append([])
    ws.append(["报送单位（盖章）："] + [""] * 5 + ["负责人（签字）："])
    seal_row = ws.max_row
    ws.merge_cells(f"A{seal_row}:F{seal_row}")
    ws.merge_cells(f"G{seal_row}:{last}{seal_row}")
    ws.row_dimensions[seal_row].height = 110
    ws.append(["填表人："] + [""] * 5 + ["联系电话："])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    ws.merge_cells(f"G{ws.max_row}:{last}{ws.max_row}")
    ws.append(["日期：　　　　年　　月　　日"])
    ws.merge_cells(f"A{ws.max_row}:{last}{ws.max_row}")
    for row in range(seal_row, ws.max_row + 1):
        for cell in ws[row]:
            cell.font = font
            cell.alignment = Alignment(vertical="top")


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def to_pdf(sheet: RecommendationSheet) -> bytes:
    """The same table as a landscape A4 PDF: title, unit and date, the header repeated on every page,
    one block per category, the total, then the seal place, the signature lines and the date. Fonts
    embedded."""
    html = render_to_string(
        "documents/recommendation_sheet.html",
        {
            "sheet": sheet,
            "headers": HEADERS,
            "made_on": _chinese_date(sheet.made_on),
            "seal_place": SEAL_PLACE,
            "signatures": SIGNATURES,
            "date_line": DATE_LINE,
            "fonts": PDF_FONTS,
        },
    )
    return render_pdf(html)
