"""The 推荐总表 as PDF through its download: the rows the XLSX has, landscape, seal and signatures, named
like the XLSX, an export event like the XLSX's; a link beside the XLSX one."""

import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState
from tests.documents.pdf_reading import pdf_fonts, pdf_text
from tests.review.screening_world import make_world
from tests.review.test_screening_views import _pick_form

pytestmark = pytest.mark.django_db
TITLE = "2022年度“学习强国”山西学习之星推荐总表"


@pytest.fixture
def world(media_root):
    return make_world()


def _url(world, name):
    return reverse(f"review:{name}", args=[world.tree["taiyuan"].pk])


def test_sheet_pdf_has_the_xlsx_rows_seal_signatures_and_is_an_export_event(client, world):
    first, second, _ = world.nominations
    client.force_login(world.users.taiyuan)
    client.post(reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [second, first]))
    response = client.get(_url(world, "list_sheet_pdf"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == (
        f"attachment; filename=list.pdf; filename*=UTF-8''{quote(f'{TITLE}（太原市通讯站）.pdf')}"
    )
    text = pdf_text(response.content)
    xlsx = load_workbook(io.BytesIO(client.get(_url(world, "list_sheet")).content)).active
    rows = [r for r in xlsx.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    assert [r[2] for r in rows] == ["学员1", "学员2"]  # list order (rank), whatever the order picked
    parts = [TITLE, "报送单位：太原市通讯站", "学员标兵（名额2个，推荐2个）"]
    parts += ["".join(str(v) for v in r[:7]) for r in rows]  # 序号 项目 姓名 单位 学号 总积分 年度积分
    parts += [
        "合计推荐2个",
        "（单位盖章）",
        "填表人（签字）：",
        "审核人（签字）：",
        "负责人（签字）：",
        "日期：年月日",
    ]
    positions = [text.find(p) for p in parts]
    assert -1 not in positions and positions == sorted(positions), dict(zip(parts, positions, strict=True))
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert all(pdf_fonts(response.content).values())
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("seq")
    assert [(e.actor, e.after["format"], e.after["rows"]) for e in events] == [
        (world.users.taiyuan, "pdf", 2),
        (world.users.taiyuan, "xlsx", 2),
    ]


def test_sheet_pdf_of_an_empty_list_sends_back_without_an_event(client, world):
    client.force_login(world.users.taiyuan)
    response = client.get(_url(world, "list_sheet_pdf"))
    assert (response.status_code, response["Location"]) == (302, _url(world, "list"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_list_page_links_the_pdf_beside_the_xlsx_once_there_is_a_valid_list_to_seal(client, world):
    client.force_login(world.users.taiyuan)
    body = client.get(_url(world, "list")).content.decode()
    assert _url(world, "list_sheet") not in body and "还差 2 项" in body  # no picks, no scan
    first, second, _ = world.nominations
    client.post(reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [first, second]))
    body = client.get(_url(world, "list")).content.decode()
    assert _url(world, "list_sheet") in body and _url(world, "list_sheet_pdf") in body
    assert "还差 1 项" in body and "请上传盖章的推荐总表扫描件" in body


def test_a_list_with_a_pick_the_rules_now_refuse_cannot_be_downloaded_for_sealing_or_sent(client, world):
    first, second, third = world.nominations
    client.force_login(world.users.taiyuan)
    client.post(reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [first, second]))
    third.state = NominationState.RECOMMENDED  # a seat taken outside the list: one left for two picks
    third.save()
    response = client.get(_url(world, "list_sheet_pdf"), follow=True)
    assert response.redirect_chain == [(_url(world, "list"), 302)]
    message = [str(m) for m in response.context["messages"]][-1]  # after the picks' own 已保存
    assert message.startswith("推荐名单还有问题，改正后才能下载盖章用的推荐总表：") and "超出名额" in message
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    body = response.content.decode()
    assert _url(world, "list_sheet") not in body and "还差 2 项" in body
    assert re.search(
        r'<button class="btn" type="submit" disabled data-confirm="[^"]*">报送推荐总表</button>', body
    )
