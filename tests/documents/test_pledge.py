"""The 承诺书 as Word and PDF: the G.1 conditions filled with the nominee's name, a signature line."""

import io

from docx import Document
from docx.oxml.ns import qn

from jixing.documents.pledge import SIGNATURE_LINE, Pledge, pledge_paragraphs, to_docx, to_pdf
from tests.documents.pdf_reading import pdf_fonts, pdf_text

CONDITIONS = (
    "具有中华人民共和国国籍，享有中国公民政治权利，无犯罪记录，拥护中国共产党的领导，遵纪守法，品行良好"
)
PLEDGE = Pledge(
    campaign="2022年度“学习强国”山西学习之星集结活动",
    category="优秀学员",
    name="李四",
    unit="清徐县第一中学",
    paragraphs=pledge_paragraphs(
        name="李四",
        unit="清徐县第一中学",
        category="优秀学员",
        campaign="2022年度活动",
        conditions=CONDITIONS,
    ),
)


def test_pledge_paragraphs_name_the_nominee_and_the_conditions():
    first, conditions = PLEDGE.paragraphs[:2]
    assert (first.startswith("本人李四，系清徐县第一中学学员"), "“优秀学员”" in first, conditions) == (
        True,
        True,
        f"一、本人{CONDITIONS}。",
    )


def test_pledge_docx_is_filled_signable_and_sets_the_east_asian_font():
    document = Document(io.BytesIO(to_docx(PLEDGE)))
    text = "\n".join(p.text for p in document.paragraphs)
    runs = [r for p in document.paragraphs for r in p.runs]
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs}
    assert (document.paragraphs[0].text, "本人李四" in text, CONDITIONS in text, SIGNATURE_LINE in text) == (
        "承诺书",
        True,
        True,
        True,
    )
    assert ("年　　月　　日" in text, fonts <= {"宋体", "仿宋"}, None in fonts) == (True, True, False)


def test_pledge_pdf_text_and_embedded_fonts():
    content = to_pdf(PLEDGE)
    text = pdf_text(content)
    assert ("承诺书" in text, "本人李四，系清徐县第一中学学员" in text, "无犯罪记录" in text) == (
        True,
        True,
        True,
    )
    assert ("承诺人（签字）：" in text, "年月日" in text) == (True, True)
    fonts = pdf_fonts(content)
    assert (any("CJK" in name for name in fonts), all(fonts.values())) == (True, True)
