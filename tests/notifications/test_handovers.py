"""Every hand-over tells whoever the work now waits for: 提交给单位确认 the unit's admins, 提交申报 the
reporting unit's reviewers, 退回 the nominee and whoever filled the form, 报送 and an objection received
the province's admins. Notices are written once the change commits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jixing.accounts.enums import UserRole
from jixing.announcements.domain.objections import submit_objection
from jixing.announcements.domain.publishing import publish
from jixing.nominations.domain.lists import submit_list
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, transition
from jixing.nominations.enums import NominationState as S
from jixing.notifications.models import Notification
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

pytestmark = pytest.mark.django_db


def _told() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("recipient__username", "message"))


@pytest.fixture
def world():
    tree = make_small_province()
    campaign = make_campaign()
    users = {
        "province": make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"]),
        "taiyuan": make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]),
        "datong": make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=tree["datong"]),
        "school": make_user(username="s", role=UserRole.UNIT_ADMIN, org=tree["school"]),
        "other_school": make_user(username="s2", role=UserRole.UNIT_ADMIN, org=tree["datong_school"]),
        "learner": make_user(username="l", role=UserRole.LEARNER, org=tree["dept"], account_id="A1"),
    }
    return tree, campaign, users


def _during(campaign, key: str):
    return campaign.phases.get(key=key).starts_at + timedelta(hours=1)


def test_apply_for_confirmation_tells_the_units_admins(world, django_capture_on_commit_callbacks):
    tree, campaign, users = world
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.DRAFT,
                                 nominee_account="A1", nominee_name="欧阳明", created_by=users["learner"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transition(nomination, Action.APPLY, actor=users["learner"], now=_during(campaign, "apply"))
    text = f"学员本人提交了申报 {nomination.number}（学员标兵 · 欧阳明），等待本单位确认：请核对后申报，或退回修改。"
    assert _told() == [("s", text)]


def test_unit_return_of_an_application_tells_the_learner(world, django_capture_on_commit_callbacks):
    tree, campaign, users = world
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.AWAITING_UNIT,
                                 nominee_account="A1", nominee_name="欧阳明", created_by=users["learner"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transition(nomination, Action.RETURN, actor=users["school"], reason="请补充照片",
                   now=_during(campaign, "apply"))  # fmt: skip
    told = dict(_told())
    assert told["l"] == f"申报 {nomination.number}（学员标兵 · 欧阳明）：退回修改。理由：请补充照片"
    assert set(told) == {"l", "s"}  # the learner, and his unit's admins who are concerned


def test_submission_tells_the_reporting_units_reviewers_only(world, django_capture_on_commit_callbacks):
    tree, campaign, users = world
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.DRAFT,
                                 nominee_name="司马·阿依")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transition(nomination, Action.SUBMIT, actor=users["school"], now=_during(campaign, "apply"))
    text = f"清徐县第一中学 提交了申报 {nomination.number}（学员标兵 · 司马·阿依），等待审核。"
    assert _told() == [("ty", text)]


def test_reporting_units_own_submission_does_not_tell_its_author(world, django_capture_on_commit_callbacks):
    tree, campaign, users = world
    second = make_user(username="ty2", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    nomination = make_nomination(campaign=campaign, recommending_org=tree["taiyuan"], category_number=4,
                                 state=S.DRAFT, nominee_name="诸葛亮亮")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        transition(nomination, Action.SUBMIT, actor=users["taiyuan"], now=_during(campaign, "apply"))
    assert [username for username, _ in _told()] == [second.username]


def test_refused_hand_over_tells_nobody(world, django_capture_on_commit_callbacks):
    tree, campaign, users = world
    nomination = make_nomination(campaign=campaign, recommending_org=tree["school"], state=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        transition(nomination, Action.SUBMIT, actor=users["school"], now=_during(campaign, "screen"))
    assert _told() == []


def test_submitted_list_tells_the_province_admins(media_root, django_capture_on_commit_callbacks):
    from tests.nominations.domain.test_lists import _ready_to_submit
    from tests.review.screening_world import make_world

    world = make_world()
    make_user(username="p-off", role=UserRole.PROVINCE_ADMIN, org=world.tree["province"], is_active=False)
    first, second, _ = world.nominations
    _ready_to_submit(world, first, second)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        submit_list(campaign=world.campaign, reporting_unit=world.tree["taiyuan"], actor=world.users.taiyuan)
    province = Notification.objects.filter(recipient=world.users.province)
    assert [n.message for n in province] == [
        "太原市通讯站 报送了推荐总表（学员标兵 2 个），请在“汇总公示 · 名单核对”中核对。"
    ]
    assert not Notification.objects.filter(recipient__username="p-off").exists()


def test_objection_received_tells_the_province_admins(django_capture_on_commit_callbacks):
    from tests.announcements.helpers import at, build_world, evaluated, listed

    world = build_world()
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    entry = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20)).entries.get()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        objection = submit_objection(entry=entry, name="赵六", phone="13900000000", content="积分有误。",
                                     now=at(2023, 1, 30))  # fmt: skip
    province = [n.message for n in Notification.objects.filter(recipient=world.users.province)]
    assert province == [
        f"收到对申报 {nomination.number}（学员标兵 · 张三）的实名反映，受理编号 {objection.receipt}，"
        "请在“汇总公示 · 公示异议”中核查处理。"
    ]
    assert "赵六" not in " ".join(n.message for n in Notification.objects.all())
