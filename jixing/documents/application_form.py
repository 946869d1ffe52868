"""The 报名表 of one nomination, as Word (editable) and PDF, with the recommending unit's seal place and a
date line for the stamp: fed a plain ApplicationForm, no database inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
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

SEAL_PLACE = "（单位盖章）"
DATE_LINE = "年　　月　　日"
LABEL_WIDTH, VALUE_WIDTH = Pt(110), Pt(341)


@dataclass(frozen=True)
class FormRow:
    label: str
    value: str


@dataclass(frozen=True)
class ApplicationForm:
    """What the form shows. `rows` are the category's fields in order (申报编号, 姓名, 学号, 积分 …);
    `declarations` the 承诺事项 ticked on the form; the seal block names the recommending unit."""

    campaign: str
    category: str
    number: str
    name: str
    unit: str
    recommending_unit: str
    rows: Sequence[FormRow]
    summary: str
    summary_label: str = "事迹简介"
    declarations: Sequence[str] = field(default_factory=tuple)
    seal_place: str = SEAL_PLACE
    date_line: str = DATE_LINE

    @property
    def title(self) -> str:
        return f"{self.category}报名表"


def to_docx(form: ApplicationForm) -> bytes:
    """A Word document: title, a two-column table of the rows, the summary, the declarations, and the
    recommending unit's opinion with the seal place and the date line. Every run has its East Asian font."""
    document = Document()
    prepare_document(document, size=12)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(heading.add_run(form.campaign), font=HEADING_FONT, size=12)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(title.add_run(form.title), font=HEADING_FONT, size=20, bold=True)

    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in form.rows:
        _table_row(table, row.label, row.value)
    _table_row(table, form.summary_label, form.summary or "")
    if form.declarations:
        _table_row(table, "承诺事项", "\n".join(f"☑ {text}" for text in form.declarations))
    opinion = table.add_row().cells
    merged = opinion[0].merge(opinion[1])
    first = merged.paragraphs[0]
    styled_run(first.add_run("推荐单位意见："), bold=True)
    for text, align in (
        ("", None),
        (form.recommending_unit, WD_ALIGN_PARAGRAPH.RIGHT),
        (form.seal_place, WD_ALIGN_PARAGRAPH.RIGHT),
        (form.date_line, WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        paragraph = merged.add_paragraph()
        paragraph.alignment = align
        styled_run(paragraph.add_run(text))
    return docx_bytes(document)


def _table_row(table, label: str, value: str) -> None:
    cells = table.add_row().cells
    cells[0].width, cells[1].width = LABEL_WIDTH, VALUE_WIDTH
    styled_run(cells[0].paragraphs[0].add_run(label), bold=True)
    lines = value.split("\n") if value else [""]
    styled_run(cells[1].paragraphs[0].add_run(lines[0]))
    for line in lines[1:]:
        styled_run(cells[1].add_paragraph().add_run(line))


def to_pdf(form: ApplicationForm) -> bytes:
    """The same form as an A4 PDF (HTML template documents/application_form.html), fonts embedded."""
    html = render_to_string("documents/application_form.html", {"form": form, "fonts": PDF_FONTS})
    return render_pdf(html)
