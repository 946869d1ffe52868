"""What someone who can edit the database can do to the audit chain, and what `jixing audit verify` then says.

Each breach is done as a database administrator would: straight on the tables, with or without the audit
key (which lives outside the database), then the chain head moved to agree. Every one must fail the command,
with the Chinese message naming the events concerned.
"""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jixing.audit.domain.checkpoints import verify_audit
from jixing.audit.domain.events import GENESIS, UNKEYED, _canonical, event_hash, record_event, verify_chain
from jixing.audit.models import AuditEvent, AuditHead
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db


def _events(count: int) -> None:
    tree = make_small_province()
    actor = make_user(username="sx_prov_admin", role="province_admin", org=tree["province"])
    for n in range(1, count + 1):
        record_event(action="nomination.submit", actor=actor, target=tree["school"], summary=f"第{n}次提交",
                     before={"state": "draft", "n": n}, after={"state": "submitted", "n": n}, ip="10.20.1.7")  # fmt: skip


def _checkpoint() -> None:
    call_command("audit", "checkpoint")


def _without_key(event: AuditEvent) -> str:
    # The hash as one who has read the source but not JIXING_AUDIT_KEY would compute it.
    return hashlib.sha256(_canonical(event)).hexdigest()


def _rewrite(seq: int, *, rehash, **changes) -> None:
    """Change event `seq`, recompute the hash of it and of every later event, and move the chain head."""
    AuditEvent.objects.filter(seq=seq).update(**changes)
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        event.hash = rehash(event)
        event.save(update_fields=["prev_hash", "hash"])
        prev = event.hash
    AuditHead.objects.update(last_hash=prev)


def _verify_fails(capsys) -> str:
    capsys.readouterr()
    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("audit", "verify")
    return capsys.readouterr().err


def test_tamper_edit_without_recompute_names_the_event(capsys):
    _events(3)
    AuditEvent.objects.filter(seq=2).update(summary="第2次提交（已撤回）")
    event_id = AuditEvent.objects.get(seq=2).pk
    assert f"事件 #2（id {event_id}）：事件内容与其哈希不符（事件被修改）" in _verify_fails(capsys)


def test_tamper_before_changed_alone_in_the_table_is_detected(capsys):
    """`before` is part of what the keyed hash covers: changed on its own, it breaks the event."""
    _events(3)
    _checkpoint()
    AuditEvent.objects.filter(seq=2).update(before={"state": "returned", "n": 2})
    assert [(p.seq, p.reason) for p in verify_chain()] == [(2, "事件内容与其哈希不符（事件被修改）")]
    assert "事件 #2（id " in _verify_fails(capsys)


def test_tamper_edit_recomputed_without_the_key_is_detected(capsys):
    _events(3)
    _rewrite(2, rehash=_without_key, actor_label="别人", after={"state": "approved", "n": 2})
    problems = [(p.seq, p.reason) for p in verify_chain()]
    # The links agree (they were recomputed), the keyed hashes do not: from the edited event on.
    assert problems == [(2, "事件内容与其哈希不符（事件被修改）"), (3, "事件内容与其哈希不符（事件被修改）")]
    err = _verify_fails(capsys)
    assert f"事件 #2（id {AuditEvent.objects.get(seq=2).pk}）：事件内容与其哈希不符" in err


def test_tamper_edit_recomputed_under_the_old_unkeyed_scheme_is_detected(capsys):
    """Marking rewritten events as written before the key existed does not pass either."""
    _events(3)
    AuditEvent.objects.filter(seq__gte=2).update(hash_version=UNKEYED)
    _rewrite(2, rehash=event_hash, summary="改过")  # event_hash of an unkeyed event needs no key
    event_id = AuditEvent.objects.get(seq=2).pk
    assert [str(p) for p in verify_chain()] == [
        f"事件 #2（id {event_id}）：此事件至 #3（共 2 个事件）的哈希未加密钥，却排在加密钥的事件之后："
        "被人改写后以旧式哈希重算"
    ]
    assert f"事件 #2（id {event_id}）：此事件至 #3" in _verify_fails(capsys)


def test_tamper_whole_chain_recomputed_under_the_old_scheme_is_detected(capsys):
    _events(3)
    AuditEvent.objects.update(hash_version=UNKEYED)
    _rewrite(1, rehash=event_hash, summary="改过")
    assert (
        verify_chain() == []
    )  # the chain alone is consistent: only the checkpoints know the key began at #1
    err = _verify_fails(capsys)
    event_id = AuditEvent.objects.get(seq=1).pk
    assert f"事件 #1（id {event_id}）：此事件至 #3（共 3 个事件）的哈希未加密钥，且没有检查点确认" in err


def test_tamper_edit_recomputed_with_the_key_is_detected_against_a_later_checkpoint(capsys):
    _events(1)
    _checkpoint()
    for n in (2, 3):
        record_event(action="nomination.return", summary=f"退回{n}")
    _checkpoint()
    record_event(action="nomination.return", summary="退回4")
    _checkpoint()
    _rewrite(2, rehash=event_hash, summary="改过")  # with the key: the chain itself is consistent again
    assert verify_chain() == []
    err = _verify_fails(capsys)
    event_id = AuditEvent.objects.get(seq=3).pk
    assert f"检查点文件第 2 行：事件 #3（id {event_id}）的哈希与检查点（" in err
    assert (
        "事件 #2 至 #3 中有事件在检查点之后被改写，其后的哈希被人用审计密钥重算；其后 1 个检查点也因此不符"
        in err
    )


def test_tamper_last_event_deleted_and_head_moved_back_is_detected_below_a_checkpoint(capsys):
    _events(3)
    _checkpoint()
    AuditEvent.objects.filter(seq=3).delete()
    AuditHead.objects.update(last_seq=2, last_hash=AuditEvent.objects.get(seq=2).hash)
    assert verify_chain() == []
    err = _verify_fails(capsys)
    assert "记下审计链已到事件 #3，现存事件只到 #2：事件 #3 被删除" in err


def test_tamper_tail_cut_below_the_latest_of_several_checkpoints_names_every_lost_event(capsys):
    _events(2)
    _checkpoint()
    for n in (3, 4, 5):
        record_event(action="nomination.return", summary=f"退回{n}")
    _checkpoint()
    AuditEvent.objects.filter(seq__gt=2).delete()
    AuditHead.objects.update(last_seq=2, last_hash=AuditEvent.objects.get(seq=2).hash)
    report = verify_audit()
    assert [str(p) for p in report.problems] == [
        f"检查点文件第 2 行：检查点（{report.checkpoints[1].written} 写入）记下审计链已到事件 #5，"
        "现存事件只到 #2：事件 #3 至 #5 被删除"
    ]
    assert "事件 #3 至 #5 被删除" in _verify_fails(capsys)


def test_tamper_events_after_the_last_checkpoint_are_covered_by_the_key_alone():
    """The limit, stated: after the last checkpoint, only the key protects the chain."""
    _events(2)
    _checkpoint()
    record_event(action="export", summary="导出")
    _rewrite(3, rehash=event_hash, summary="改过")
    assert verify_audit().problems == []
    _rewrite(3, rehash=_without_key, summary="又改过")
    assert [(p.seq, p.reason) for p in verify_audit().problems] == [(3, "事件内容与其哈希不符（事件被修改）")]


def test_tamper_renumbered_event_breaks_its_own_hash_too():
    """The sequence number is hashed as well: renumbering an event is not only a gap in the numbers."""
    _events(1)
    AuditEvent.objects.filter(seq=1).update(seq=2)
    AuditHead.objects.update(last_seq=2)
    event_id = AuditEvent.objects.get(seq=2).pk
    assert [str(p) for p in verify_chain()] == [
        f"事件 #2（id {event_id}）：序号不连续：应为 1，实为 2（有事件被删除或插入）",
        f"事件 #2（id {event_id}）：事件内容与其哈希不符（事件被修改）",
    ]
