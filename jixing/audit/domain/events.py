"""Writing and verifying the audit chain.

Every state change, decision, upload, export and login is recorded here by the domain function that
makes it, inside the same transaction: if the change rolls back, so does its event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


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
    return hashlib.sha256(_canonical(event)).hexdigest()


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


def verify_chain(batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the whole chain; report every event whose hash, link or sequence is wrong."""
    problems: list[ChainProblem] = []
    expected_prev, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    event.seq, f"序号不连续：应为 {expected_seq}，实为 {event.seq}（有事件被删除或插入）"
                )
            )
        if event.prev_hash != expected_prev:
            problems.append(
                ChainProblem(event.seq, "与前一事件的哈希不衔接（前一事件被修改、删除或此处有插入）")
            )
        if event_hash(event) != event.hash:
            problems.append(ChainProblem(event.seq, "事件内容与其哈希不符（事件被修改）"))
        expected_prev, expected_seq = event.hash, event.seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != expected_seq - 1:
        problems.append(
            ChainProblem(head.last_seq, f"链尾被删除：链头记录到 {head.last_seq}，现存至 {expected_seq - 1}")
        )
    return problems
