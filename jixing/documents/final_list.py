"""The final commendation list (通报表扬名单) as an XLSX an office can print: fed plain rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jixing.tables.formula_safe import new_workbook

HEADERS = ("序号", "项目", "类别", "姓名／单位名称", "所在单位", "推荐单位", "报送单位", "申报编号")
WIDTHS = (6, 14, 6, 24, 30, 30, 22, 14)


@dataclass(frozen=True)
class FinalListRow:
    category: str
    is_person: bool
    name: str
    unit: str
    recommending_unit: str
    reporting_unit: str
    number: str


def build_final_list(*, title: str, subtitle: str, rows: Sequence[FinalListRow]) -> bytes:
    """One sheet: a title, a subtitle (approval reference, date), a header row and one row per entry,
    in the order given. Landscape A4, fitted to the page width, header repeated on every page."""
    book = new_workbook()  # text cells escaped, never formulas
    sheet = book.first_sheet()
    sheet.title = "通报表扬名单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(HEADERS))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for index, row in enumerate(rows, start=1):
        sheet.append(
            [
                index,
                row.category,
                "个人" if row.is_person else "单位",
                row.name,
                row.unit,
                row.recommending_unit,
                row.reporting_unit,
                row.number,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    assert sheet.sheet_properties.pageSetUpPr is not None  # openpyxl creates it with the sheet
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
