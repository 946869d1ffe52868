"""Certificates (荣誉证书, one A4 landscape page per commended person) and the plaque sheet (奖牌, for each
commended unit: the production list as XLSX and the engraving proofs as PDF), fed plain data.

Every certificate and plaque carries its serial number and a QR code of its public verification address.
Speed: WeasyPrint pays ~0.25 s per document whatever its length, so many certificates are laid out as the
pages of one document and split into one PDF per person (`split_pages`, pikepdf). The fonts are subset
per document: a chunk of CHUNK certificates keeps each person's file small (the glyphs of one chunk's
names, not of the whole list's).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import segno
from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jixing.documents.cjk import PDF_FONTS, render_pdf
from jixing.documents.official_list import chinese_date
from jixing.tables.formula_safe import new_workbook

# Certificates laid out per WeasyPrint document (see the module's docstring; benchmarks/certificates.py).
CHUNK = 40
PLAQUE_HEADERS = ("序号", "项目", "单位名称", "刻字内容", "奖牌编号", "核验网址")
PLAQUE_WIDTHS = (6, 14, 30, 60, 18, 50)


@dataclass(frozen=True)
class CertificateData:
    """One certificate or plaque as printed: who, for what, by whom, and where to verify it."""

    serial: str
    holder: str
    unit: str  # a person's unit; empty for a plaque, whose holder is the unit
    category: str
    campaign: str
    issuer: str
    issued_on: date
    verify_url: str

    @property
    def citation(self) -> str:
        """The certificate's sentence: 「在…中表现突出，被评为“学员标兵”。特发此证，以资鼓励。」"""
        return f"在{self.campaign}中表现突出，被评为“{self.category}”。特发此证，以资鼓励。"

    @property
    def engraving(self) -> str:
        """A plaque's text, line by line, as the engraver cuts it."""
        lines = [
            self.holder,
            f"{self.campaign}",
            f"“{self.category}”",
            self.issuer,
            chinese_date(self.issued_on),
        ]
        return "\n".join(line for line in lines if line)


def qr_png_uri(url: str) -> str:
    """The QR code of `url` as a PNG data URI, one pixel per module (error correction M, a quiet zone of 4
    modules): the template scales it up without smoothing (image-rendering: pixelated), so it prints as
    sharp squares. An SVG would cost WeasyPrint ~0.1 s per certificate to parse and draw; this ~nothing."""
    # A fixed mask: choosing the best of eight costs segno ~40 ms per code in pure Python; any mask reads.
    return segno.make_qr(url, error="m", mask=4, boost_error=False).png_data_uri(scale=1, border=4)


def _render(template: str, items: Sequence[CertificateData]) -> bytes:
    html = render_to_string(
        template,
        {
            "items": [(item, qr_png_uri(item.verify_url), chinese_date(item.issued_on)) for item in items],
            "fonts": PDF_FONTS,
        },
    )
    return render_pdf(html)


def certificates_pdf(items: Sequence[CertificateData]) -> bytes:
    """One PDF with one A4 landscape page per certificate, in the order given; fonts embedded and subset."""
    return _render("documents/certificate.html", items)


def split_pages(content: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own (only the resources that page uses are written)."""
    import pikepdf  # here: importing it logs a line, which every `jixing` command would print otherwise

    pages: list[bytes] = []
    with pikepdf.open(io.BytesIO(content)) as whole:
        for page in whole.pages:
            single = pikepdf.new()
            single.pages.append(page)
            out = io.BytesIO()
            single.save(out, compress_streams=True)
            pages.append(out.getvalue())
    return pages


def certificate_files(
    items: Sequence[CertificateData], *, chunk: int = CHUNK
) -> Iterator[tuple[CertificateData, bytes]]:
    """(certificate, its one-page PDF) for each item, in order: rendered `chunk` at a time and split."""
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        yield from zip(part, split_pages(certificates_pdf(part)), strict=True)


def plaques_pdf(items: Sequence[CertificateData]) -> bytes:
    """The plaques' engraving proofs: one A4 landscape page per plaque (text, serial, QR code)."""
    return _render("documents/plaque.html", items)


def plaques_xlsx(items: Sequence[CertificateData], *, title: str) -> bytes:
    """The production list for the engraver: one row per plaque, the engraving's lines in one cell."""
    book = new_workbook()  # text cells escaped, never formulas
    sheet = book.first_sheet()
    sheet.title = "奖牌制作清单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(PLAQUE_HEADERS))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(PLAQUE_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.border = border
    for index, item in enumerate(items, start=1):
        sheet.append([index, item.category, item.holder, item.engraving, item.serial, item.verify_url])
        for cell in sheet[sheet.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for column, width in enumerate(PLAQUE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
