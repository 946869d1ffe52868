"""publish(): every 拟入选 nomination at once, the objection window counted in working days."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from jixing.announcements.domain.publishing import PublishRefused, publish
from jixing.announcements.models import Announcement, AnnouncementEntry
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.notifications.models import Notification
from tests.announcements.helpers import SHANGHAI, at, evaluated, listed


def _states(*nominations):
    for n in nominations:
        n.refresh_from_db()
    return [n.state for n in nominations]


def test_publish_moves_every_selected_nomination_to_published_with_public_fields(world):
    chosen = listed(world, "A1", state=S.SELECTED)
    unit = listed(world, "D1", category=9, org="datong_school", state=S.SELECTED, nominee_org=world.tree["datong_school"],
                  nominee_account="", nominee_name="")  # fmt: skip
    left = listed(world, "A2", category=2, state=S.NOT_SELECTED)
    evaluated(world, chosen, unit, left)
    unit.status = "needs_review"  # a unit nomination's full facts are beside the point here
    unit.save(update_fields=["status"])
    announcement = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    assert _states(chosen, unit, left) == [S.PUBLISHED, S.PUBLISHED, S.NOT_SELECTED]
    entries = [
        (e.category_name, e.display_name, e.display_unit, e.is_person)
        for e in AnnouncementEntry.objects.order_by("position")
    ]
    assert entries == [
        ("学员标兵", "张三", "清徐县第一中学", True),
        ("模范学习组织", "大同市第二中学", "大同市通讯站", False),
    ]
    event = AuditEvent.objects.get(action="announcement.publish")
    assert (event.actor, event.target_id, event.after["nominations"]) == (
        world.users.province,
        str(announcement.pk),
        [chosen.number, unit.number],
    )
    assert AuditEvent.objects.filter(action="nomination.publish").count() == 2


def test_publish_notifies_the_people_concerned(world, django_capture_on_commit_callbacks):
    chosen = listed(world, "A1", state=S.SELECTED)
    evaluated(world, chosen)
    with django_capture_on_commit_callbacks(execute=True):
        publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"s", "l"}


def test_window_of_five_working_days_skips_the_spring_festival(world):
    # Friday 2023-01-20; 1.21–1.27 holidays; 1.28 and 1.29 make-up working days → ends Wednesday 2.1.
    evaluated(world, listed(world, "A1", state=S.SELECTED))
    announcement = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    assert (announcement.starts_on, announcement.ends_on, announcement.working_days) == (
        date(2023, 1, 20),
        date(2023, 2, 1),
        5,
    )
    assert announcement.window_starts_at == datetime(2023, 1, 20, tzinfo=SHANGHAI)
    assert announcement.window_ends_at == datetime(2023, 2, 2, tzinfo=SHANGHAI)


def test_window_length_comes_from_the_campaign_definition(world):
    world.campaign.definition["announcement"] = {"objection_working_days": 3}
    world.campaign.save(update_fields=["definition"])
    evaluated(world, listed(world, "A1", state=S.SELECTED))
    announcement = publish(
        campaign=world.campaign, actor=world.users.province, starts_on=date(2023, 1, 30), now=at(2023, 1, 20)
    )
    assert (announcement.starts_on, announcement.ends_on) == (date(2023, 1, 30), date(2023, 2, 2))


def test_year_unknown_to_the_calendar_is_a_clear_error_and_publishes_nothing(world):
    del world.campaign.definition["calendar"]
    world.campaign.save(update_fields=["definition"])
    chosen = listed(world, "A1", state=S.SELECTED)
    evaluated(world, chosen)
    with pytest.raises(PublishRefused) as excinfo:
        publish(
            campaign=world.campaign,
            actor=world.users.province,
            starts_on=date(2026, 12, 29),
            now=at(2023, 1, 20),
        )
    assert str(excinfo.value) == (
        "无法计算公示期（5个工作日）：2027年的法定节假日安排未知：请在活动定义中补充 [calendar.2027] 的 "
        "holidays 和 workdays。本次未发布任何公示。"
    )
    assert _states(chosen) == [S.SELECTED]
    assert (Announcement.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_publish_outside_the_announce_phase_is_refused(world):
    chosen = listed(world, "A1", state=S.SELECTED)
    evaluated(world, chosen)
    with pytest.raises(PublishRefused) as excinfo:
        publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 2, 14))
    assert str(excinfo.value) == (
        "“发布公示”只能在“汇总公示”阶段（2023-01-16 00:00 至 2023-02-11 00:00）进行，当前为：通报表扬"
    )
    assert _states(chosen) == [S.SELECTED]


def test_publish_with_nothing_selected_is_refused(world):
    evaluated(world, listed(world, "A1"))
    with pytest.raises(PublishRefused, match="没有拟入选的申报"):
        publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))


def test_publish_refuses_one_person_chosen_twice_g3(world):
    first = listed(world, "A1", state=S.SELECTED)
    second = listed(world, "A1", category=2, state=S.SELECTED)
    evaluated(world, first, second)
    with pytest.raises(PublishRefused) as excinfo:
        publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    assert str(excinfo.value) == (
        "张三 同时在学员标兵、优秀学员入选，1名学员只能获得1项表扬。请只保留其中一项后再发布。"
    )
    assert _states(first, second) == [S.SELECTED, S.SELECTED]


def test_publish_starting_in_the_past_is_refused(world):
    evaluated(world, listed(world, "A1", state=S.SELECTED))
    with pytest.raises(PublishRefused) as excinfo:
        publish(
            campaign=world.campaign,
            actor=world.users.province,
            starts_on=date(2023, 1, 19),
            now=at(2023, 1, 20),
        )
    assert str(excinfo.value) == "公示开始日期不能早于今天"


def test_publish_by_anyone_but_the_province_is_forbidden(world):
    evaluated(world, listed(world, "A1", state=S.SELECTED))
    with pytest.raises(PermissionDenied):
        publish(campaign=world.campaign, actor=world.users.taiyuan, now=at(2023, 1, 20))
    assert Announcement.objects.count() == 0
