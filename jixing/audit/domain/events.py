"""Writing and verifying the audit chain.

Every state change, decision, upload, export and login is recorded here by the domain function that
makes it, inside the same transaction: if the change rolls back, so does its event.

Each event's hash covers every field that describes it and the previous event's hash, keyed with
settings.AUDIT_KEY (HMAC-SHA256), which lives outside the database: whoever can edit the tables but not
read the key can change an event, but cannot make the chain agree with the change. What the key alone
cannot show — history rewritten by someone holding it, or the tail cut off — the signed checkpoints kept
outside the database show (checkpoints.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
# AuditEvent.hash_version: events written before the chain was keyed keep their plain SHA-256 and verify
# under it, as a prefix of the chain that a checkpoint has confirmed (checkpoints.py); all others are keyed.
UNKEYED, KEYED = 1, 2


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def event_hash(event: AuditEvent) -> str:
    """HMAC-SHA256 with settings.AUDIT_KEY over every field that describes the event and the previous
    event's hash; a plain SHA-256 for the events written before the key existed (hash_version 1)."""
    if event.hash_version == UNKEYED:
        return hashlib.sha256(_canonical(event)).hexdigest()
    return hmac.new(settings.AUDIT_KEY.encode(), _canonical(event), hashlib.sha256).hexdigest()


def _jsonable(value: Any) -> Any:
    # Round-trip through the encoder so what is hashed equals what the JSON column gives back.
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_event(
    *,
    action: AuditAction | str,
    actor=None,
    target: models.Model | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction (it opens one if not).

    `action` is an AuditAction; a plain string of the same value is still taken from the callers not yet
    converted (people.domain's imports, the demo loader) and stored alike."""
    with transaction.atomic():
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor_user,
            actor_label=str(actor_user.username) if actor_user else "",
            action=str(action),
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            summary=summary[:255],
            before=_jsonable(before),
            after=_jsonable(after),
            ip=ip,
            prev_hash=head.last_hash,
            hash_version=KEYED,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str
    event_id: int | None = None

    def __str__(self) -> str:
        where = f"事件 #{self.seq}" if self.event_id is None else f"事件 #{self.seq}（id {self.event_id}）"
        return f"{where}：{self.reason}"


@dataclass
class _Run:
    """Consecutive-or-not events of one kind, reported as one problem rather than one line each."""

    first: int = 0
    first_id: int | None = None
    last: int = 0
    count: int = 0

    def add(self, seq: int, event_id: int) -> None:
        if not self.count:
            self.first, self.first_id = seq, event_id
        self.last, self.count = seq, self.count + 1

    def span(self) -> str:
        return "此事件" if self.count == 1 else f"此事件至 #{self.last}（共 {self.count} 个事件）"


@dataclass
class ChainWalk:
    """What one pass over the whole chain found."""

    problems: list[ChainProblem]
    count: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    last_at: str = ""
    last_unkeyed: int = 0  # the last event still under the plain SHA-256, 0 if none
    anchored: dict[int, tuple[str, int]] = field(default_factory=dict)  # seq -> (hash, id), as asked


def walk_chain(
    *, anchors: Collection[int] = (), confirmed_unkeyed: int | None = None, batch_size: int = 5000
) -> ChainWalk:
    """Walk the whole chain once; report every event whose hash, link, sequence or hash scheme is wrong, and
    keep the hashes at the `anchors` sequence numbers for the checkpoints to be held against.

    An unkeyed (old-scheme) event is accepted only in the chain's prefix — never after a keyed one — and,
    when `confirmed_unkeyed` is given, only up to that sequence number, which a signed checkpoint confirmed:
    otherwise rewriting events and recomputing them under the old scheme would pass without the key."""
    walk = ChainWalk(problems=[])
    problems = walk.problems
    wanted = set(anchors)
    late_unkeyed, unconfirmed = _Run(), _Run()
    expected_prev, expected_seq, keyed_seen = GENESIS, 1, False
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    event.seq,
                    f"序号不连续：应为 {expected_seq}，实为 {event.seq}（有事件被删除或插入）",
                    event.pk,
                )
            )
        if event.prev_hash != expected_prev:
            problems.append(
                ChainProblem(
                    event.seq, "与前一事件的哈希不衔接（前一事件被修改、删除或此处有插入）", event.pk
                )
            )
        if event.hash_version not in (UNKEYED, KEYED):
            problems.append(ChainProblem(event.seq, f"哈希方案未知（{event.hash_version}）", event.pk))
        elif event_hash(event) != event.hash:
            problems.append(ChainProblem(event.seq, "事件内容与其哈希不符（事件被修改）", event.pk))
        if event.hash_version == UNKEYED:
            walk.last_unkeyed = event.seq
            if keyed_seen:
                late_unkeyed.add(event.seq, event.pk)
            elif confirmed_unkeyed is not None and event.seq > confirmed_unkeyed:
                unconfirmed.add(event.seq, event.pk)
        else:
            keyed_seen = True
        if event.seq in wanted:
            walk.anchored[event.seq] = (event.hash, event.pk)
        walk.count += 1
        walk.last_seq, walk.last_hash, walk.last_at = event.seq, event.hash, event.at.isoformat()
        expected_prev, expected_seq = event.hash, event.seq + 1
    if late_unkeyed.count:
        problems.append(
            ChainProblem(
                late_unkeyed.first,
                f"{late_unkeyed.span()}的哈希未加密钥，却排在加密钥的事件之后：被人改写后以旧式哈希重算",
                late_unkeyed.first_id,
            )
        )
    if unconfirmed.count:
        problems.append(
            ChainProblem(
                unconfirmed.first,
                f"{unconfirmed.span()}的哈希未加密钥，且没有检查点确认是启用密钥前的旧事件"
                f"（已确认至 #{confirmed_unkeyed}）：可能被人改写后以旧式哈希重算。若确为升级前的事件，"
                "核实后运行 jixing audit checkpoint --confirm-unkeyed",
                unconfirmed.first_id,
            )
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != walk.last_seq:
        problems.append(
            ChainProblem(head.last_seq, f"链尾被删除：链头记录到 {head.last_seq}，现存至 {walk.last_seq}")
        )
    elif head is not None and head.last_hash != walk.last_hash:
        problems.append(ChainProblem(head.last_seq, "链头记下的哈希与最后一个事件不符（链尾被改写）"))
    return walk


def verify_chain(batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the whole chain with the key; report every event whose hash, link or sequence is wrong. The
    checkpoints outside the database are held against it by checkpoints.verify_audit (`jixing audit verify`)."""
    return walk_chain(batch_size=batch_size).problems
