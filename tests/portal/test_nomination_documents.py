"""Downloading a nomination's 报名表 and 承诺书: named as the plan asks, read back, audited, scoped."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.history import nomination_events
from tests.documents.pdf_reading import pdf_fonts, pdf_text
from tests.portal.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(world):
    draft = start(world, user=world.users.school, number=1)
    draft.summary = "坚持每日学习，带动全校教师。"
    draft.typed_total_points, draft.typed_annual_points = 10000, 8000
    draft.declarations = ["pledge", "truthful"]
    draft.save()
    return draft


def _get(client, user, name, nomination):
    client.force_login(user)
    return client.get(reverse(f"portal:{name}", args=[nomination.pk]))


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_form_docx_is_named_as_the_plan_asks_and_holds_the_nomination(client, world, nomination):
    response = _get(client, world.users.school, "nomination_form_docx", nomination)
    text = _docx_text(response.content)
    expected_name = "【学员标兵】张三（清徐县第一中学）.docx"
    assert (response.status_code, response["Content-Type"].startswith("application/vnd.openxmlformats")) == (
        200,
        True,
    )
    assert f"filename*=UTF-8''{quote(expected_name)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    for expected in ("学员标兵报名表", "张三", "A1", "清徐县第一中学", "10000", "8000", nomination.number,
                     "坚持每日学习，带动全校教师。", "（单位盖章）", "太原市通讯站"):  # fmt: skip
        assert expected in text, expected


def test_form_pdf_reads_back_with_embedded_fonts(client, world, nomination):
    response = _get(client, world.users.school, "nomination_form_pdf", nomination)
    text = pdf_text(response.content)
    fonts = pdf_fonts(response.content)
    assert (response["Content-Type"], response.content[:5]) == ("application/pdf", b"%PDF-")
    assert quote("【学员标兵】张三（清徐县第一中学）.pdf") in response["Content-Disposition"]
    assert (
        "学员标兵报名表" in text,
        "张三" in text,
        "（单位盖章）" in text,
        all(fonts.values()),
        bool(fonts),
    ) == (
        True,
        True,
        True,
        True,
        True,
    )


def test_pledge_docx_and_pdf_carry_the_nominee_name_and_g1(client, world, nomination):
    docx = _get(client, world.users.learner, "nomination_pledge_docx", nomination)
    pdf = _get(client, world.users.learner, "nomination_pledge_pdf", nomination)
    text = _docx_text(docx.content)
    assert quote("【学员标兵】张三（清徐县第一中学）-承诺书.docx") in docx["Content-Disposition"]
    assert ("本人张三" in text, "无犯罪记录" in text, "承诺人（签字）" in text) == (True, True, True)
    assert "本人张三，系清徐县第一中学学员" in pdf_text(pdf.content)


def test_each_download_is_an_audit_event_kept_out_of_the_history(client, world, nomination):
    _get(client, world.users.school, "nomination_form_docx", nomination)
    _get(client, world.users.school, "nomination_pledge_pdf", nomination)
    events = AuditEvent.objects.filter(action=AuditAction.NOMINATION_DOCUMENT_DOWNLOAD).order_by("seq")
    assert [(e.actor, e.target_id, e.after["document"], e.after["format"]) for e in events] == [
        (world.users.school, str(nomination.pk), "form", "docx"),
        (world.users.school, str(nomination.pk), "pledge", "pdf"),
    ]
    assert AuditAction.NOMINATION_DOCUMENT_DOWNLOAD not in {e.action for e in nomination_events(nomination)}


def test_a_user_outside_the_subtree_gets_404_and_nothing_is_recorded(client, world, nomination):
    responses = [_get(client, world.users.datong, name, nomination).status_code
                 for name in ("nomination_form_docx", "nomination_form_pdf", "nomination_pledge_docx")]  # fmt: skip
    assert responses == [404, 404, 404]
    assert not AuditEvent.objects.filter(action=AuditAction.NOMINATION_DOCUMENT_DOWNLOAD).exists()


def test_a_unit_category_has_a_form_named_after_the_unit_and_no_pledge(client, world):
    unit_nomination = start(world, user=world.users.school, number=9, learner=None)
    form = _get(client, world.users.school, "nomination_form_docx", unit_nomination)
    pledge = _get(client, world.users.school, "nomination_pledge_docx", unit_nomination)
    assert quote("【模范学习组织】清徐县第一中学（清徐县第一中学）.docx") in form["Content-Disposition"]
    assert ("模范学习组织报名表" in _docx_text(form.content), pledge.status_code) == (True, 404)


def test_detail_page_links_the_documents(client, world, nomination):
    body = _get(client, world.users.school, "nomination_detail", nomination).content.decode()
    for name in (
        "nomination_form_docx",
        "nomination_form_pdf",
        "nomination_pledge_docx",
        "nomination_pledge_pdf",
    ):
        assert reverse(f"portal:{name}", args=[nomination.pk]) in body
