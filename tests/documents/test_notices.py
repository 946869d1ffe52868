"""The 公示 notice and the 表扬通报 builders alone: plain data in, Word and PDF out, read back."""

import io
from datetime import date

from docx import Document
from docx.oxml.ns import qn

from jixing.documents import announcement_notice, commendation_notice
from jixing.documents.announcement_notice import AnnouncementNotice
from jixing.documents.commendation_notice import CommendationNotice
from jixing.documents.official_list import ListBlock, ListEntry, chinese_number, count_words
from tests.documents.pdf_reading import pdf_fonts, pdf_text

CAMPAIGN = "2022年度“学习强国”山西学习之星集结活动"
BLOCKS = [
    ListBlock("学员标兵", True, [ListEntry("王五", "大同市第二中学"), ListEntry("欧阳明", "清徐县第一中学")]),
    ListBlock("模范学习组织", False, [ListEntry("太原市第五中学", "")]),
]
NOTICE = AnnouncementNotice(
    campaign=CAMPAIGN, blocks=BLOCKS, starts_on=date(2023, 1, 20), ends_on=date(2023, 2, 3), working_days=5,
    objection_url="https://jixing.example.cn/public/", objection_rules=["实名反映须填写真实姓名和联系电话。"],
    contact=["联系人：周老师", "联系电话：0351-0000000"], issuer="省委教育工委", issued_on=date(2023, 1, 20),
)  # fmt: skip
COMMENDATION = CommendationNotice(
    campaign=CAMPAIGN, blocks=BLOCKS, issuer="省委教育工委", issued_on=date(2023, 2, 20),
    document_ref="晋宣批〔2023〕5号", approved_on=date(2023, 2, 3),
)  # fmt: skip


def _docx(content: bytes):
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs}
    return document, text, tables, fonts


def test_chinese_numbers_and_counts_name_sections_and_totals():
    assert [chinese_number(n) for n in (1, 9, 10, 12, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十二",
        "二十",
        "二十一",
        "九十九",
    ]
    assert (count_words(BLOCKS), count_words(BLOCKS[:1]), count_words(BLOCKS[1:])) == (
        "2名个人和1个单位", "2名个人", "1个单位",
    )  # fmt: skip


def test_announcement_notice_docx_has_the_list_window_objection_rules_contact_and_fonts():
    document, text, tables, fonts = _docx(announcement_notice.to_docx(NOTICE))
    assert document.paragraphs[0].text == f"关于{CAMPAIGN}拟表扬对象的公示"
    assert tables == [
        [["序号", "姓名", "所在单位"], ["1", "王五", "大同市第二中学"], ["2", "欧阳明", "清徐县第一中学"]],
        [["序号", "单位名称"], ["1", "太原市第五中学"]],
    ]
    assert "一、学员标兵（2名）" in text and "二、模范学习组织（1个）" in text
    assert "拟对以下2名个人和1个单位予以通报表扬" in text
    assert "公示期为2023年1月20日至2023年2月3日（5个工作日）" in text
    assert "https://jixing.example.cn/public/" in text and "实名反映须填写真实姓名和联系电话。" in text
    assert "联系人：周老师" in text and "联系电话：0351-0000000" in text
    assert text.rstrip().endswith("省委教育工委\n2023年1月20日")
    assert (fonts <= {"宋体", "仿宋"}, None in fonts) == (True, False)


def test_announcement_notice_pdf_text_in_order_and_fonts_embedded():
    content = announcement_notice.to_pdf(NOTICE)
    text = pdf_text(content)
    parts = ["拟表扬对象的公示", "一、学员标兵（2名）", "王五", "欧阳明", "二、模范学习组织（1个）", "太原市第五中学",
             "公示期为2023年1月20日至2023年2月3日（5个工作日）", "https://jixing.example.cn/public/",
             "实名反映须填写真实姓名和联系电话。", "联系人：周老师", "省委教育工委2023年1月20日"]  # fmt: skip
    positions = [text.find(p) for p in parts]
    assert -1 not in positions and positions == sorted(positions), dict(zip(parts, positions, strict=True))
    fonts = pdf_fonts(content)
    assert (any("CJK" in name for name in fonts), all(fonts.values())) == (True, True)


def test_commendation_notice_names_the_approval_and_lists_by_category():
    document, text, tables, fonts = _docx(commendation_notice.to_docx(COMMENDATION))
    assert document.paragraphs[0].text == f"关于对{CAMPAIGN}先进典型予以通报表扬的通报"
    assert (
        "并报省委宣传部批复同意（晋宣批〔2023〕5号，2023年2月3日），决定对以下2名个人和1个单位予以通报表扬"
        in text
    )
    assert [row[1] for row in tables[0][1:]] == ["王五", "欧阳明"]
    assert text.rstrip().endswith("省委教育工委\n2023年2月20日")
    assert None not in fonts


def test_commendation_notice_without_approval_says_nothing_of_one():
    unapproved = CommendationNotice(
        campaign=CAMPAIGN, blocks=BLOCKS[:1], issuer="", issued_on=date(2023, 2, 20)
    )
    text = pdf_text(commendation_notice.to_pdf(unapproved))
    assert ("批复" in text, "审核和公示，决定对以下2名个人予以通报表扬" in text, text.endswith("2023年2月20日")) == (
        False, True, True,
    )  # fmt: skip


def test_commendation_notice_pdf_fonts_are_embedded_and_subset():
    content = commendation_notice.to_pdf(COMMENDATION)
    fonts = pdf_fonts(content)
    # A subset font's name carries a six-letter tag (ABCDEF+Noto…); the whole CJK font would be ~20 MB.
    assert (all(fonts.values()), all("+" in name for name in fonts), len(content) < 2_000_000) == (
        True,
        True,
        True,
    )
    assert "晋宣批〔2023〕5号" in pdf_text(content)
