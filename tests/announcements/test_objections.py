"""Real-name objections during the window, and the province's recorded outcome."""

import pytest

from jixing.announcements.domain.objections import (
    ObjectionRefused,
    handle_objection,
    submit_objection,
)
from jixing.announcements.domain.publishing import publish
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Objection
from jixing.audit.models import AuditEvent
from jixing.nominations.enums import NominationState as S
from jixing.notifications.models import Notification
from tests.announcements.helpers import at, evaluated, listed

PHONE = "10012345678"  # tests use 100-prefixed numbers: never a real subscriber


@pytest.fixture
def entry(world):
    nomination = listed(world, "A1", state=S.SELECTED)
    evaluated(world, nomination)
    announcement = publish(campaign=world.campaign, actor=world.users.province, now=at(2023, 1, 20))
    return announcement.entries.get()


def _submit(entry, **overrides):
    values = {"name": "赵六", "phone": "13900000000", "content": "该同学积分有误。", "now": at(2023, 1, 30)}
    values.update(overrides)
    return submit_objection(entry=entry, ip="203.0.113.9", **values)


@pytest.mark.parametrize(("name", "phone"), [("", "13900000000"), ("赵六", ""), (" ", " ")])
def test_anonymous_objection_is_refused_with_the_real_name_message(entry, name, phone):
    with pytest.raises(ObjectionRefused) as excinfo:
        _submit(entry, name=name, phone=phone)
    assert str(excinfo.value) == "实名反映：请填写姓名和联系电话"
    assert Objection.objects.count() == 0


def test_objection_before_the_window_is_refused(entry):
    with pytest.raises(ObjectionRefused) as excinfo:
        _submit(entry, now=at(2023, 1, 19, 23, 59))
    assert str(excinfo.value) == "公示期为2023年01月20日至2023年02月01日，尚未开始受理，请在公示期内反映"


def test_objection_after_the_window_is_refused(entry):
    with pytest.raises(ObjectionRefused) as excinfo:
        _submit(entry, now=at(2023, 2, 2, 0, 0))
    assert str(excinfo.value) == "公示期（2023年01月20日至2023年02月01日）已结束，不再受理反映"
    assert Objection.objects.count() == 0


def test_objection_on_the_last_evening_of_the_window_is_accepted(entry):
    objection = _submit(entry, now=at(2023, 2, 1, 23, 59))
    assert objection.outcome == ObjectionOutcome.PENDING


def test_objection_with_a_malformed_phone_or_no_content_is_refused(entry):
    with pytest.raises(ObjectionRefused, match="联系电话格式不正确"):
        _submit(entry, phone="12345")
    with pytest.raises(ObjectionRefused, match="请填写反映的具体问题"):
        _submit(entry, content="  ")


def test_objection_inside_the_window_is_stored_audited_and_notified(
    entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        objection = _submit(entry, phone=" 0351-3183924 ")
    objection.refresh_from_db()
    assert (objection.nomination, objection.name, objection.phone, objection.content, objection.ip) == (
        entry.nomination,
        "赵六",
        "0351-3183924",
        "该同学积分有误。",
        "203.0.113.9",
    )
    event = AuditEvent.objects.get(action="nomination.objection_received")
    assert (event.target_id, event.after, event.actor) == (
        str(entry.nomination.pk),
        {"objection": objection.receipt},
        None,
    )
    assert "赵六" not in event.summary and "3183924" not in event.summary
    notices = Notification.objects.filter(message__contains="收到实名反映")
    assert sorted(notices.values_list("recipient__username", flat=True)) == ["l", "s"]
    assert all("赵六" not in n.message for n in notices)


def test_dismissed_objection_keeps_the_nomination_and_records_the_outcome(world, entry):
    objection = _submit(entry)
    handle_objection(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        note="经核对快照，积分无误",
        actor=world.users.province,
        now=at(2023, 1, 31),
    )
    objection.refresh_from_db()
    assert (objection.outcome, objection.note, objection.handled_by, objection.handled_at) == (
        ObjectionOutcome.DISMISSED,
        "经核对快照，积分无误",
        world.users.province,
        at(2023, 1, 31),
    )
    entry.nomination.refresh_from_db()
    assert entry.nomination.state == S.PUBLISHED
    event = AuditEvent.objects.get(action="nomination.objection_handled")
    assert event.after == {
        "objection": objection.receipt,
        "outcome": "dismissed",
        "outcome_label": "异议不成立，维持入选",
        "note": "经核对快照，积分无误",
    }


def test_upheld_objection_withdraws_the_nomination_with_the_reason(world, entry):
    objection = _submit(entry)
    handle_objection(
        objection=objection, outcome=ObjectionOutcome.UPHELD, note="本人系省平台工作人员", actor=world.users.province,
        now=at(2023, 1, 31),
    )  # fmt: skip
    entry.nomination.refresh_from_db()
    assert entry.nomination.state == S.WITHDRAWN
    withdrawal = AuditEvent.objects.get(action="nomination.withdraw")
    assert withdrawal.after == {"state": S.WITHDRAWN, "reason": "公示异议成立：本人系省平台工作人员"}


def test_objection_is_handled_only_once_and_needs_a_note(world, entry):
    objection = _submit(entry)
    with pytest.raises(ObjectionRefused, match="请填写核查情况"):
        handle_objection(
            objection=objection, outcome=ObjectionOutcome.UPHELD, note=" ", actor=world.users.province
        )
    handle_objection(
        objection=objection, outcome=ObjectionOutcome.DISMISSED, note="不成立", actor=world.users.province,
        now=at(2023, 1, 31),
    )  # fmt: skip
    with pytest.raises(ObjectionRefused, match="已于 2023-01-31 10:00 处理"):
        handle_objection(
            objection=objection, outcome=ObjectionOutcome.UPHELD, note="成立", actor=world.users.province
        )
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.DISMISSED


def test_objection_to_a_withdrawn_nomination_is_refused(world, entry):
    handle_objection(
        objection=_submit(entry), outcome=ObjectionOutcome.UPHELD, note="成立", actor=world.users.province,
        now=at(2023, 1, 31),
    )  # fmt: skip
    entry.nomination.refresh_from_db()
    with pytest.raises(ObjectionRefused, match="已不在公示名单中"):
        _submit(entry)


def test_objectors_phone_is_stored_encrypted(entry):
    from django.db import connection

    objection = _submit(entry)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM announcements_objection WHERE id = %s", [objection.pk])
        (stored,) = cursor.fetchone()
    assert "13900000000" not in stored
    assert Objection.objects.get().phone == "13900000000"
