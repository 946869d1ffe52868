"""The 审核报送 pages at work: the screening list, picking through the form, the 推荐总表 download,
the sealed scan, submission and reopening."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jixing.audit.models import AuditEvent
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, RecommendationList, SealedScan
from tests.review.screening_world import add_nomination, add_unit, make_world, pdf_upload, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root):
    return make_world()


def _category_url(number=1):
    return reverse("review:screening_category", args=[number])


def _list_url(world, name="list", *extra):
    return reverse(f"review:{name}", args=[world.tree["taiyuan"].pk, *extra])


def _pick_form(nominations, picked, orders=None, reasons=None):
    orders, reasons = orders or {}, reasons or {}
    data = {"row": [n.pk for n in nominations], "pick": [n.pk for n in picked]}
    for n in nominations:
        data[f"order-{n.pk}"] = orders.get(n.pk, "")
        data[f"reason-{n.pk}"] = reasons.get(n.pk, "")
    return data


def _body(response) -> str:
    return response.content.decode()


def _entries():
    return [
        (e.nomination.number, e.position, e.override_reason) for e in ListEntry.objects.order_by("position")
    ]


def test_screening_page_shows_the_units_nominations_in_default_order_with_its_quota(client, world):
    client.force_login(world.users.taiyuan)
    body = _body(client.get(_category_url()))
    positions = [body.index(n.nominee_name + "</b>") for n in world.nominations]
    assert positions == sorted(positions)
    assert "大同学员" not in body
    assert '<span class="muted">名额</span><b>2</b>' in body
    assert "待审核" in body and "需审核人员判断 1 项" in body and "方案条款编号：G.1" in body
    assert reverse("portal:nomination_detail", args=[world.nominations[0].pk]) in body


def test_screening_page_shows_the_recommending_units_reason_for_a_warn_rule(client, world):
    warned = add_nomination(world, add_unit(world, "某中学"), account="X1", name="第二名", total=40000,
                            top_of_unit=False, warn_reason="第一名已调离本单位")  # fmt: skip
    evaluate_campaign(world.campaign)
    client.force_login(world.users.taiyuan)
    body = _body(client.get(_category_url()))
    assert (
        '须书面说明：<q class="plan-quote">推荐候选人原则上为本单位学习组织第一名</q>' in body
        and "推荐理由说明：</b>第一名已调离本单位" in body
    )
    assert f'name="pick" value="{warned.pk}"' in body


def test_screening_page_query_count_is_the_same_for_1_and_3_rows(client, media_root):
    world = make_world(nominations=1)
    client.force_login(world.users.taiyuan)
    client.get(_category_url())  # first visit evaluates

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_category_url()).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(2):
        add_nomination(
            world, add_unit(world, f"新增中学{i}"), account=f"N{i}", name=f"新增{i}", total=9000 + i
        )
    evaluate_campaign(world.campaign)
    assert count() == one


def test_picking_through_the_form_saves_order_and_reasons(client, world):
    first, second, third = world.nominations
    client.force_login(world.users.taiyuan)
    data = _pick_form(world.nominations, [first, second], orders={second.pk: "1", first.pk: "2"},
                      reasons={second.pk: "事迹突出，有新闻报道"})  # fmt: skip
    response = client.post(reverse("review:screening_picks", args=[1]), data)
    assert response.status_code == 302
    assert _entries() == [(second.number, 1, "事迹突出，有新闻报道"), (first.number, 2, "")]


def test_picking_past_the_quota_through_the_form_is_refused_and_keeps_what_was_typed(client, world):
    client.force_login(world.users.taiyuan)
    third = world.nominations[2]
    data = _pick_form(world.nominations, world.nominations, reasons={third.pk: "我写的理由"})
    response = client.post(reverse("review:screening_picks", args=[1]), data)
    body = _body(response)
    assert response.status_code == 200
    assert "还可推荐 2 个，选了 3 个，超出名额" in body
    assert 'value="我写的理由"' in body
    assert ListEntry.objects.count() == 0


def test_returning_through_the_page_needs_a_reason(client, world):
    first = world.nominations[0]
    client.force_login(world.users.taiyuan)
    url = reverse("review:screening_act", args=[first.pk, "return"])
    client.post(url, {"reason": ""})
    assert refresh([first])[0].state == S.SUBMITTED
    client.post(url, {"reason": "请补充新闻报道"})
    assert refresh([first])[0].state == S.RETURNED
    assert AuditEvent.objects.get(action="nomination.return").after["reason"] == "请补充新闻报道"


def test_sheet_download_is_the_recommendation_table_and_an_export_event(client, world):
    first, second, _ = world.nominations
    client.force_login(world.users.taiyuan)
    client.post(reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [first, second]))
    response = client.get(_list_url(world, "list_sheet"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2022年度“学习强国”山西学习之星推荐总表"
    assert rows[1][0] == "报送单位：太原市通讯站"
    assert rows[2][:3] == ("序号", "项目", "姓名/单位名称")
    assert rows[3][0] == "学员标兵（名额 2 个，推荐 2 个）"
    assert rows[4][:7] == (1, "学员标兵", "学员1", "太原市第1中学", "T1", 30000, 28000)
    assert rows[5][:5] == (2, "学员标兵", "学员2", "太原市第2中学", "T2")
    assert any(row[0] == "报送单位（盖章）：" for row in rows)
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.after["rows"]) == (world.users.taiyuan, 2)


def test_scan_upload_through_the_page_refuses_a_file_that_is_not_pdf_or_picture(client, world):
    client.force_login(world.users.taiyuan)
    fake = SimpleUploadedFile(
        "盖章.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(_list_url(world, "list_scan_upload"), {"file": fake}, follow=True)
    assert "文件内容不是允许的类型，“盖章扫描件”只接受图片（JPG、PNG、WebP）、PDF 文件" in _body(response)
    assert SealedScan.objects.count() == 0


def test_scan_download_is_an_attachment_that_is_never_sniffed(client, world):
    client.force_login(world.users.taiyuan)
    client.post(_list_url(world, "list_scan_upload"), {"file": pdf_upload()})
    scan = SealedScan.objects.get()
    response = client.get(_list_url(world, "list_scan", scan.pk))
    assert response["Content-Disposition"].startswith("attachment;")
    assert (response["X-Content-Type-Options"], response["Content-Type"]) == ("nosniff", "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _submit_through_pages(client, world, *picked):
    client.force_login(world.users.taiyuan)
    client.post(reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, list(picked)))
    client.post(_list_url(world, "list_scan_upload"), {"file": pdf_upload()})
    return client.post(_list_url(world, "list_submit"), follow=True)


def test_submitting_through_the_page_sends_the_picks_and_leaves_the_list_read_only(client, world):
    first, second, third = world.nominations
    body = _body(_submit_through_pages(client, world, first, second))
    assert "推荐总表已于" in body and "报送省平台" in body
    assert [n.state for n in refresh(world.nominations)] == [S.RECOMMENDED, S.RECOMMENDED, S.SUBMITTED]
    page = _body(client.get(_category_url()))
    assert "保存推荐名单" not in page and "退回修改…" not in page
    response = client.post(
        reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [third])
    )
    assert "不能再修改" in _body(response)
    assert [e[0] for e in _entries()] == [first.number, second.number]


def test_submitting_without_a_scan_through_the_page_says_why(client, world):
    client.force_login(world.users.taiyuan)
    client.post(
        reverse("review:screening_picks", args=[1]), _pick_form(world.nominations, [world.nominations[0]])
    )
    body = _body(client.post(_list_url(world, "list_submit"), follow=True))
    assert "请先上传盖章的推荐总表扫描件，再报送" in body
    assert refresh(world.nominations)[0].state == S.SUBMITTED


def test_reopen_form_is_shown_to_the_province_only_and_records_the_reason(client, world):
    _submit_through_pages(client, world, world.nominations[0])
    assert "重新开放推荐总表…" not in _body(client.get(_list_url(world)))
    client.force_login(world.users.province)
    assert "重新开放推荐总表…" in _body(client.get(_list_url(world)))
    client.post(_list_url(world, "list_reopen"), {"reason": ""})
    assert RecommendationList.objects.get().state == ListState.SUBMITTED
    body = _body(client.post(_list_url(world, "list_reopen"), {"reason": "名单需调整"}, follow=True))
    rl = RecommendationList.objects.get()
    assert (rl.state, rl.reopen_reason, rl.reopened_by) == (
        ListState.OPEN,
        "名单需调整",
        world.users.province,
    )
    assert "省平台已重新开放：</b>名单需调整" in body
    assert refresh(world.nominations)[0].state == S.SUBMITTED


def test_list_page_lists_the_picks_per_category_with_seats(client, world):
    first, second, _ = world.nominations
    client.force_login(world.users.taiyuan)
    data = _pick_form(world.nominations, [second, first], orders={second.pk: "1", first.pk: "2"},
                      reasons={second.pk: "调整理由甲"})  # fmt: skip
    client.post(reverse("review:screening_picks", args=[1]), data)
    body = _body(client.get(_list_url(world)))
    assert body.index("学员2</a>") < body.index("学员1</a>")
    assert "调整理由：调整理由甲" in body
    assert "list.pick" not in body and "学员标兵 推荐名单" in body  # history in words
