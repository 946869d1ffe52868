"""`jixing audit checkpoint`: signed lines of the chain head in a file outside the database, mailed when
asked, and the old unkeyed events of an upgraded instance confirmed once."""

import hashlib
import json
import socket

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import CommandError

from jixing.audit.apps import derived_key_check
from jixing.audit.domain.checkpoints import SIGNED_FIELDS, public_key, verify_audit
from jixing.audit.domain.events import GENESIS, UNKEYED, event_hash, record_event, verify_chain
from jixing.audit.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _record(count: int) -> None:
    for n in range(count):
        record_event(action="list.pick", summary=f"选入第{n + 1}人", after={"rank": n + 1})


def _lines(path) -> list[bytes]:
    return [line for line in path.read_bytes().split(b"\n") if line]


def test_checkpoint_appends_a_signed_line_linked_to_the_one_before(checkpoints, capsys):
    _record(2)
    call_command("audit", "checkpoint")
    _record(1)
    call_command("audit", "checkpoint")
    out = capsys.readouterr().out
    assert "已写入检查点：审计链至事件 #3" in out and f"签名公钥（Ed25519）：{public_key()}" in out
    first, second = _lines(checkpoints)
    records = [json.loads(first), json.loads(second)]
    last = AuditEvent.objects.get(seq=3)
    assert (records[1]["seq"], records[1]["hash"], records[1]["at"]) == (3, last.hash, last.at.isoformat())
    assert (records[0]["prev"], records[1]["prev"]) == ("", hashlib.sha256(first).hexdigest())
    verifier = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key()))
    for record in records:
        signed = {name: record[name] for name in SIGNED_FIELDS}
        message = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        verifier.verify(bytes.fromhex(record["signature"]), message)
        with pytest.raises(InvalidSignature):
            verifier.verify(bytes.fromhex(record["signature"]), message.replace(b'"seq":', b'"seq":1'))
    call_command("audit", "verify")
    assert "与 2 个检查点相符" in capsys.readouterr().out
    assert oct(checkpoints.stat().st_mode & 0o777) == "0o640"


def test_checkpoint_of_an_empty_chain_verifies(checkpoints):
    call_command("audit", "checkpoint")
    assert json.loads(_lines(checkpoints)[0])["hash"] == GENESIS
    assert verify_audit().problems == []


def test_verify_without_checkpoints_says_what_it_cannot_see(capsys):
    _record(1)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "审计链完好：共 1 个事件" in out and "尚无检查点" in out


def test_checkpoint_line_changed_in_the_file_is_detected(checkpoints):
    _record(3)
    call_command("audit", "checkpoint")
    record = json.loads(_lines(checkpoints)[0])
    record["seq"] = 2  # to hide the loss of #3
    checkpoints.write_text(json.dumps(record) + "\n")
    assert [str(p) for p in verify_audit().problems] == [
        "检查点文件第 1 行：签名不符：此行被改动，或由另一个审计密钥（JIXING_AUDIT_KEY）签署"
    ]


def test_checkpoint_line_removed_from_the_middle_is_detected(checkpoints):
    for _ in range(3):
        _record(1)
        call_command("audit", "checkpoint")
    first, _, third = _lines(checkpoints)
    checkpoints.write_bytes(first + b"\n" + third + b"\n")
    assert [str(p) for p in verify_audit().problems] == [
        "检查点文件第 2 行：与上一行不衔接：其前的检查点被删除、插入或改动"
    ]


def test_checkpoint_torn_line_is_reported(checkpoints):
    _record(1)
    call_command("audit", "checkpoint")
    checkpoints.write_bytes(checkpoints.read_bytes() + b'{"seq": 2, "ha')
    assert [str(p) for p in verify_audit().problems] == [
        "检查点文件第 2 行：无法读取（不是完整的检查点记录：被改动或写入时中断）"
    ]


def test_checkpoints_signed_with_another_key_are_refused(checkpoints, settings):
    _record(1)
    call_command("audit", "checkpoint")
    settings.AUDIT_KEY = "a-different-audit-key-of-32-characters!"
    reasons = [str(p) for p in verify_audit().problems]
    assert reasons[0] == "检查点文件第 1 行：签名不符：此行被改动，或由另一个审计密钥（JIXING_AUDIT_KEY）签署"
    assert "事件 #1（id " in reasons[1]  # and the event's keyed hash no longer matches either


def test_checkpoint_is_refused_over_a_broken_chain_and_writes_nothing(checkpoints, capsys):
    _record(2)
    AuditEvent.objects.filter(seq=1).update(summary="改过")
    with pytest.raises(CommandError, match="审计链校验失败，未写入检查点：1 处问题"):
        call_command("audit", "checkpoint")
    assert "事件 #1（id " in capsys.readouterr().err
    assert not checkpoints.exists()


def test_checkpoint_is_mailed_when_an_address_is_configured(checkpoints, settings, mailoutbox, capsys):
    settings.AUDIT_CHECKPOINT_EMAILS = ["shenji@example.gov.cn"]
    _record(2)
    call_command("audit", "checkpoint")
    (mail,) = mailoutbox
    assert mail.to == ["shenji@example.gov.cn"]
    assert mail.subject.startswith("集星 · 审计链检查点 #2")
    assert _lines(checkpoints)[0].decode() in mail.body and public_key() in mail.body
    assert "已发送至 shenji@example.gov.cn" in capsys.readouterr().out


def test_checkpoint_mail_that_cannot_be_sent_fails_the_command_after_writing_the_file(checkpoints, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.AUDIT_CHECKPOINT_EMAILS = ["shenji@example.gov.cn"]
    _record(1)
    with pytest.raises(CommandError, match="检查点已写入文件，但邮件未能发出"):
        call_command("audit", "checkpoint")
    assert len(_lines(checkpoints)) == 1


def test_checkpoint_to_a_path_that_cannot_be_written_is_a_clear_message(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(CommandError, match="无法写入检查点文件"):
        call_command("audit", "checkpoint", "--checkpoints", str(blocker / "checkpoints.jsonl"))


def _as_written_before_the_key(count: int) -> None:
    """Events as an instance written before this version holds them: plain SHA-256, hash_version 1."""
    _record(count)
    prev = GENESIS
    for event in AuditEvent.objects.order_by("seq"):
        event.hash_version, event.prev_hash = UNKEYED, prev
        event.hash = event_hash(event)
        event.save(update_fields=["hash_version", "prev_hash", "hash"])
        prev = event.hash
    AuditHead.objects.update(last_hash=prev)


def test_old_unkeyed_events_verify_once_a_checkpoint_confirms_them(checkpoints, capsys):
    _as_written_before_the_key(3)
    _record(1)  # the first keyed event, linked to the old ones
    assert verify_chain() == []
    assert "此事件至 #3（共 3 个事件）的哈希未加密钥，且没有检查点确认" in str(verify_audit().problems[0])
    with pytest.raises(CommandError, match="未写入检查点"):
        call_command("audit", "checkpoint")  # the daily run never confirms them by itself
    call_command("audit", "checkpoint", "--confirm-unkeyed")
    _record(1)
    call_command("audit", "checkpoint")
    assert [json.loads(line)["unkeyed_until"] for line in _lines(checkpoints)] == [3, 3]
    capsys.readouterr()
    call_command("audit", "verify")
    assert "其中 #1 至 #3 是启用审计密钥前的旧事件" in capsys.readouterr().out
    # A keyed event later marked as old and recomputed without the key is caught.
    AuditEvent.objects.filter(seq=5).update(hash_version=UNKEYED)
    forged = AuditEvent.objects.get(seq=5)
    AuditEvent.objects.filter(seq=5).update(hash=event_hash(forged))
    AuditHead.objects.update(last_hash=event_hash(forged))
    problems = [str(p) for p in verify_audit().problems]
    assert problems[0] == (
        f"事件 #5（id {forged.pk}）：此事件的哈希未加密钥，却排在加密钥的事件之后：被人改写后以旧式哈希重算"
    )
    assert problems[1].startswith(f"检查点文件第 2 行：事件 #5（id {forged.pk}）的哈希与检查点（")
    assert len(problems) == 2


def test_derived_audit_key_warns_and_a_set_one_does_not(settings):
    settings.AUDIT_KEY_DERIVED = True
    assert [w.id for w in derived_key_check()] == ["audit.W001"]
    assert derived_key_check()[0].msg == "审计日志密钥由 SECRET_KEY 派生，仅供开发使用"
    settings.AUDIT_KEY_DERIVED = False
    assert derived_key_check() == []
