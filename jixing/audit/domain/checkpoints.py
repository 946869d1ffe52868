"""Signed checkpoints of the audit chain, kept outside the database.

The keyed hashes (events.py) stop whoever can edit the tables but cannot read JIXING_AUDIT_KEY. They cannot
stop someone who holds the key from rewriting history and recomputing every hash after it, nor anyone from
deleting the last events and moving the chain head back: the chain would be consistent again. So
`jixing audit checkpoint` (daily) appends the chain head — its sequence number and hash — to a file outside
the database, one JSON line each, signed with an Ed25519 key derived from the audit key and linked to the
line before it, and mails the line when an address is configured. `jixing audit verify` then holds the
chain against every checkpoint: an event rewritten before a checkpoint changes the hash at the checkpoint's
sequence number, and a tail cut below a checkpoint leaves the chain shorter than it once was.

What a checkpoint cannot show: changes after the last checkpoint by someone holding the key, and the file
itself cut short by someone who may write it (keep it append-only, on another machine's storage, and mailed).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from jixing.audit.domain.events import GENESIS, ChainProblem, ChainWalk, walk_chain
from jixing.refusals import Refused

# What a checkpoint's signature covers; `signature` and `public_key` ride along unsigned.
SIGNED_FIELDS = ("seq", "hash", "at", "written_at", "unkeyed_until", "prev")


@dataclass(frozen=True)
class Checkpoint:
    line: int  # its line in the file, from 1
    seq: int  # the chain head at the time: its last event's sequence number and hash (0 and GENESIS if empty)
    hash: str
    at: str  # that event's time
    written_at: str
    unkeyed_until: int  # the chain's old unkeyed prefix, as confirmed by a checkpoint (0: none)
    prev: str  # sha256 of the line before it ("" for the first line)

    @property
    def written(self) -> str:
        return self.written_at[:16].replace("T", " ")


@dataclass(frozen=True)
class CheckpointProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"检查点文件第 {self.line} 行：{self.reason}"


Problem = ChainProblem | CheckpointProblem


@dataclass
class AuditReport:
    """The chain walked once and held against the checkpoint file."""

    path: Path
    walk: ChainWalk
    checkpoints: list[Checkpoint]
    problems: list[Problem]
    unkeyed_until: int


class CheckpointRefused(Refused):
    """The chain does not verify: a checkpoint now would vouch for whatever is wrong with it."""

    def __init__(self, report: AuditReport):
        super().__init__(f"审计链校验发现 {len(report.problems)} 处问题，未写入检查点")
        self.report = report


def _signing_key() -> Ed25519PrivateKey:
    # Derived from the audit key, so there is one secret to keep; the public half lets anyone given it check
    # a mailed checkpoint without being able to make one.
    seed = hmac.new(
        settings.AUDIT_KEY.encode(), b"jixing audit checkpoint signing key", hashlib.sha256
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> str:
    """The checkpoints' Ed25519 public key, hex."""
    return _signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _signed_bytes(record: dict[str, Any]) -> bytes:
    signed = {name: record[name] for name in SIGNED_FIELDS}
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _parse(record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ValueError("not an object")
    for name in ("seq", "unkeyed_until"):
        if not isinstance(record.get(name), int) or isinstance(record[name], bool) or record[name] < 0:
            raise ValueError(name)
    for name in ("hash", "at", "written_at", "prev", "signature"):
        if not isinstance(record.get(name), str):
            raise ValueError(name)
    return record


def read_checkpoints(path: Path) -> tuple[list[Checkpoint], list[CheckpointProblem]]:
    """Every checkpoint of the file whose signature holds, and what is wrong with the others. A missing
    file is no checkpoints (a new instance); a line out of its place in the chain of lines is reported but
    still held against the audit chain, since its signature shows it is genuine."""
    if not path.exists():
        return [], []
    verifier = _signing_key().public_key()
    checkpoints: list[Checkpoint] = []
    problems: list[CheckpointProblem] = []
    prev = ""
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not raw.strip():
            continue
        expected_prev, prev = prev, hashlib.sha256(raw).hexdigest()
        try:
            record = _parse(json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            problems.append(CheckpointProblem(number, "无法读取（不是完整的检查点记录：被改动或写入时中断）"))
            continue
        try:
            verifier.verify(bytes.fromhex(record["signature"]), _signed_bytes(record))
        except (InvalidSignature, ValueError):
            problems.append(
                CheckpointProblem(number, "签名不符：此行被改动，或由另一个审计密钥（JIXING_AUDIT_KEY）签署")
            )
            continue
        if record["prev"] != expected_prev:
            problems.append(CheckpointProblem(number, "与上一行不衔接：其前的检查点被删除、插入或改动"))
        checkpoints.append(
            Checkpoint(
                line=number,
                seq=record["seq"],
                hash=record["hash"],
                at=record["at"],
                written_at=record["written_at"],
                unkeyed_until=record["unkeyed_until"],
                prev=record["prev"],
            )
        )
    return checkpoints, problems


def _held_against(checkpoints: list[Checkpoint], walk: ChainWalk) -> list[CheckpointProblem]:
    problems: list[CheckpointProblem] = []
    beyond = [c for c in checkpoints if c.seq > walk.last_seq]
    if beyond:
        top = max(beyond, key=lambda c: c.seq)
        lost = f"#{top.seq}" if top.seq == walk.last_seq + 1 else f"#{walk.last_seq + 1} 至 #{top.seq}"
        problems.append(
            CheckpointProblem(
                top.line,
                f"检查点（{top.written} 写入）记下审计链已到事件 #{top.seq}，现存事件只到 #{walk.last_seq}："
                f"事件 {lost} 被删除",
            )
        )
    last_good, first_bad, later_bad = 0, None, 0
    for checkpoint in sorted(
        (c for c in checkpoints if c.seq <= walk.last_seq), key=lambda c: (c.seq, c.line)
    ):
        if checkpoint.seq == 0:
            now, event_id = GENESIS, None
        elif checkpoint.seq in walk.anchored:
            now, event_id = walk.anchored[checkpoint.seq]
        else:
            problems.append(
                CheckpointProblem(checkpoint.line, f"检查点记下的事件 #{checkpoint.seq} 已不存在（被删除）")
            )
            continue
        if now == checkpoint.hash:
            if first_bad is None:
                last_good = checkpoint.seq
            continue
        if first_bad is not None:
            later_bad += 1
            continue
        first_bad = (checkpoint, now, event_id)
    if first_bad is not None:
        checkpoint, now, event_id = first_bad
        span = (
            f"#{checkpoint.seq}"
            if last_good + 1 == checkpoint.seq
            else f"#{last_good + 1} 至 #{checkpoint.seq}"
        )
        tail = f"；其后 {later_bad} 个检查点也因此不符" if later_bad else ""
        problems.append(
            CheckpointProblem(
                checkpoint.line,
                f"事件 #{checkpoint.seq}（id {event_id}）的哈希与检查点（{checkpoint.written} 写入）记下的不同"
                f"（记下 {checkpoint.hash[:16]}…，现为 {now[:16]}…）：事件 {span} 中有事件在检查点之后被改写，"
                f"其后的哈希被人用审计密钥重算{tail}",
            )
        )
    return problems


def verify_audit(path: Path | None = None, *, confirm_unkeyed: bool = False) -> AuditReport:
    """The whole check of `jixing audit verify`: the chain with the key, then against every checkpoint of
    the file. `confirm_unkeyed` accepts the chain's old unkeyed prefix unconfirmed (for the one checkpoint
    that confirms it)."""
    path = Path(path or settings.AUDIT_CHECKPOINTS)
    checkpoints, file_problems = read_checkpoints(path)
    unkeyed_until = max((c.unkeyed_until for c in checkpoints), default=0)
    walk = walk_chain(
        anchors={c.seq for c in checkpoints}, confirmed_unkeyed=None if confirm_unkeyed else unkeyed_until
    )
    problems: list[Problem] = [*file_problems, *walk.problems, *_held_against(checkpoints, walk)]
    return AuditReport(path, walk, checkpoints, problems, unkeyed_until)


def write_checkpoint(path: Path | None = None, *, confirm_unkeyed: bool = False) -> tuple[Checkpoint, str]:
    """Verify the chain and the file, then append a signed checkpoint of the chain head to the file (created
    if missing, 0640), flushed to disk; return it and the line written. Raises CheckpointRefused, writing
    nothing, when anything is wrong: a checkpoint must never vouch for a rewritten chain.

    `confirm_unkeyed` makes this checkpoint confirm the chain's unkeyed prefix (events written before the
    audit key existed): run once, by hand, after upgrading an instance that already had events."""
    report = verify_audit(path, confirm_unkeyed=confirm_unkeyed)
    if report.problems:
        raise CheckpointRefused(report)
    walk = report.walk
    record: dict[str, Any] = {
        "seq": walk.last_seq,
        "hash": walk.last_hash,
        "at": walk.last_at,
        "written_at": timezone.localtime().isoformat(timespec="seconds"),
        "unkeyed_until": walk.last_unkeyed if confirm_unkeyed else report.unkeyed_until,
    }
    report.path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(report.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "r+b") as file:
        # One writer at a time, so that each line links to the one really before it.
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        lines = [line for line in file.read().split(b"\n") if line.strip()]
        record["prev"] = hashlib.sha256(lines[-1]).hexdigest() if lines else ""
        record["signature"] = _signing_key().sign(_signed_bytes(record)).hex()
        record["public_key"] = public_key()
        line = json.dumps(record, sort_keys=True, ensure_ascii=False)
        file.write(line.encode() + b"\n")
        file.flush()
        os.fsync(file.fileno())
    checkpoint = Checkpoint(
        line=len(lines) + 1,
        seq=record["seq"],
        hash=record["hash"],
        at=record["at"],
        written_at=record["written_at"],
        unkeyed_until=record["unkeyed_until"],
        prev=record["prev"],
    )
    return checkpoint, line


def mail_checkpoint(checkpoint: Checkpoint, line: str) -> list[str]:
    """Mail the checkpoint's line to settings.AUDIT_CHECKPOINT_EMAILS (none: nothing sent); a copy the
    database's and the server's administrators cannot take back. Returns the addresses; raises OSError
    (smtplib's errors included) when the mail server refuses."""
    recipients = list(settings.AUDIT_CHECKPOINT_EMAILS)
    if recipients:
        body = (
            f"集星审计链检查点：截至 {checkpoint.written}，审计链共 {checkpoint.seq} 个事件，"
            f"最后一个事件的哈希为 {checkpoint.hash}。\n\n"
            "请原样保存下面这一行（不要改动）。日后核查时，把保存的各行按时间顺序存成一个文件，运行\n"
            "  jixing audit verify --checkpoints 该文件\n"
            "即可发现此后被改写或删除的审计事件。签名公钥（Ed25519）：\n"
            f"  {public_key()}\n\n{line}\n"
        )
        send_mail(f"集星 · 审计链检查点 #{checkpoint.seq}（{checkpoint.written}）", body, None, recipients)
    return recipients
