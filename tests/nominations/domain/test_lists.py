"""审核报送 in the domain: picking within quota and in order, the sealed scan, submission, reopening."""

import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from jixing.audit.models import AuditEvent
from jixing.nominations.domain.attachments import UploadRefused
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.domain.list_picks import ListRefused, Pick
from jixing.nominations.domain.lists import list_readiness, reopen_list, screen_out, set_picks, submit_list
from jixing.nominations.domain.sealed_scans import add_sealed_scan
from jixing.nominations.domain.sheet import sheet_title
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, RecommendationList, SealedScan
from tests.eligibility.build import SNAPSHOT_RULES
from tests.factories import make_nomination
from tests.review.screening_world import (
    add_nomination,
    add_unit,
    make_world,
    open_phase,
    pdf_upload,
    refresh,
    set_seats,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(media_root):
    return make_world()


def _category(world, number=1):
    return world.campaign.categories.get(number=number)


def _pick(world, *nominations, reasons=None, user=None):
    reasons = reasons or {}
    return set_picks(
        campaign=world.campaign,
        category=_category(world),
        actor=user or world.users.taiyuan,
        picks=[Pick(n.pk, reasons.get(n.pk, "")) for n in nominations],
    )


def _entries(world):
    return [
        (e.nomination.number, e.position, e.override_reason)
        for e in ListEntry.objects.select_related("nomination").order_by("position")
    ]


def _ready_to_submit(world, *nominations):
    _pick(world, *nominations)
    add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)


def _submit(world, user=None):
    return submit_list(
        campaign=world.campaign, reporting_unit=world.tree["taiyuan"], actor=user or world.users.taiyuan
    )


def test_set_picks_stores_the_order_and_records_an_audit_event(world):
    first, second, _ = world.nominations
    rl = _pick(world, first, second)
    assert _entries(world) == [(first.number, 1, ""), (second.number, 2, "")]
    event = AuditEvent.objects.get(action="list.pick")
    assert (
        event.target_id,
        event.actor,
        event.before["entries"],
        [e["number"] for e in event.after["entries"]],
    ) == (
        str(rl.pk),
        world.users.taiyuan,
        [],
        [first.number, second.number],
    )


def test_set_picks_refuses_more_than_the_quota_g7(world):
    with pytest.raises(ListRefused) as excinfo:
        _pick(world, *world.nominations)
    assert str(excinfo.value) == "“学员标兵”还可推荐 2 个，选了 3 个，超出名额"
    assert ListEntry.objects.count() == 0


def test_set_picks_counts_seats_already_sent_up(world):
    first, second, third = world.nominations
    third.state = S.RECOMMENDED
    third.save()
    with pytest.raises(ListRefused, match="还可推荐 1 个，选了 2 个"):
        _pick(world, first, second)


def test_set_picks_refuses_an_ineligible_nomination(world):
    small = add_unit(world, "小学校", members=10)  # 1.2: 不少于30人
    weak = add_nomination(world, small, account="W1", name="小校学员", total=50000)
    evaluate_campaign(world.campaign)
    with pytest.raises(ListRefused) as excinfo:
        _pick(world, weak)
    assert (
        str(excinfo.value)
        == f"以下申报不能选入推荐名单：小校学员（{weak.number}）：不符合条件（1 项条件不符合，见申报的资格条件）"
    )


def test_set_picks_refuses_an_incomplete_nomination(world):
    bare = add_nomination(world, add_unit(world, "某中学"), account="B1", name="缺照片", total=5000,
                          declared_evidence=["承诺书"])  # fmt: skip
    evaluate_campaign(world.campaign)
    with pytest.raises(ListRefused, match=r"材料或数据不全（1 项条件缺少数据），补齐前不能选入"):
        _pick(world, bare)


def test_set_picks_refuses_an_unknown_account_and_says_why(world):
    unknown = make_nomination(
        campaign=world.campaign,
        recommending_org=add_unit(world, "某中学"),
        nominee_account="A404",
        nominee_name="查无此号",
        declared_evidence=["承诺书", "场景照片"],
    )
    evaluate_campaign(world.campaign)
    with pytest.raises(ListRefused) as excinfo:
        _pick(world, unknown)
    # Every rule that reads the snapshot lacks its data (counted; the ids are in the rule table).
    found = re.search(
        r"材料或数据不全（(\d+) 项条件缺少数据；学号不在基准积分快照中），补齐前不能选入$", str(excinfo.value)
    )
    assert found is not None, str(excinfo.value)
    assert int(found[1]) == len(SNAPSHOT_RULES["学员标兵"])


def test_set_picks_needs_the_recommending_units_reason_for_a_warn_rule(world):
    second_best = add_nomination(world, add_unit(world, "某中学"), account="X1", name="第二名", total=40000,
                                 top_of_unit=False)  # fmt: skip
    evaluate_campaign(world.campaign)
    second_best.refresh_from_db()
    assert second_best.rule_results["1.1"]["outcome"] == "warn"
    with pytest.raises(ListRefused, match="1 项条件原则上不符，须有推荐单位的书面说明，但推荐理由说明为空"):
        _pick(world, second_best)
    second_best.warn_reason = "第一名为省平台工作人员，不参评"
    second_best.save()
    _pick(world, second_best)
    assert _entries(world) == [(second_best.number, 1, "")]


def test_set_picks_needs_a_reason_to_put_a_lower_rank_first(world):
    first, second, _ = world.nominations
    with pytest.raises(ListRefused) as excinfo:
        _pick(world, second, first)
    assert str(excinfo.value) == (
        f"与默认排序不同，须填写调整理由：学员2（{second.number}） 排在默认排序更靠前的 学员1（{first.number}） 之前"
    )
    _pick(world, second, first, reasons={second.pk: "事迹更突出", first.pk: "不需要的理由不保存"})
    assert _entries(world) == [(second.number, 1, "事迹更突出"), (first.number, 2, "")]


def test_set_picks_needs_a_reason_to_leave_out_a_better_rank(world):
    first, second, third = world.nominations
    with pytest.raises(
        ListRefused, match=f"学员3（{third.number}） 排在默认排序更靠前的 学员2（{second.number}） 之前$"
    ):
        _pick(world, first, third)


def test_set_picks_outside_the_screen_window_is_refused_with_g8(world):
    open_phase(world.campaign, "apply")
    with pytest.raises(ListRefused) as excinfo:
        _pick(world, world.nominations[0])
    assert re.fullmatch(
        r"“选入推荐名单”只能在“审核报送”阶段（\d{4}-\d\d-\d\d \d\d:\d\d 至 \d{4}-\d\d-\d\d \d\d:\d\d）进行，当前为：申报推荐",
        str(excinfo.value),
    )


@pytest.mark.parametrize("user", ["province", "school", "learner", "datong"])
def test_set_picks_by_anyone_but_the_units_reviewer_is_refused(world, user):
    if user == "datong":  # his own unit's list: a 大同 pick of a 太原 nomination does not exist for him
        with pytest.raises(ListRefused, match="不属于本报送单位"):
            _pick(world, world.nominations[0], user=world.users.datong)
    else:
        with pytest.raises(PermissionDenied):
            _pick(world, world.nominations[0], user=getattr(world.users, user))
    assert ListEntry.objects.count() == 0


def test_screen_out_returns_with_reason_and_closes_up_the_list(world):
    first, second, _ = world.nominations
    _pick(world, first, second)
    screen_out(nomination=first, action=Action.RETURN, actor=world.users.taiyuan, reason="请补充事迹")
    first.refresh_from_db()
    assert (first.state, _entries(world)) == (S.RETURNED, [(second.number, 1, "")])
    assert AuditEvent.objects.filter(action__in=["nomination.return", "list.unpick"]).count() == 2


def test_screen_out_without_reason_changes_nothing(world):
    first = world.nominations[0]
    _pick(world, first)
    with pytest.raises(Exception, match="“不予通过”须填写理由"):
        screen_out(nomination=first, action=Action.REJECT, actor=world.users.taiyuan, reason=" ")
    assert (refresh([first])[0].state, len(_entries(world))) == (S.SUBMITTED, 1)


def test_submit_list_needs_a_sealed_scan(world):
    _pick(world, world.nominations[0])
    with pytest.raises(ListRefused, match="请先上传盖章的推荐总表扫描件"):
        _submit(world)


def test_submit_list_needs_a_scan_newer_than_the_last_change(world):
    first, second, _ = world.nominations
    _ready_to_submit(world, first)
    _pick(world, first, second)
    with pytest.raises(ListRefused, match="推荐名单在上传盖章扫描件之后有改动"):
        _submit(world)
    assert refresh([first, second])[0].state == S.SUBMITTED


def test_submit_list_recommends_every_pick_and_records_who_and_when(world):
    first, second, third = world.nominations
    _ready_to_submit(world, first, second)
    rl = _submit(world)
    assert [n.state for n in refresh(world.nominations)] == [S.RECOMMENDED, S.RECOMMENDED, S.SUBMITTED]
    assert (rl.state, rl.submitted_by) == (ListState.SUBMITTED, world.users.taiyuan)
    event = AuditEvent.objects.get(action="list.submit")
    assert event.after["entries"] == [first.number, second.number]
    assert AuditEvent.objects.filter(action="nomination.recommend").count() == 2


def test_submitted_list_is_read_only(world):
    first, second, _ = world.nominations
    _ready_to_submit(world, first)
    _submit(world)
    with pytest.raises(ListRefused, match="推荐总表已于 .* 报送，不能再修改"):
        _pick(world, first, second)
    with pytest.raises(ListRefused, match="不能再修改"):
        add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)
    with pytest.raises(ListRefused, match="不能再修改"):
        _submit(world, user=world.users.taiyuan2)
    assert (_entries(world), SealedScan.objects.count()) == ([(first.number, 1, "")], 1)


def test_submit_list_refused_midway_changes_nothing(world):
    first, second, third = world.nominations
    _ready_to_submit(world, first, second)
    # The province sends another nomination up outside the list: one seat is left for two picks.
    third.state = S.RECOMMENDED
    third.save()
    with pytest.raises(ListRefused, match="还可推荐 1 个，选了 2 个"):
        _submit(world)
    assert [n.state for n in refresh([first, second])] == [S.SUBMITTED, S.SUBMITTED]
    assert RecommendationList.objects.get().state == ListState.OPEN
    assert AuditEvent.objects.filter(action__in=["list.submit", "nomination.recommend"]).count() == 0


def test_submit_list_outside_the_window_is_refused_with_g8(world):
    _ready_to_submit(world, world.nominations[0])
    open_phase(world.campaign, "announce")
    with pytest.raises(
        ListRefused,
        match=r"^“报送推荐总表”只能在“审核报送”阶段（\d{4}-\d\d-\d\d \d\d:\d\d 至 \d{4}-\d\d-\d\d \d\d:\d\d）进行，当前为：汇总公示$",
    ):
        _submit(world)


def test_reopen_list_by_the_province_with_a_reason_sends_nominations_back(world):
    first = world.nominations[0]
    _ready_to_submit(world, first)
    rl = _submit(world)
    reopen_list(recommendation_list=rl, actor=world.users.province, reason="名单有误，请核对后重报")
    rl.refresh_from_db()
    assert (rl.state, rl.reopened_by, rl.reopen_reason) == (
        ListState.OPEN,
        world.users.province,
        "名单有误，请核对后重报",
    )
    assert (refresh([first])[0].state, _entries(world)) == (S.SUBMITTED, [(first.number, 1, "")])
    event = AuditEvent.objects.get(action="list.reopen")
    assert (event.actor, event.after["reason"]) == (world.users.province, "名单有误，请核对后重报")
    assert AuditEvent.objects.filter(action="nomination.reopen").count() == 1


def test_reopen_list_refuses_other_roles_and_an_empty_reason(world):
    _ready_to_submit(world, world.nominations[0])
    rl = _submit(world)
    for user in (world.users.taiyuan, world.users.school):
        with pytest.raises(PermissionDenied):
            reopen_list(recommendation_list=rl, actor=user, reason="理由")
    with pytest.raises(ListRefused, match="须填写理由"):
        reopen_list(recommendation_list=rl, actor=world.users.province, reason="  ")
    assert RecommendationList.objects.get().state == ListState.SUBMITTED


def test_reopen_list_refused_when_a_nomination_has_moved_on(world):
    first = world.nominations[0]
    _ready_to_submit(world, first)
    rl = _submit(world)
    open_phase(world.campaign, "announce")
    transition(first, Action.SELECT, actor=world.users.province)
    with pytest.raises(ListRefused, match="未能重新开放，推荐总表未作任何改动：当前状态为“拟入选”"):
        reopen_list(recommendation_list=rl, actor=world.users.province, reason="理由")
    assert RecommendationList.objects.get().state == ListState.SUBMITTED


def test_sealed_scan_refused_when_its_content_is_not_pdf_or_picture(world):
    upload = SimpleUploadedFile("盖章.pdf", b"PK\x03\x04 not a pdf at all", content_type="application/pdf")
    with pytest.raises(UploadRefused) as excinfo:
        add_sealed_scan(campaign=world.campaign, upload=upload, actor=world.users.taiyuan)
    assert (
        str(excinfo.value)
        == "“盖章.pdf”未上传：文件内容不是允许的类型，“盖章扫描件”只接受图片（JPG、PNG、WebP）、PDF 文件"
    )
    assert SealedScan.objects.count() == 0


def test_sealed_scan_is_stored_under_a_random_name_with_its_checksum(world, media_root):
    scan = add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)
    assert (scan.original_name, scan.content_type, scan.file.name.startswith("sealed/")) == (
        "推荐总表盖章.pdf",
        "application/pdf",
        True,
    )
    assert "推荐总表" not in scan.file.name and (media_root / scan.file.name).exists()
    assert AuditEvent.objects.get(action="list.scan_add").after["sha256"] == scan.sha256


def test_seats_follow_the_quota_row(world):
    set_seats(world, 3)
    _pick(world, *world.nominations)
    assert len(_entries(world)) == 3


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2022年度“学习强国”山西学习之星集结活动", "2022年度“学习强国”山西学习之星推荐总表"),
        ("2022年度“学习强国”山西学习之星集结活动（演示）", "2022年度“学习强国”山西学习之星推荐总表（演示）"),
        ("某评选", "某评选推荐总表"),
    ],
)
def test_sheet_title_follows_the_campaign_name(name, title):
    assert sheet_title(SimpleNamespace(name=name)) == title


def _readiness(world):
    rl = RecommendationList.objects.filter(reporting_unit=world.tree["taiyuan"]).first()
    return list_readiness(
        campaign=world.campaign, reporting_unit=world.tree["taiyuan"], recommendation_list=rl
    )


def test_list_readiness_says_what_is_missing_before_it_is_printed_or_sent(world):
    assert _readiness(world).missing == [
        "尚未选入推荐对象：请先在各项目中审核选入",
        "请上传盖章的推荐总表扫描件",
    ]
    first, second, third = world.nominations
    _pick(world, first, second)
    readiness = _readiness(world)
    assert readiness.can_seal and readiness.missing == ["请上传盖章的推荐总表扫描件"]
    add_sealed_scan(campaign=world.campaign, upload=pdf_upload(), actor=world.users.taiyuan)
    assert _readiness(world).missing == []
    # What submit_list would refuse is on the checklist before anyone prints: a seat taken outside the list.
    third.state = S.RECOMMENDED
    third.save()
    readiness = _readiness(world)
    assert not readiness.can_seal
    assert readiness.pick_problems == ["“学员标兵”：“学员标兵”还可推荐 1 个，选了 2 个，超出名额"]
    with pytest.raises(ListRefused, match="还可推荐 1 个，选了 2 个"):
        _submit(world)
