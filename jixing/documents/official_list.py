"""What the 公示 notice and the 表扬通报 share: a list grouped by category, already in official order
(姓氏笔画, ordered by the caller), as Word tables and as the PDF template's include
(documents/_official_list.html); the notices' paragraphs and signature block in Word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jixing.documents.cjk import HEADING_FONT, styled_run

DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class ListEntry:
    name: str
    unit: str  # empty for a unit category, whose name is the entry


@dataclass(frozen=True)
class ListBlock:
    """One category of the list: its entries in the order they are printed."""

    category: str
    is_person: bool
    entries: Sequence[ListEntry]

    @property
    def heading(self) -> str:
        return f"{self.category}（{len(self.entries)}{'名' if self.is_person else '个'}）"

    @property
    def headers(self) -> tuple[str, ...]:
        return ("序号", "姓名", "所在单位") if self.is_person else ("序号", "单位名称")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99): the numbering of a notice's sections."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{DIGITS[tens]}十")
    return head + (DIGITS[ones] if ones else "")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def numbered(blocks: Sequence[ListBlock]) -> list[tuple[str, ListBlock]]:
    """(「一」, block), (「二」, block) …: the sections as the PDF templates print them."""
    return [(chinese_number(i), block) for i, block in enumerate(blocks, start=1)]


def count_words(blocks: Sequence[ListBlock]) -> str:
    """「3名个人和1个单位」, 「3名个人」 or 「1个单位」: how many the list names."""
    people = sum(len(b.entries) for b in blocks if b.is_person)
    units = sum(len(b.entries) for b in blocks if not b.is_person)
    parts = ([f"{people}名个人"] if people else []) + ([f"{units}个单位"] if units else [])
    return "和".join(parts) or "0项"


def add_heading(document: DocxDocument, text: str, *, size: float = 20) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    styled_run(paragraph.add_run(text), font=HEADING_FONT, size=size, bold=True)


def add_text(document: DocxDocument, text: str, *, indent: bool = True, bold: bool = False) -> None:
    """A body paragraph, first line indented two characters as official documents are."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(28)
    paragraph.paragraph_format.line_spacing = 1.5
    styled_run(paragraph.add_run(text), bold=bold)


def add_blocks(document: DocxDocument, blocks: Sequence[ListBlock]) -> None:
    """Each category: 「一、学员标兵（3名）」 and a table numbered from 1."""
    for number, block in numbered(blocks):
        add_text(document, f"{number}、{block.heading}", bold=True)
        table = document.add_table(rows=1, cols=len(block.headers))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
            styled_run(cell.paragraphs[0].add_run(text), bold=True, size=12)
        for index, entry in enumerate(block.entries, start=1):
            values = (str(index), entry.name, entry.unit) if block.is_person else (str(index), entry.name)
            for cell, text in zip(table.add_row().cells, values, strict=True):
                styled_run(cell.paragraphs[0].add_run(text), size=12)
        document.add_paragraph()


def add_signature(document: DocxDocument, *, issuer: str, issued_on: date) -> None:
    """The issuer and the date, right-aligned, where the seal goes."""
    document.add_paragraph()
    for text in (issuer, chinese_date(issued_on)):
        if text:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            styled_run(paragraph.add_run(text))
