"""The 报名表 as Word and PDF, read back: content, seal place, East Asian fonts, embedded PDF fonts."""

import io

from docx import Document
from docx.oxml.ns import qn

from jixing.documents.application_form import SEAL_PLACE, ApplicationForm, FormRow, to_docx, to_pdf
from tests.documents.pdf_reading import pdf_fonts, pdf_text

FORM = ApplicationForm(
    campaign="2022年度“学习强国”山西学习之星集结活动",
    category="学员标兵",
    number="SX2022-0007",
    name="张三",
    unit="太原市第五中学",
    recommending_unit="太原市第五中学",
    rows=[
        FormRow("申报项目", "学员标兵"),
        FormRow("申报编号", "SX2022-0007"),
        FormRow("姓名", "张三"),
        FormRow("所在单位", "太原市第五中学"),
        FormRow("填报总积分", "52318"),
        FormRow("填报年度积分", "18032"),
    ],
    summary="坚持每日学习。\n带动全校教师参与答题。",
    declarations=["所填信息及所附材料真实、准确"],
)


def _docx(form: ApplicationForm):
    return Document(io.BytesIO(to_docx(form)))


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_docx_holds_the_form_and_the_seal_place():
    text = _docx_text(_docx(FORM))
    for expected in ("学员标兵报名表", "张三", "太原市第五中学", "52318", "18032", "SX2022-0007",
                     "带动全校教师参与答题。", "☑ 所填信息及所附材料真实、准确", "推荐单位意见", SEAL_PLACE,
                     "年　　月　　日"):  # fmt: skip
        assert expected in text, expected


def test_docx_rows_are_label_value_pairs_in_order():
    table = _docx(FORM).tables[0]
    pairs = [(row.cells[0].text, row.cells[1].text) for row in table.rows[: len(FORM.rows)]]
    assert pairs == [(r.label, r.value) for r in FORM.rows]


def test_docx_every_run_and_the_normal_style_set_the_east_asian_font():
    document = _docx(FORM)
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    missing = [r.text for r in runs if r._element.rPr is None or r._element.rPr.rFonts is None
               or not r._element.rPr.rFonts.get(qn("w:eastAsia"))]  # fmt: skip
    normal = document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert (len(runs) > 20, missing, normal) == (True, [], "仿宋")


def test_pdf_text_holds_the_form_and_the_seal_place():
    text = pdf_text(to_pdf(FORM))
    for expected in ("学员标兵报名表", "张三", "太原市第五中学", "52318", "SX2022-0007", "推荐单位意见：", SEAL_PLACE,
                     "年月日", "带动全校教师参与答题。"):  # fmt: skip
        assert expected in text, expected


def test_pdf_embeds_every_font_it_uses_as_a_subset():
    content = to_pdf(FORM)
    fonts = pdf_fonts(content)
    cjk = [name for name in fonts if "CJK" in name]
    # A subset's name carries a six-letter tag (ABCDEF+Noto-Serif-CJK-SC); a whole CJK font is megabytes.
    assert (bool(cjk), all(fonts.values()), all(name[7] == "+" for name in fonts)) == (True, True, True)
    assert len(content) < 2_000_000


def test_pdf_of_a_unit_category_names_the_unit():
    unit_form = ApplicationForm(
        campaign="活动",
        category="模范学习组织",
        number="SX2022-0100",
        name="大同市第二中学",
        unit="大同市第二中学",
        recommending_unit="大同市第二中学",
        rows=[FormRow("单位名称", "大同市第二中学"), FormRow("活动次数", "4")],
        summary="",
    )
    text = pdf_text(to_pdf(unit_form))
    assert (
        "模范学习组织报名表" in text,
        "大同市第二中学" in text,
        "活动次数4" in text,
        "承诺事项" in text,
    ) == (
        True,
        True,
        True,
        False,
    )
