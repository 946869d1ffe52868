"""The 表扬通报, ready to post: title, the decision (with the approval's 批复文号 and date when recorded),
the final list by category (in the order given: 姓氏笔画), the contact for questions, issuer and date; as
Word and PDF. Fed a plain
CommendationNotice, no database inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from docx import Document

from jixing.documents.cjk import PDF_FONTS, docx_bytes, prepare_document, render_pdf
from jixing.documents.official_list import (
    ListBlock,
    add_blocks,
    add_heading,
    add_signature,
    add_text,
    chinese_date,
    count_words,
    numbered,
)


@dataclass(frozen=True)
class CommendationNotice:
    campaign: str
    blocks: Sequence[ListBlock]
    issuer: str
    issued_on: date
    document_ref: str = ""  # 批复文号, when the approval is recorded
    approved_on: date | None = None
    contact: Sequence[str] = ()  # 「联系人：…」 lines of the campaign's contact (none when it names none)

    @property
    def title(self) -> str:
        return f"关于对{self.campaign}先进典型予以通报表扬的通报"

    @property
    def approval(self) -> str:
        """「，并报省委宣传部批复同意（晋宣字〔2023〕5号，2023年2月20日）」, or nothing before approval."""
        if not self.document_ref:
            return ""
        when = f"，{chinese_date(self.approved_on)}" if self.approved_on else ""
        return f"，并报省委宣传部批复同意（{self.document_ref}{when}）"

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return (
            f"{self.campaign}开展以来，各单位广泛发动、认真组织，涌现出一批学习积极、成效突出的先进典型。"
            f"经各单位推荐、报送单位审核报送、省级汇总审核和公示{self.approval}，"
            f"决定对以下{count_words(self.blocks)}予以通报表扬。",
            "希望受到表扬的个人和单位珍惜荣誉、再接再厉，继续发挥示范带动作用。"
            "名单按项目排列，同一项目内按姓氏笔画排序（单位按名称笔画排序），排名不分先后。",
        )


def to_docx(notice: CommendationNotice) -> bytes:
    """A Word document: title, the decision, the list by category, the contact, issuer and date."""
    document = Document()
    prepare_document(document, size=14)
    add_heading(document, notice.title)
    for text in notice.paragraphs:
        add_text(document, text)
    add_blocks(document, notice.blocks)
    for line in notice.contact:
        add_text(document, line)
    add_signature(document, issuer=notice.issuer, issued_on=notice.issued_on)
    return docx_bytes(document)


def to_pdf(notice: CommendationNotice) -> bytes:
    """The same notice as an A4 PDF (documents/commendation_notice.html), fonts embedded."""
    html = render_to_string(
        "documents/commendation_notice.html",
        {
            "notice": notice,
            "sections": numbered(notice.blocks),
            "issued_on": chinese_date(notice.issued_on),
            "fonts": PDF_FONTS,
        },
    )
    return render_pdf(html)
