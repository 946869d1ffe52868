"""Objections received by phone, letter or e-mail: recorded by the province with the objector's real name
and the channel, then taken and handled like those sent on the public page."""

import pytest
from django.core.exceptions import PermissionDenied

from jixing.announcements.domain.objections import (
    DuplicateObjection,
    ObjectionRefused,
    handle_objection,
    record_objection,
    submit_objection,
)
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Objection
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.notifications.models import Notification
from tests.announcements.helpers import at, evaluated, listed


@pytest.fixture
def entry(world):
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    announcement = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    return announcement.entries.get()


def _record(world, entry, **overrides):
    values = {"channel": "phone", "name": "赵六", "phone": "100 1234 5678", "content": "该同学积分有误。",
              "received_at": at(2023, 1, 25, 9, 30), "now": at(2023, 1, 25, 10), "actor": world.users.province}  # fmt: skip
    values.update(overrides)
    return record_objection(entry=entry, ip="10.0.0.7", **values)


@pytest.mark.parametrize(("channel", "label"), [("phone", "电话"), ("letter", "信函"), ("email", "电子邮件")])
def test_a_recorded_objection_keeps_name_channel_and_recorder_and_gets_a_receipt(
    world, entry, channel, label, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        objection = _record(world, entry, channel=channel)
    objection.refresh_from_db()
    assert (objection.name, objection.phone, objection.channel, objection.recorded_by, objection.received_at) == (
        "赵六", "10012345678", channel, world.users.province, at(2023, 1, 25, 9, 30))  # fmt: skip
    assert objection.outcome == ObjectionOutcome.PENDING and objection.receipt.startswith("YY")
    event = AuditEvent.objects.get(action="nomination.objection_received")
    assert (event.actor, event.after) == (
        world.users.province, {"objection": objection.receipt, "channel": channel, "channel_label": label})  # fmt: skip
    assert f"{label}反映，由省平台登记" in event.summary and "赵六" not in event.summary
    # The same notices as a page's objection: the unit and the nominee, without who objected.
    notices = Notification.objects.filter(message__contains="收到实名反映")
    assert {"l", "s"} <= set(notices.values_list("recipient__username", flat=True))
    assert all("赵六" not in n.message for n in notices)


def test_a_recorded_objection_is_handled_like_one_from_the_page(world, entry):
    objection = _record(world, entry, channel="letter")
    handle_objection(objection=objection, outcome=ObjectionOutcome.UPHELD, note="经核实属实",
                     actor=world.users.province, now=at(2023, 1, 31))  # fmt: skip
    entry.nomination.refresh_from_db()
    assert entry.nomination.state == S.WITHDRAWN
    assert Objection.objects.get().outcome == ObjectionOutcome.UPHELD


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "实名反映：请填写姓名和联系电话"),
        ({"phone": ""}, "实名反映：请填写姓名和联系电话"),
        ({"phone": "12345"}, "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0351-3183924）"),
        ({"content": " "}, "请填写反映的具体问题"),
        ({"channel": "web"}, "请选择收到反映的方式：电话、信函或电子邮件"),
        ({"channel": "fax"}, "请选择收到反映的方式：电话、信函或电子邮件"),
        ({"received_at": None}, "请填写收到反映的时间"),
        ({"received_at": at(2023, 1, 25, 11)}, "收到时间不能晚于现在"),
        ({"received_at": at(2023, 1, 19, 9), "now": at(2023, 1, 25)},
         "公示期为2023年01月20日至2023年02月01日，尚未开始受理，请在公示期内反映"),
    ],
)  # fmt: skip
def test_a_recorded_objection_is_refused_as_a_page_one_and_nothing_is_stored(
    world, entry, overrides, message
):
    with pytest.raises(ObjectionRefused) as refused:
        _record(world, entry, **overrides)
    assert str(refused.value) == message
    assert Objection.objects.count() == 0


def test_a_letter_received_in_the_window_may_be_recorded_after_it(world, entry):
    objection = _record(world, entry, channel="letter", received_at=at(2023, 2, 1, 15), now=at(2023, 2, 3, 9))
    assert objection.received_at == at(2023, 2, 1, 15)


def test_the_same_objection_by_phone_after_the_page_is_a_duplicate(world, entry):
    first = submit_objection(entry=entry, name="赵六", phone="10012345678", content="该同学积分有误。",
                             now=at(2023, 1, 24))  # fmt: skip
    with pytest.raises(DuplicateObjection) as refused:
        _record(world, entry)
    assert refused.value.receipt == first.receipt
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("who", ["taiyuan", "school", "learner"])
def test_only_the_province_records(world, entry, who):
    with pytest.raises(PermissionDenied):
        _record(world, entry, actor=getattr(world.users, who))
    assert Objection.objects.count() == 0
