"""The 评审分 of plan 7.3, recorded by a 志愿者工作群管理人员: what it decides, who may give it, what is refused."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jixing.accounts.enums import UserRole
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.domain.scores import (
    ScoreRefused,
    nominations_to_score,
    parse_score,
    record_score,
    scored_category_names,
)
from jixing.nominations.models import Attachment, Nomination
from jixing.orgs.enums import OrgLevel
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_org,
    make_role,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db


def volunteer(campaign, *, org, account_id: str, **fields) -> Nomination:
    return make_nomination(campaign=campaign, recommending_org=org, category_number=7, nominee_account=account_id,
                           submitted_at=datetime(2023, 1, 5, tzinfo=UTC), **fields)  # fmt: skip


@pytest.fixture
def world():
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    units = [tree["school"]] + [
        make_org(name=f"太原第{n}中学", level=OrgLevel.UNIT, parent=tree["county"], code=f"TY-QX-S{n + 1}")
        for n in (2, 3)
    ]
    nominations = []
    for n, unit in enumerate(units, start=1):
        make_learner(snapshot=snapshot, org=unit, account_id=f"V{n}", annual_points=6000 + n,
                     is_shanxi_phone=True, is_real_name=True)  # fmt: skip
        make_role(account_id=f"V{n}", org=tree["province"], kind="志愿者")
        nominations.append(volunteer(campaign, org=unit, account_id=f"V{n}", nominee_name=f"志愿者{n}",
                                     typed_total_points=10000, typed_annual_points=6000 + n))  # fmt: skip
    manager = make_user(
        username="vm", role=UserRole.VOLUNTEER_MANAGER, org=tree["province"], full_name="王评审"
    )
    return tree, campaign, nominations, manager


def outcome_73(nomination: Nomination) -> dict:
    nomination.refresh_from_db()
    return nomination.rule_results["7.3"]


def test_scored_categories_are_those_whose_rules_read_the_score(world):
    _, campaign, _, _ = world
    assert scored_category_names(campaign) == ["优秀志愿者"]


def test_score_recorded_in_the_app_decides_7_3_and_is_audited(world):
    _, campaign, (first, *_), manager = world
    evaluate_campaign(campaign)
    assert outcome_73(first)["outcome"] == "manual"  # no score yet: 待评分
    record_score(first, raw_score="88.5", comment="审读量大，差错率低", actor=manager, ip="10.0.0.1")
    first.refresh_from_db()
    assert (first.judges_score, first.judges_comment, first.judges_scored_by) == (
        Decimal("88.50"), "审读量大，差错率低", manager)  # fmt: skip
    assert first.judges_scored_at is not None
    event = AuditEvent.objects.get(action=AuditAction.NOMINATION_SCORE)
    assert (event.actor, event.before, event.after, event.ip) == (
        manager, None, {"score": "88.50", "comment": "审读量大，差错率低"}, "10.0.0.1")  # fmt: skip
    evaluate_campaign(campaign)
    assert outcome_73(first) == {"outcome": "pass", "values": {"judges_score": "88.50"}, "reviewed": False}


def test_a_second_score_replaces_the_first_and_the_event_keeps_both(world):
    _, campaign, (first, *_), manager = world
    record_score(first, raw_score="70", comment="", actor=manager)
    record_score(first, raw_score="75", comment="补充材料后复评", actor=manager)
    first.refresh_from_db()
    assert first.judges_score == Decimal("75.00")
    last = AuditEvent.objects.filter(action=AuditAction.NOMINATION_SCORE).order_by("pk").last()
    assert (last.before, last.after) == (
        {"score": "70.00", "comment": ""},
        {"score": "75.00", "comment": "补充材料后复评"},
    )


def test_category_7_orders_by_score_with_no_score_last(world):
    _, campaign, (first, second, third), manager = world
    for nomination in (first, second, third):
        for kind in ("承诺书", "场景照片"):
            Attachment.objects.create(
                nomination=nomination, kind=kind, file="x.png", original_name=f"{kind}.png"
            )
    record_score(first, raw_score="80", comment="", actor=manager)
    record_score(third, raw_score="95", comment="", actor=manager)
    evaluate_campaign(campaign)
    ranks = {n.nominee_name: n.rank for n in Nomination.objects.filter(category__number=7)}
    # The unscored one has the highest annual points and still comes last.
    assert ranks == {"志愿者3": 1, "志愿者1": 2, "志愿者2": 3}
    assert second.judges_score is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写评审分"),
        ("  ", "请填写评审分"),
        ("八十", "评审分“八十”不是数字，请填写 0 到 100 之间的数，如 86.5"),
        ("-1", "评审分应在 0 到 100 之间，填写的是“-1”"),
        ("100.01", "评审分应在 0 到 100 之间，填写的是“100.01”"),
        ("NaN", "评审分应在 0 到 100 之间，填写的是“NaN”"),
        ("Infinity", "评审分应在 0 到 100 之间，填写的是“Infinity”"),
        ("85.125", "评审分最多保留两位小数"),
    ],
)
def test_bad_score_is_refused_in_chinese_and_nothing_changes(world, raw, message):
    _, _, (first, *_), manager = world
    record_score(first, raw_score="60", comment="初评", actor=manager)
    with pytest.raises(ScoreRefused) as refused:
        record_score(first, raw_score=raw, comment="改评", actor=manager)
    assert str(refused.value) == message
    first.refresh_from_db()
    assert (first.judges_score, first.judges_comment) == (Decimal("60.00"), "初评")
    assert AuditEvent.objects.filter(action=AuditAction.NOMINATION_SCORE).count() == 1


def test_full_width_point_and_whole_numbers_are_read():
    assert (parse_score("８６．５".replace("８", "8").replace("６", "6")), parse_score("100"), parse_score("0")) == (
        Decimal("86.50"), Decimal("100.00"), Decimal("0.00"))  # fmt: skip


def test_over_long_comment_is_refused(world):
    _, _, (first, *_), manager = world
    with pytest.raises(ScoreRefused) as refused:
        record_score(first, raw_score="80", comment="好" * 501, actor=manager)
    assert str(refused.value) == "评审意见最多 500 字，当前 501 字，请精简"
    first.refresh_from_db()
    assert first.judges_score is None


@pytest.mark.parametrize("role", [UserRole.PROVINCE_ADMIN, UserRole.REPORTING_REVIEWER, UserRole.UNIT_ADMIN])
def test_only_a_volunteer_group_manager_may_score(world, role):
    tree, _, (first, *_), _ = world
    other = make_user(
        username="x", role=role, org=tree["province"] if role == UserRole.PROVINCE_ADMIN else tree["taiyuan"]
    )
    with pytest.raises(PermissionDenied):
        record_score(first, raw_score="80", comment="", actor=other)
    first.refresh_from_db()
    assert first.judges_score is None


def test_an_inactive_manager_or_one_without_org_sees_nothing(world):
    _, campaign, _, manager = world
    homeless = make_user(username="vm2", role=UserRole.VOLUNTEER_MANAGER, org=None)
    manager.is_active = False
    assert (nominations_to_score(manager, campaign=campaign).count(),
            nominations_to_score(homeless, campaign=campaign).count()) == (0, 0)  # fmt: skip


def test_the_manager_sees_only_category_7_sent_up_in_his_subtree(world):
    tree, campaign, nominations, manager = world
    make_nomination(
        campaign=campaign, recommending_org=tree["school"], category_number=1, nominee_account="V1"
    )
    make_nomination(campaign=campaign, recommending_org=tree["datong_school"], category_number=7,
                    nominee_account="D7", state="draft")  # fmt: skip
    datong = make_nomination(campaign=campaign, recommending_org=tree["datong_school"], category_number=7,
                             nominee_account="D8")  # fmt: skip
    seen = set(nominations_to_score(manager, campaign=campaign))
    assert seen == {*nominations, datong}
    taiyuan_manager = make_user(username="vm-ty", role=UserRole.VOLUNTEER_MANAGER, org=tree["taiyuan"])
    assert set(nominations_to_score(taiyuan_manager, campaign=campaign)) == set(nominations)


def test_a_published_nomination_keeps_its_score(world):
    _, _, (first, *_), manager = world
    record_score(first, raw_score="90", comment="", actor=manager)
    Nomination.objects.filter(pk=first.pk).update(state="published")
    first.refresh_from_db()
    with pytest.raises(ScoreRefused) as refused:
        record_score(first, raw_score="50", comment="", actor=manager)
    assert str(refused.value) == f"申报 {first.number} 当前状态为“公示中”，不能再评分"
    first.refresh_from_db()
    assert first.judges_score == Decimal("90.00")
