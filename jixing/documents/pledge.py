"""The 承诺书 a person nominee signs (rule G.1), as Word and PDF: the campaign's wording filled with the
nominee's name, a signature line and a date line. Fed a plain Pledge, no database inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jixing.documents.cjk import (
    HEADING_FONT,
    PDF_FONTS,
    docx_bytes,
    prepare_document,
    render_pdf,
    styled_run,
)

SIGNATURE_LINE = "承诺人（签字）："
DATE_LINE = "年　　月　　日"


@dataclass(frozen=True)
class Pledge:
    """`paragraphs` are the pledge's body, the nominee's name already in them (pledge_paragraphs)."""

    campaign: str
    category: str
    name: str
    unit: str
    paragraphs: Sequence[str]
    signature_line: str = SIGNATURE_LINE
    date_line: str = DATE_LINE

    @property
    def title(self) -> str:
        return "承诺书"


def pledge_paragraphs(*, name: str, unit: str, category: str, campaign: str, conditions: str) -> list[str]:
    """The pledge's text: who pledges, the campaign's conditions (G.1's wording) and truthfulness."""
    conditions = conditions.rstrip("。；; ")
    return [
        f"本人{name}，系{unit}学员，参加{campaign}“{category}”项目评选，郑重承诺：",
        f"一、本人{conditions}。",
        "二、本人参加评选使用本人实名认证的学号，所填报的信息及提交的材料真实、准确、完整，如有不实，"
        "本人愿承担相应责任，并同意取消评选资格。",
        "三、本人同意将姓名、单位等信息用于本次评选的审核、公示和表扬。",
    ]


def to_docx(pledge: Pledge) -> bytes:
    """A Word document: title, the paragraphs with a first-line indent, the signature and date lines."""
    document = Document()
    prepare_document(document, size=14)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(heading.add_run(pledge.title), font=HEADING_FONT, size=22, bold=True)
    for text in pledge.paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(28)
        paragraph.paragraph_format.line_spacing = 1.5
        styled_run(paragraph.add_run(text), size=14)
    document.add_paragraph()
    for text in (f"{pledge.signature_line}＿＿＿＿＿＿＿＿", pledge.date_line):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        styled_run(paragraph.add_run(text), size=14)
    return docx_bytes(document)


def to_pdf(pledge: Pledge) -> bytes:
    """The same pledge as an A4 PDF (HTML template documents/pledge.html), fonts embedded."""
    html = render_to_string("documents/pledge.html", {"pledge": pledge, "fonts": PDF_FONTS})
    return render_pdf(html)
