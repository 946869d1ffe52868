"""The campaign's statistics as an XLSX (统计表): fed plain rows, one per reporting unit and category."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jixing.tables.formula_safe import new_workbook

HEADERS = ("报送单位", "项目", "草稿", "申报数", "符合条件", "已报送", "名额", "名额使用", "拟入选", "已表扬")
WIDTHS = (24, 16, 8, 8, 10, 8, 8, 10, 8, 8)


@dataclass(frozen=True)
class StatisticsRow:
    unit: str
    category: str
    drafts: int
    nominated: int
    eligible: int
    submitted: int
    seats: int
    quota_use: int | None  # whole percent; None without seats
    selected: int
    commended: int
    is_total: bool = False  # a 小计/合计 row, written in bold


def build_statistics_sheet(*, title: str, subtitle: str, rows: Sequence[StatisticsRow]) -> bytes:
    """One sheet: a title, a subtitle (as of when), the header row and the rows in the order given.
    Figures are numbers (名额使用 a percentage cell), so the office can sum and chart them."""
    book = new_workbook()  # text cells escaped, never formulas
    sheet = book.first_sheet()
    sheet.title = "统计"
    last = get_column_letter(len(HEADERS))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        use = None if row.quota_use is None else row.quota_use / 100
        sheet.append(
            [
                row.unit,
                row.category,
                row.drafts,
                row.nominated,
                row.eligible,
                row.submitted,
                row.seats,
                use,
                row.selected,
                row.commended,
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "0%"
        if row.is_total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
