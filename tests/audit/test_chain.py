import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jixing.audit.domain.events import record_event, verify_chain
from jixing.audit.models import AuditEvent, AuditHead
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db


def _three_events():
    tree = make_small_province()
    for n in range(3):
        record_event(action="test", target=tree["school"], summary=f"第{n + 1}次", after={"n": n})


def test_intact_chain_verifies(capsys):
    _three_events()
    assert verify_chain() == []
    call_command("audit", "verify")
    assert "审计链完好：共 3 个事件" in capsys.readouterr().out


def test_changed_event_is_detected():
    _three_events()
    AuditEvent.objects.filter(seq=2).update(summary="改过")
    assert [(p.seq, p.reason) for p in verify_chain()] == [(2, "事件内容与其哈希不符（事件被修改）")]


def test_deleted_event_is_detected():
    _three_events()
    AuditEvent.objects.filter(seq=2).delete()
    reasons = [p.reason for p in verify_chain()]
    assert reasons[0].startswith("序号不连续：应为 2，实为 3")
    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("audit", "verify")


def test_deleted_last_event_is_detected():
    _three_events()
    AuditEvent.objects.filter(seq=3).delete()
    assert [p.reason for p in verify_chain()] == ["链尾被删除：链头记录到 3，现存至 2"]


def test_inserted_event_is_detected():
    _three_events()
    forged = AuditEvent.objects.get(seq=3)
    forged.pk, forged.seq, forged.summary = None, 4, "伪造"
    forged.save()
    AuditHead.objects.update(last_seq=4)
    # The forged event neither links to its predecessor nor matches its own hash.
    assert [p.seq for p in verify_chain()] == [4, 4]


def test_login_success_and_failure_are_events(client):
    make_user(username="someone")
    client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    client.post(reverse("login"), {"username": "someone", "password": "pw-for-tests-only"})
    actions = list(AuditEvent.objects.values_list("action", "summary"))
    assert actions == [("login_failed", "登录失败：someone"), ("login", "登录成功")]
    assert verify_chain() == []


def test_event_rolls_back_with_its_transaction():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(action="test", summary="会回滚")
        raise RuntimeError
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("at", "2020-01-01T00:00:00+00:00"),
        ("actor_label", "别人"),
        ("action", "nomination.decide"),
        ("target_type", "people.learner"),
        ("target_id", "99"),
        ("summary", "改过"),
        ("before", {"n": -1}),
        ("after", {"n": 99}),
        ("ip", "10.0.0.9"),
    ],
)
def test_every_field_that_describes_an_event_is_covered_by_its_hash(field, value):
    """Who, what, on which object, before and after, when and from where: changing any of them in the
    table breaks the event's hash."""
    tree = make_small_province()
    actor = make_user(username="p", role="province_admin", org=tree["province"])
    record_event(action="nomination.submit", actor=actor, target=tree["school"], summary="第1次",
                 before={"n": 0}, after={"n": 1}, ip="10.0.0.1")  # fmt: skip
    AuditEvent.objects.filter(seq=1).update(**{field: value})
    assert [(p.seq, p.reason) for p in verify_chain()] == [(1, "事件内容与其哈希不符（事件被修改）")]


def test_the_actor_is_covered_by_the_hash():
    tree = make_small_province()
    actor = make_user(username="p", role="province_admin", org=tree["province"])
    other = make_user(username="q", role="province_admin", org=tree["province"])
    record_event(action="nomination.submit", actor=actor, target=tree["school"], summary="第1次")
    AuditEvent.objects.filter(seq=1).update(actor=other)
    assert [p.seq for p in verify_chain()] == [1]
