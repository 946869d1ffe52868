"""A small province with a campaign whose 申报推荐 window is open now, and one user per role."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jixing.accounts.enums import UserRole
from tests.factories import make_campaign, make_learner, make_small_province, make_snapshot, make_user


def open_phase(campaign, key: str) -> None:
    """Move the campaign's windows so that `key` holds now and every other phase lies in the future."""
    now = timezone.now()
    for offset, phase in enumerate(campaign.phases.order_by("position")):
        if phase.key == key:
            phase.starts_at, phase.ends_at = now - timedelta(days=1), now + timedelta(days=1)
        else:
            phase.starts_at = now + timedelta(days=30 + 2 * offset)
            phase.ends_at = phase.starts_at + timedelta(days=1)
        phase.save()


@pytest.fixture
def world(db, media_root):
    tree = make_small_province()
    snapshot = make_snapshot()
    learners = {
        "a1": make_learner(snapshot=snapshot, org=tree["dept"], account_id="A1", name="张三"),
        "a2": make_learner(snapshot=snapshot, org=tree["school"], account_id="A2", name="李四"),
        "dt": make_learner(snapshot=snapshot, org=tree["datong_school"], account_id="D1", name="王五"),
    }
    campaign = make_campaign()
    open_phase(campaign, "apply")
    users = SimpleNamespace(
        province=make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        taiyuan=make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        datong=make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        school=make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"], full_name="一中管理员"),
        datong_school=make_user(username="ds", role=UserRole.UNIT_ADMIN, org=tree["datong_school"]),
        learner=make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
        other_learner=make_user(username="l2", role=UserRole.LEARNER, org=tree["school"], account_id="A2"),
    )
    return SimpleNamespace(tree=tree, snapshot=snapshot, learners=learners, campaign=campaign, users=users)
