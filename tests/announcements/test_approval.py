"""省委宣传部审批 after the window and all objections; 通报表扬 in its phase; the final list export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jixing.announcements.domain.approval import ApprovalRefused, commend, record_approval
from jixing.announcements.domain.exports import export_final_list
from jixing.announcements.domain.objections import handle_objection, submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Approval
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from tests.announcements.helpers import at, evaluated, listed


@pytest.fixture
def published(world):
    nominations = [
        listed(world, "A1", state=S.SELECTED),
        listed(world, "D1", org="datong_school", state=S.SELECTED),
    ]
    evaluated(world, *nominations)
    publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    return nominations


def _approve(world, now, approved_on=date(2023, 2, 3)):
    return record_approval(
        campaign=world.campaign,
        actor=world.users.province,
        document_ref="晋宣批〔2023〕5号",
        approved_on=approved_on,
        note="同意",
        now=now,
    )


def _states(nominations):
    for n in nominations:
        n.refresh_from_db()
    return [n.state for n in nominations]


def test_approval_before_the_window_closes_is_refused(world, published):
    with pytest.raises(ApprovalRefused) as excinfo:
        _approve(world, at(2023, 2, 1, 23, 0), approved_on=date(2023, 2, 1))
    assert str(excinfo.value) == "暂不能登记审批：公示期（2023年01月20日至2023年02月01日）尚未结束"
    assert _states(published) == [S.PUBLISHED, S.PUBLISHED]
    assert Approval.objects.count() == 0


def test_approval_with_an_unhandled_objection_is_refused(world, published):
    entry = published[0].announcement_entry
    submit_objection(entry=entry, name="赵六", phone="13900000000", content="有误", now=at(2023, 1, 30))
    with pytest.raises(ApprovalRefused) as excinfo:
        _approve(world, at(2023, 2, 3))
    assert str(excinfo.value) == "暂不能登记审批：还有 1 条公示异议未处理"


def test_approval_after_the_window_with_objections_handled_approves_every_published(world, published):
    objection = submit_objection(
        entry=published[0].announcement_entry,
        name="赵六",
        phone="13900000000",
        content="有误",
        now=at(2023, 1, 30),
    )
    handle_objection(
        objection=objection, outcome=ObjectionOutcome.DISMISSED, note="无误", actor=world.users.province
    )
    approval = _approve(world, at(2023, 2, 3))
    assert _states(published) == [S.APPROVED, S.APPROVED]
    assert (approval.document_ref, approval.approved_on, approval.nomination_count) == (
        "晋宣批〔2023〕5号",
        date(2023, 2, 3),
        2,
    )
    event = AuditEvent.objects.get(action="announcement.approve")
    assert event.after["nominations"] == sorted(n.number for n in published)


def test_approval_without_document_reference_is_refused(world, published):
    with pytest.raises(ApprovalRefused, match="请填写省委宣传部的批复文号"):
        record_approval(
            campaign=world.campaign, actor=world.users.province, document_ref=" ", approved_on=date(2023, 2, 3),
            now=at(2023, 2, 3),
        )  # fmt: skip


def test_commend_only_in_the_commend_phase(world, published):
    _approve(world, at(2023, 2, 3))
    with pytest.raises(ApprovalRefused) as excinfo:
        commend(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 4))
    assert str(excinfo.value) == "“通报表扬”只能在“通报表扬”阶段（2023-02-13 00:00 起）进行，当前为：汇总公示"
    assert _states(published) == [S.APPROVED, S.APPROVED]
    assert commend(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 14)) == 2
    assert _states(published) == [S.COMMENDED, S.COMMENDED]
    assert AuditEvent.objects.filter(action="nomination.commend").count() == 2


def test_commend_with_nothing_approved_is_refused(world, published):
    with pytest.raises(ApprovalRefused, match="没有已审批的申报"):
        commend(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 14))


def test_final_list_export_is_an_xlsx_without_personal_numbers_and_an_audit_event(world, published):
    _approve(world, at(2023, 2, 3))
    commend(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 14))
    filename, content = export_final_list(campaign=world.campaign, actor=world.users.province)
    assert filename == "2022年度“学习强国”山西学习之星集结活动通报表扬名单.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows == [
        ["序号", "项目", "类别", "姓名／单位名称", "所在单位", "推荐单位", "报送单位", "申报编号"],
        [
            1,
            "学员标兵",
            "个人",
            "王五",  # 王 (4 strokes) before 张 (7): surname stroke order
            "大同市第二中学",
            "大同市第二中学",
            "大同市通讯站",
            published[1].number,
        ],
        [
            2,
            "学员标兵",
            "个人",
            "张三",
            "清徐县第一中学",
            "清徐县第一中学",
            "太原市通讯站",
            published[0].number,
        ],
    ]
    assert sheet["A2"].value == "省委宣传部批复：晋宣批〔2023〕5号（2023年02月03日） · 共 2 项"
    event = AuditEvent.objects.get(action="export.final_list")
    assert (event.actor, event.after) == (world.users.province, {"rows": 2})
