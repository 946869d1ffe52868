"""The province's 汇总公示 pages: what they show and what their forms do."""

import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.announcements.models import Announcement, Objection
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import build_world, evaluated, listed
from tests.portal.conftest import open_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    world = build_world()
    open_phase(world.campaign, "announce")
    client.force_login(world.users.province)
    return world


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_lists_show_points_side_by_side_and_quota(client, world):
    n = listed(world, "A1", typed_annual_points=8100)
    evaluated(world, n)
    body = client.get(reverse("review:province_lists") + "?category=1").content.decode()
    assert "名额 10 · 已报送 1 · 拟入选 0" in body
    assert '<td class="num ">10000 / 10000</td>' in body
    assert '<td class="num mismatch">8100 / 8000' in body
    assert "积分核对：原则上不符" in body
    assert reverse("portal:nomination_detail", args=[n.pk]) in body


def test_lists_show_one_award_conflict_and_its_resolution(client, world):
    first, second = listed(world, "A1"), listed(world, "A1", category=2)
    evaluated(world, first, second)
    body = client.get(reverse("review:province_lists")).content.decode()
    assert '一人多项（<q class="plan-quote">1名学员只能获得1项表扬</q>）' in body and "待选定其中一项" in body
    response = client.post(reverse("review:province_select"), {"only": f"select:{first.pk}", "category": "1"})
    assert response["Location"] == reverse("review:province_lists") + "?category=1&unit=&state="
    body = client.get(reverse("review:province_lists")).content.decode()
    assert "已选定“学员标兵”" in body
    assert "一人多项：不符合：已在他项入选" in body


def test_bulk_select_moves_every_ticked_nomination(client, world):
    a, b = listed(world, "A1"), listed(world, "D1", org="datong_school")
    evaluated(world, a, b)
    response = client.post(
        reverse("review:province_select"), {"action": "select", "ids": [a.pk, b.pk]}, follow=True
    )
    assert _messages(response) == ["已将 2 项设为“拟入选”"]
    assert evaluated(world, a, b) and [a.state, b.state] == [S.SELECTED, S.SELECTED]


def test_bulk_select_without_ticks_says_so(client, world):
    response = client.post(reverse("review:province_select"), {"action": "select"}, follow=True)
    assert _messages(response) == ["请先勾选要处理的申报"]


def test_publication_page_previews_the_window_and_publishes(client, world):
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    body = client.get(reverse("review:province_publication")).content.decode()
    assert "拟入选 1 项" in body and "个工作日" in body
    response = client.post(reverse("review:province_publication"), {}, follow=True)
    announcement = Announcement.objects.get()
    assert _messages(response) == [
        f"已发布公示 1 项，公示期 {announcement.starts_on:%Y年%m月%d日}至 {announcement.ends_on:%Y年%m月%d日}"
    ]
    n.refresh_from_db()
    assert n.state == S.PUBLISHED


def test_publication_refusal_is_shown_as_a_message(client, world):
    response = client.post(reverse("review:province_publication"), {}, follow=True)
    assert _messages(response) == ["没有拟入选的申报，无法发布公示。请先在名单核对中选定拟入选对象。"]


def _objection(world):
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    entry = publish(campaign=world.campaign, actor=world.users.province).entries.get()
    return submit_objection(entry=entry, name="赵六", phone="13900000000", content="积分有误")


def test_objections_page_lists_pending_objections_with_the_objector(client, world):
    objection = _objection(world)
    body = client.get(reverse("review:province_objections")).content.decode()
    assert "待处理 1 条" in body
    assert "赵六 · 13900000000" in body and "积分有误" in body and objection.receipt in body


def test_upheld_objection_through_the_page_withdraws_the_nomination(client, world):
    objection = _objection(world)
    url = reverse("review:province_objection_handle", args=[objection.pk])
    response = client.post(url, {"outcome": "upheld", "note": "查实"}, follow=True)
    assert _messages(response) == [f"异议 {objection.receipt} 已处理：异议成立，撤销入选"]
    objection.refresh_from_db()
    objection.nomination.refresh_from_db()
    assert (objection.outcome, objection.note, objection.nomination.state) == ("upheld", "查实", S.WITHDRAWN)


def test_objection_handling_without_note_is_refused(client, world):
    objection = _objection(world)
    url = reverse("review:province_objection_handle", args=[objection.pk])
    response = client.post(url, {"outcome": "dismissed", "note": ""}, follow=True)
    assert _messages(response) == ["请选择处理结果并填写核查情况"]
    assert Objection.objects.get().outcome == "pending"


def test_nomination_page_shows_objections_and_their_outcome_to_the_province(client, world):
    objection = _objection(world)
    client.post(
        reverse("review:province_objection_handle", args=[objection.pk]),
        {"outcome": "dismissed", "note": "无误"},
    )
    body = client.get(reverse("portal:nomination_detail", args=[objection.nomination_id])).content.decode()
    assert "公示异议" in body and "积分有误" in body and "异议不成立，维持入选" in body and "无误" in body
    assert "收到实名反映" in body and "异议处理" in body


def test_nomination_page_hides_the_objector_from_the_unit(client, world):
    objection = _objection(world)
    client.force_login(world.users.school)
    body = client.get(reverse("portal:nomination_detail", args=[objection.nomination_id])).content.decode()
    assert "收到实名反映" in body
    assert "赵六" not in body and "13900000000" not in body and "积分有误" not in body


def test_approval_page_lists_what_blocks_it(client, world):
    _objection(world)
    body = client.get(reverse("review:province_approval")).content.decode()
    assert "尚未结束" in body and "还有 1 条公示异议未处理" in body


def test_commendation_outside_its_phase_is_refused_with_a_message(client, world):
    response = client.post(reverse("review:province_commendation"), follow=True)
    (message,) = _messages(response)
    assert re.fullmatch(
        r"“通报表扬”只能在“通报表扬”阶段（\d{4}-\d\d-\d\d \d\d:\d\d 至 \d{4}-\d\d-\d\d \d\d:\d\d）进行，当前为：汇总公示",
        message,
    )


def test_commendation_page_has_the_final_list_export_and_the_certificates_place(client, world):
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    publish(campaign=world.campaign, actor=world.users.province)
    n.refresh_from_db()
    n.state = S.COMMENDED  # the steps in between are tested in tests/announcements
    n.save(update_fields=["state"])
    body = client.get(reverse("review:province_commendation")).content.decode()
    assert '通报表扬名单 <span class="muted">1 项</span>' in body and 'id="certificates"' in body
    response = client.get(reverse("review:province_final_export"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["D4"].value == "张三"
    assert AuditEvent.objects.filter(action="export.final_list").count() == 1


def test_phase_extension_with_a_reason_is_recorded(client, world):
    phase = world.campaign.phases.get(key="announce")
    new_end = timezone.localtime(phase.ends_at + timedelta(days=3)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("review:province_phase_extend", args=[phase.pk]),
        {"ends_at": new_end.strftime("%Y-%m-%dT%H:%M"), "reason": "春节顺延"},
        follow=True,
    )
    assert _messages(response) == [f"已将“汇总公示”延长至 {new_end:%Y-%m-%d %H:%M}"]
    phase.refresh_from_db()
    assert phase.ends_at == new_end
    assert AuditEvent.objects.get(action="phase.extend").after["reason"] == "春节顺延"
    assert "春节顺延" in client.get(reverse("review:province_phases")).content.decode()


def test_phase_extension_without_a_reason_changes_nothing(client, world):
    phase = world.campaign.phases.get(key="announce")
    before = phase.ends_at
    response = client.post(
        reverse("review:province_phase_extend", args=[phase.pk]),
        {"ends_at": "2099-01-01T10:00", "reason": ""},
        follow=True,
    )
    assert _messages(response) == ["未延长“汇总公示”：延长理由：这个字段是必填项。"]
    phase.refresh_from_db()
    assert phase.ends_at == before
    ensure_fresh(world.campaign)  # nothing else is stale either


def test_publication_page_flags_what_cannot_be_published_and_deselects_it(client, world):
    staff = listed(world, "A2", state=S.SELECTED)
    world.learners["A2"].is_platform_staff = True  # G.4 fails
    world.learners["A2"].save()
    evaluated(world, staff)
    body = client.get(reverse("review:province_publication")).content.decode()
    assert f"{staff.number} 李四：资格审核结果为“有不符合的条件”，不能公示。请先将其设为不入选。" in body
    response = client.post(
        reverse("review:province_select"), {"only": f"deselect:{staff.pk}", "next": "publication"}
    )
    assert response["Location"] == reverse("review:province_publication")
    staff.refresh_from_db()
    assert staff.state == S.NOT_SELECTED


def test_nomination_page_offers_no_single_publish_or_approval(client, world):
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    body = client.get(reverse("portal:nomination_detail", args=[n.pk])).content.decode()
    assert 'value="publish"' not in body and 'value="deselect"' in body
    response = client.post(reverse("portal:nomination_act", args=[n.pk]), {"action": "publish"}, follow=True)
    assert _messages(response) == [
        "“公示”对全部拟入选申报一起发布，不能单独公示一个申报：请在“汇总公示 · 发布公示”页面发布"
    ]
    n.refresh_from_db()
    assert n.state == S.SELECTED


def test_publication_page_previews_the_window_of_a_chosen_start_day(client, world):
    body = client.get(reverse("review:province_publication") + "?starts_on=2026-09-30").content.decode()
    # National Day 2026: 10.1–10.7 off; 10.8, 10.9, 10.10 (a make-up Saturday), 10.12, 10.13.
    assert "自 <b>2026年9月30日</b> 起，<b>5</b> 个工作日，至 <b>2026年10月13日</b> 24时止" in body


def _confirmations(body: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'data-confirm="([^"]*)"', body)]


def test_irreversible_province_actions_ask_first_with_counts_and_consequences(client, world):
    # The question (confirm.js asks it before the form is sent) is written by the page: what will happen,
    # to how many, and that it cannot be undone.
    n = listed(world, "A1", state=S.SELECTED)
    evaluated(world, n)
    [publish_question] = _confirmations(client.get(reverse("review:province_publication")).content.decode())
    assert "拟入选的 1 项将在公开页面公示" in publish_question and "发布后不能撤回" in publish_question
    entry = publish(campaign=world.campaign, actor=world.users.province).entries.get()
    submit_objection(entry=entry, name="赵六", phone="13900000000", content="积分有误")
    questions = _confirmations(client.get(reverse("review:province_objections")).content.decode())
    assert any("异议成立，撤销入选" in q and "记录后不能修改" in q for q in questions)
    assert any("异议不成立，维持入选" in q for q in questions)
    approval = _confirmations(client.get(reverse("review:province_approval")).content.decode())
    assert approval == ["登记审批结果：公示中的 1 项将全部变为“已审批”，登记后不能修改。确定登记吗？"]
    body = client.get(reverse("portal:nomination_detail", args=[n.pk])).content.decode()
    assert any(f"确认撤销申报 {n.number} 的入选" in q for q in _confirmations(body))


def test_every_page_loads_the_script_that_asks(client, world):
    body = client.get(reverse("review:province_lists")).content.decode()
    assert '/static/jixing/confirm.js"' in body
