"""A small province at the 汇总公示 stage: learners in the snapshot, lists sent up to the province."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from jixing.accounts.enums import UserRole
from jixing.nominations.domain.evaluation import evaluate_campaign
from jixing.nominations.enums import NominationState as S
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_small_province,
    make_snapshot,
    make_user,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Learners who pass every rule of categories 1 and 2 the data can decide (G.1 stays manual).
GOOD = {
    "national_total_rank": 1000,
    "national_annual_rank": 1000,
    "is_real_name": True,
    "is_shanxi_phone": True,
}


def at(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def build_world():
    tree = make_small_province()
    tree["datong_school"].members = 40  # 1.2: at least 30 learners
    tree["datong_school"].save(update_fields=["members"])
    snapshot = make_snapshot()
    learners = {
        "A1": make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1", name="张三", **GOOD),
        "A2": make_learner(snapshot=snapshot, org=tree["school"], account_id="A2", name="李四", **GOOD),
        "D1": make_learner(
            snapshot=snapshot, org=tree["datong_school"], account_id="D1", name="王五", **GOOD
        ),
    }
    campaign = make_campaign()
    # A synthetic table for 2027 so that windows counted near the end of 2026 stay countable in tests.
    campaign.definition["calendar"] = {"2027": {"holidays": ["2027-01-01"], "workdays": []}}
    campaign.save(update_fields=["definition"])
    users = SimpleNamespace(
        province=make_user(
            username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"], full_name="省管理员"
        ),
        taiyuan=make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        school=make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        learner=make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
    )
    return SimpleNamespace(tree=tree, snapshot=snapshot, learners=learners, campaign=campaign, users=users)


def listed(
    world, account: str, *, category: int = 1, org: str = "school", state: str = S.RECOMMENDED, **fields
):
    """A nomination of `account` on its reporting unit's list, typed points equal to the snapshot's."""
    learner = world.learners[account]
    values = {
        "nominee_account": account,
        "nominee_name": learner.name,
        "typed_total_points": learner.total_points,
        "typed_annual_points": learner.annual_points,
        "declared_evidence": ["承诺书", "场景照片"],
        "submitted_at": datetime(2023, 1, 8, tzinfo=UTC),
    }
    values.update(fields)
    return make_nomination(
        campaign=world.campaign,
        recommending_org=world.tree[org],
        category_number=category,
        state=state,
        **values,
    )


def evaluated(world, *nominations):
    evaluate_campaign(world.campaign)
    for n in nominations:
        n.refresh_from_db()
    return nominations
