"""Real-name objections (实名反映) during the 公示 window, and the province's handling of them."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.enums import HANDLED_OUTCOMES, RECORDED_CHANNELS, ObjectionChannel, ObjectionOutcome
from jixing.announcements.models import AnnouncementEntry, Objection
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.notifications.domain import notify, people_concerned, province_admins
from jixing.refusals import Refused
from jixing.tables.checks import check_mobile
from jixing.tables.columns import CellProblem

REAL_NAME_REQUIRED = "实名反映：请填写姓名和联系电话"
PHONE_FORMAT = "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0351-3183924）"
# A landline with its area code: 3 digits for Beijing, Tianjin and the 02x cities (010, 022, 020–029),
# 4 for the rest (0351), then 7 or 8 digits. Mobiles follow the importers' rule (tables.checks.check_mobile).
LANDLINE = re.compile(r"(0[12][0-9]|0[3-9][0-9]{2})([0-9]{7,8})")
NAME_MAX, CONTENT_MAX = 32, 2000
# Receipts mix letters into the digits so that no receipt ever reads like a phone or ID number.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT = re.compile(r"YY[A-Z]{4}[0-9]{4}")


class ObjectionRefused(Refused):
    """An objection that cannot be taken or handled; the message says why, in Chinese."""


class DuplicateObjection(ObjectionRefused):
    """The same objection was taken before; `receipt` is the first one's, where its progress is shown."""

    def __init__(self, message: str, *, receipt: str) -> None:
        super().__init__(message)
        self.receipt = receipt


def normalise_phone(raw: str) -> str:
    """The phone number as stored and compared: a mobile as its 11 digits, by the importers' rule
    (spaces and dashes dropped: `139 1234 5678`, `139-1234-5678` → 13912345678); a landline with its
    area code as area code, one dash, number (`0351 3183924`, `03513183924` → 0351-3183924). Full-width
    digits, spaces and dashes typed with a Chinese input method count as their plain forms.
    ObjectionRefused for anything else."""
    text = unicodedata.normalize("NFKC", raw).strip()
    try:
        return check_mobile(text)
    except CellProblem:
        pass
    landline = LANDLINE.fullmatch(text.replace(" ", "").replace("-", ""))
    if landline is None:
        raise ObjectionRefused(PHONE_FORMAT)
    return f"{landline[1]}-{landline[2]}"


def normalise_receipt(raw: str) -> str | None:
    """A receipt as typed (any case, spaces, full-width letters) in its stored form, or None when it
    cannot be one."""
    text = unicodedata.normalize("NFKC", raw).replace(" ", "").upper()
    return text if RECEIPT.fullmatch(text) else None


def _same_content(text: str) -> str:
    # Whitespace and the width of characters do not make an objection a different one.
    return "".join(unicodedata.normalize("NFKC", text).split())


def _phone_digits(phone: str) -> str:
    # Objections stored before phones were normalised kept the dashes typed.
    return "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isascii() and ch.isdigit())


def earlier_duplicate(*, entry: AnnouncementEntry, phone: str, content: str) -> Objection | None:
    """The first objection taken about `entry`'s nomination during its 公示 window from the same phone
    number with the same content (whitespace and character width aside), if any. The phone is stored
    encrypted, so the nomination's few objections are compared here rather than in SQL. Reads only."""
    digits, key = _phone_digits(phone), _same_content(content)
    earlier = Objection.objects.filter(
        nomination_id=entry.nomination_id, received_at__gte=entry.announcement.window_starts_at
    ).order_by("received_at", "pk")
    for objection in earlier.only("receipt", "phone", "content", "received_at"):
        if _phone_digits(objection.phone) == digits and _same_content(objection.content) == key:
            return objection
    return None


def _receipt() -> str:
    letters = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4))
    return f"YY{letters}{secrets.randbelow(10**4):04d}"


def _format_window(entry: AnnouncementEntry) -> str:
    a = entry.announcement
    return f"{a.starts_on:%Y年%m月%d日}至{a.ends_on:%Y年%m月%d日}"


def check_objection(*, entry: AnnouncementEntry, name: str, phone: str, content: str, now: datetime) -> str:
    """Raise ObjectionRefused unless the objection can be taken now: real name and phone, content, the
    window open, the nomination still on the list, not the same objection again (DuplicateObjection:
    same nomination, same phone number, same content, during the same 公示). Returns the phone number
    normalised. Reads only."""
    if not name.strip() or not phone.strip():
        raise ObjectionRefused(REAL_NAME_REQUIRED)
    if len(name.strip()) > NAME_MAX:
        raise ObjectionRefused(f"姓名不能超过 {NAME_MAX} 个字")
    normalised = normalise_phone(phone)
    if not content.strip():
        raise ObjectionRefused("请填写反映的具体问题")
    if len(content.strip()) > CONTENT_MAX:
        raise ObjectionRefused(f"反映内容不能超过 {CONTENT_MAX} 字")
    announcement = entry.announcement
    if now < announcement.window_starts_at:
        raise ObjectionRefused(f"公示期为{_format_window(entry)}，尚未开始受理，请在公示期内反映")
    if announcement.has_closed(now):
        raise ObjectionRefused(f"公示期（{_format_window(entry)}）已结束，不再受理反映")
    if entry.nomination.state != S.PUBLISHED:
        raise ObjectionRefused("该公示对象已不在公示名单中，不再受理反映")
    first = earlier_duplicate(entry=entry, phone=normalised, content=content)
    if first is not None:
        raise DuplicateObjection(
            f"您已于{timezone.localtime(first.received_at):%Y年%m月%d日 %H:%M}就该公示对象提交过相同内容的反映"
            f"（受理编号 {first.receipt}），请勿重复提交。可凭受理编号查询办理情况。",
            receipt=first.receipt,
        )
    return normalised


def submit_objection(
    *,
    entry: AnnouncementEntry,
    name: str,
    phone: str,
    content: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """Take a real-name objection to a published nomination during its window.

    Refused (ObjectionRefused, nothing stored) without name and phone (anonymous objections are not
    taken), with a phone number that is neither a mobile nor a landline with its area code, without
    content, outside the window, when the nomination left the list, or as DuplicateObjection when the
    same phone number sent the same content about the same nomination during this 公示 before (the
    nomination's row lock makes two identical objections at the same moment count as one and a
    duplicate). The phone number is stored normalised (normalise_phone).
    Side effects, in one transaction: the objection stored with the sender's address; an audit event
    `nomination.objection_received` on the nomination (receipt only: the objector's name and phone stay
    in the objection); the people concerned are told on commit that the nomination was objected to,
    without who objected or what was said, and the province's admins that an objection waits for them.
    """
    return _take_objection(
        entry=entry, name=name, phone=phone, content=content, received_at=now or timezone.now(), ip=ip
    )


def record_objection(
    *,
    entry: AnnouncementEntry,
    channel: str,
    name: str,
    phone: str,
    content: str,
    received_at: datetime | None,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """Record an objection the province received by phone, letter or e-mail, on behalf of the objector.

    Taken exactly as one sent on the public page (submit_objection): the objector's real name and phone
    number, the content, the window (judged at `received_at`, when the province received it, which may
    not lie in the future), the nomination still on the list, no duplicate; then the same receipt, the
    same notices and the same handling (handle_objection). Only a province admin records; the channel
    is one of 电话, 信函, 电子邮件. Side effects as submit_objection's, the audit event naming the admin
    and the channel; the objection keeps who recorded it.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以登记电话、信函或电子邮件反映")
    if channel not in RECORDED_CHANNELS:
        raise ObjectionRefused("请选择收到反映的方式：电话、信函或电子邮件")
    now = now or timezone.now()
    if received_at is None:
        raise ObjectionRefused("请填写收到反映的时间")
    if received_at > now:
        raise ObjectionRefused("收到时间不能晚于现在")
    return _take_objection(
        entry=entry,
        name=name,
        phone=phone,
        content=content,
        received_at=received_at,
        ip=ip,
        channel=ObjectionChannel(channel),
        actor=actor,
    )


def _take_objection(
    *,
    entry: AnnouncementEntry,
    name: str,
    phone: str,
    content: str,
    received_at: datetime,
    ip: str | None,
    channel: ObjectionChannel = ObjectionChannel.WEB,
    actor=None,
) -> Objection:
    now = received_at
    with transaction.atomic():
        # The state as of now, locked: a withdrawal at the same moment is decided before or after this.
        nomination = (
            Nomination.objects.select_for_update().select_related("category").get(pk=entry.nomination_id)
        )
        entry.nomination = nomination
        normalised = check_objection(entry=entry, name=name, phone=phone, content=content, now=now)
        objection = Objection.objects.create(
            nomination=nomination,
            receipt=_receipt(),
            name=name.strip(),
            phone=normalised,
            content=content.strip(),
            received_at=now,
            ip=ip,
            channel=channel,
            recorded_by=actor,
        )
        by = "" if channel == ObjectionChannel.WEB else f"，{channel.label}反映，由省平台登记"
        record_event(
            action=AuditAction.NOMINATION_OBJECTION_RECEIVED,
            actor=actor,
            target=nomination,
            summary=f"{nomination.number} 公示期间收到实名反映（受理编号 {objection.receipt}{by}）",
            after={"objection": objection.receipt}
            | (
                {}
                if channel == ObjectionChannel.WEB
                else {"channel": channel.value, "channel_label": channel.label}
            ),
            ip=ip,
        )
        notify(
            people_concerned(nomination),
            message=f"申报 {nomination.number}（{nomination.category.name} · {entry.display_name}）"
            "在公示期间收到实名反映，省平台将核查处理。",
            nomination=nomination,
        )
        notify(
            province_admins(),
            message=f"收到对申报 {nomination.number}（{nomination.category.name} · {entry.display_name}）"
            f"的实名反映，受理编号 {objection.receipt}，请在“汇总公示 · 公示异议”中核查处理。",
            nomination=nomination,
        )
    return objection


def handle_objection(
    *,
    objection: Objection,
    outcome: str,
    note: str,
    actor,
    now: datetime | None = None,
    ip: str | None = None,
) -> Objection:
    """Record the province's finding on an objection, once.

    UPHELD (异议成立) withdraws the nomination (Action.WITHDRAW, the note as its reason) unless it was
    already withdrawn; DISMISSED (异议不成立) keeps it and tells the people concerned. The note
    (核查情况) is required. Refused with ObjectionRefused (nothing changed) when the objection was
    handled already, or when the withdrawal is refused (e.g. outside its phases).
    Side effects, in one transaction: the objection's outcome, handler, time and note; the withdrawal
    through transition() (its audit event and notification); an audit event
    `nomination.objection_handled` on the nomination.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以处理公示异议")
    if outcome not in HANDLED_OUTCOMES:
        raise ObjectionRefused("请选择处理结果：异议成立（撤销入选）或异议不成立（维持入选）")
    if not note.strip():
        raise ObjectionRefused("请填写核查情况")
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update().select_related("nomination__category").get(pk=objection.pk)
        )
        if locked.is_handled:
            raise ObjectionRefused(
                f"该异议（{locked.receipt}）已于 {timezone.localtime(locked.handled_at):%Y-%m-%d %H:%M} 处理"
            )
        nomination = locked.nomination
        label = ObjectionOutcome(outcome).label
        if outcome == ObjectionOutcome.UPHELD and nomination.state != S.WITHDRAWN:
            try:
                transition(
                    nomination,
                    Action.WITHDRAW,
                    actor=actor,
                    reason=f"公示异议成立：{note.strip()}",
                    now=now,
                    ip=ip,
                )
            except TransitionRefused as exc:
                raise ObjectionRefused(f"无法撤销该申报：{exc}", rule_id=exc.rule_id) from exc
        locked.outcome, locked.note = outcome, note.strip()
        locked.handled_by, locked.handled_at = actor, now
        locked.save(update_fields=["outcome", "note", "handled_by", "handled_at"])
        record_event(
            action=AuditAction.NOMINATION_OBJECTION_HANDLED,
            actor=actor,
            target=nomination,
            summary=f"{nomination.number} 异议 {locked.receipt} 处理：{label}",
            before={"outcome": ObjectionOutcome.PENDING},
            after={
                "objection": locked.receipt,
                "outcome": outcome,
                "outcome_label": label,
                "note": locked.note,
            },
            ip=ip,
        )
        if outcome == ObjectionOutcome.DISMISSED:
            notify(
                people_concerned(nomination),
                message=f"申报 {nomination.number}（{nomination.category.name}）公示期间收到的反映经核查不成立，维持入选。",
                nomination=nomination,
            )
    objection.outcome, objection.note = locked.outcome, locked.note
    objection.handled_by, objection.handled_at = locked.handled_by, locked.handled_at
    return objection
