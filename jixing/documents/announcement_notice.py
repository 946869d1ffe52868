"""The 公示 notice, ready to post: title, the intro, the list by category (in the order given: 姓氏笔画),
the working-day window, how to object (the public page and the rules) and the contact; as Word and PDF.
Fed a plain AnnouncementNotice, no database inside."""

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
class AnnouncementNotice:
    """`objection_rules` are the rules of a real-name objection, one sentence each; `contact` the lines
    「联系人：…」 of the campaign's contact (empty when it names none)."""

    campaign: str
    blocks: Sequence[ListBlock]
    starts_on: date
    ends_on: date
    working_days: int
    objection_url: str
    objection_rules: Sequence[str]
    contact: Sequence[str]
    issuer: str
    issued_on: date

    @property
    def title(self) -> str:
        return f"关于{self.campaign}拟表扬对象的公示"

    @property
    def intro(self) -> str:
        return (
            f"根据{self.campaign}工作安排，经各单位推荐、报送单位审核报送、省级汇总审核，拟对以下"
            f"{count_words(self.blocks)}予以通报表扬。现将名单予以公示，接受社会监督。"
            "名单按项目排列，同一项目内按姓氏笔画排序（单位按名称笔画排序），排名不分先后。"
        )

    @property
    def window(self) -> str:
        return (
            f"公示期为{chinese_date(self.starts_on)}至{chinese_date(self.ends_on)}"
            f"（{self.working_days}个工作日）。公示期间，对公示对象如有异议，请以实名方式反映。"
        )

    @property
    def how_to_object(self) -> str:
        return f"反映方式：访问公示页面 {self.objection_url} ，在公示对象后点击“实名反映”填写提交。"


def to_docx(notice: AnnouncementNotice) -> bytes:
    """A Word document: title, intro, the list, the window, how to object, the contact, issuer and date."""
    document = Document()
    prepare_document(document, size=14)
    add_heading(document, notice.title)
    add_text(document, notice.intro)
    add_blocks(document, notice.blocks)
    add_text(document, notice.window)
    add_text(document, notice.how_to_object)
    for rule in notice.objection_rules:
        add_text(document, rule)
    for line in notice.contact:
        add_text(document, line)
    add_signature(document, issuer=notice.issuer, issued_on=notice.issued_on)
    return docx_bytes(document)


def to_pdf(notice: AnnouncementNotice) -> bytes:
    """The same notice as an A4 PDF (documents/announcement_notice.html), fonts embedded."""
    html = render_to_string(
        "documents/announcement_notice.html",
        {
            "notice": notice,
            "sections": numbered(notice.blocks),
            "issued_on": chinese_date(notice.issued_on),
            "fonts": PDF_FONTS,
        },
    )
    return render_pdf(html)
