"""Account slips (账号单): each new account's username and initial password, to print and hand over, one
file per reporting unit — an XLSX list and a PDF of slips to cut apart. Fed plain SlipSheets.

The passwords exist in these files only (the platform keeps their hashes): whoever builds them hands the
bytes on and stores nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jixing.documents.cjk import PDF_FONTS, render_pdf
from jixing.tables.formula_safe import new_workbook

HEADERS = ("序号", "所属组织", "组织编码", "角色", "姓名", "用户名", "初始密码")
WIDTHS = (6, 34, 16, 16, 12, 22, 18)
NOTICE = (
    "初始密码仅此一份，平台不保存、不再显示。首次登录后须立即修改密码。"
    "请将账号单交本人，妥善保管，勿通过微信、邮件等转发；遗失时请上级管理员重置密码。"
)

# On each slip (cut apart and handed over): short, since every slip's text is laid out again.
SLIP_NOTICE = "初始密码仅此一份，首次登录后须立即修改；请妥善保管，勿转发。"


@dataclass(frozen=True)
class Slip:
    username: str
    password: str
    full_name: str
    role: str  # its Chinese label
    org_name: str
    org_code: str


@dataclass(frozen=True)
class SlipSheet:
    """The slips of one reporting unit (or of the province's own accounts)."""

    title: str  # the reporting unit's name
    login_url: str
    issued_at: str  # as printed, e.g. 2026-12-05 14:30
    slips: Sequence[Slip]
    notice: str = NOTICE
    slip_notice: str = SLIP_NOTICE


def to_xlsx(sheet: SlipSheet) -> bytes:
    """One sheet: a title, the login address and the notice, then one row per account, passwords in a
    monospace font. Landscape A4, fitted to the page width, the header repeated on every page."""
    book = new_workbook()  # text cells escaped, never formulas
    ws = book.first_sheet()
    ws.title = "账号单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(HEADERS))
    ws.append([f"{sheet.title} 账号单"])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"登录地址：{sheet.login_url}　　生成时间：{sheet.issued_at}"])
    ws.merge_cells(f"A2:{last}2")
    ws.append([sheet.notice])
    ws.merge_cells(f"A3:{last}3")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 32
    ws.append(list(HEADERS))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    mono = Font(name="Consolas", size=12)
    for index, slip in enumerate(sheet.slips, start=1):
        ws.append(
            [index, slip.org_name, slip.org_code, slip.role, slip.full_name, slip.username, slip.password]
        )
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.cell(ws.max_row, 6).font = mono
        ws.cell(ws.max_row, 7).font = mono
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    assert ws.sheet_properties.pageSetUpPr is not None  # openpyxl creates it with the sheet
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(sheet: SlipSheet) -> bytes:
    """The same accounts as slips to cut apart, ten to an A4 page (template documents/account_slips.html)."""
    # Two slips a table row: WeasyPrint lays out a flex or float container of thousands of boxes in time
    # that grows with the square of their number; table rows are laid out one after another.
    rows = [sheet.slips[i : i + 2] for i in range(0, len(sheet.slips), 2)]
    html = render_to_string(
        "documents/account_slips.html", {"sheet": sheet, "rows": rows, "fonts": PDF_FONTS}
    )
    return render_pdf(html)
