"""One-time enrolment codes: who may bind a province admin's authenticator.

Knowing a province admin's password is not enough to bind the second factor: the enrolment page first
asks for a code issued on the command line (`jixing issue-enrolment-code 账号`) or by another province
admin in the app (账号 → 绑定码). The code is random (12 characters of 29, about 58 bits), kept only as a
password hash, valid for 72 hours and for one use; issuing a new one voids the account's earlier unused
ones. Using it opens one enrolment in one session: a fresh device whose key only that session is shown.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_stubs_ext import WithAnnotations

from jixing.accounts.domain.second_factor import DEVICE_NAME, confirmed_device
from jixing.accounts.enums import UserRole
from jixing.accounts.models import EnrolmentCode, User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.refusals import Refused

LIFETIME = timedelta(hours=72)
# No 0/O, 1/I/L or U/V lookalikes: the code is read off a screen or a terminal and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
LENGTH = 12


class EnrolmentRefused(Refused):
    """A code that cannot be issued, with the reason in Chinese."""


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, never stored
    expires_at: datetime


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_code(typed: str) -> str:
    """What the user typed, without case, blanks and dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def can_issue_enrolment_code(actor: User | None, user: User) -> bool:
    """The command line (no actor) may issue for anyone; in the app, a province admin who has bound an
    authenticator may issue for another province admin."""
    if actor is None:
        return True
    return (
        actor.is_active
        and actor.is_province_admin
        and actor.pk != user.pk
        and confirmed_device(actor) is not None
    )


def issue_enrolment_code(
    *, user: User, actor: User | None = None, ip: str | None = None, now: datetime | None = None
) -> IssuedCode:
    """A new one-time code for `user` to bind an authenticator with. Side effects: the user's earlier
    unused codes are deleted, the new one is stored hashed, an audit event `2fa_code_issued` is written.
    Raises EnrolmentRefused for an account that needs no code or already has an authenticator."""
    if actor is not None and not can_issue_enrolment_code(actor, user):
        raise EnrolmentRefused("只有已绑定身份验证器的省平台管理员可以为其他省平台管理员签发绑定码。")
    if user.role != UserRole.PROVINCE_ADMIN or not user.is_active:
        raise EnrolmentRefused(f"{user.username} 不是在用的省平台管理员账号，无需绑定身份验证器。")
    if confirmed_device(user) is not None:
        raise EnrolmentRefused(
            f"{user.username} 已绑定身份验证器。更换或丢失手机时，先重置（jixing twofactor-reset "
            f"{user.username}），再签发绑定码。"
        )
    now = now or timezone.now()
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires_at = now + LIFETIME
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        EnrolmentCode.objects.create(
            user=user, code_hash=make_password(raw), issued_by=actor, issued_at=now, expires_at=expires_at
        )
        until = timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M")
        record_event(
            action=AuditAction.TWO_FACTOR_CODE_ISSUED,
            actor=actor,
            target=user,
            summary=f"签发身份验证器绑定码（{until} 前有效）" + ("" if actor else "，命令行"),
            ip=ip,
        )
    return IssuedCode(code=format_code(raw), expires_at=expires_at)


def redeem_enrolment_code(
    *, user: User, code: str, ip: str | None, now: datetime | None = None
) -> TOTPDevice | None:
    """Use a code: the enrolment it opens, as a fresh unconfirmed device, or None for a wrong, used or
    expired code. Side effects: the code is spent (compare-and-set, so two sessions cannot both use it),
    the user's other unconfirmed devices are removed (their keys may have been shown before), an audit
    event `2fa_code_used` or `2fa_code_failed` is written."""
    now = now or timezone.now()
    typed = normalise_code(code)
    with transaction.atomic():
        live = EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        match = next((row for row in live if check_password(typed, row.code_hash)), None)
        spent = match is not None and (
            EnrolmentCode.objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=now) == 1
        )
        if not spent:
            record_event(
                action=AuditAction.TWO_FACTOR_CODE_FAILED,
                actor=user,
                target=user,
                summary="绑定码错误或已失效",
                ip=ip,
            )
            return None
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        record_event(
            action=AuditAction.TWO_FACTOR_CODE_USED,
            actor=user,
            target=user,
            summary="使用身份验证器绑定码",
            ip=ip,
        )
    return device


class CodeStatus(TypedDict):
    has_device: bool
    code_expires_at: datetime | None


def province_admins_for_codes(actor: User) -> QuerySet[WithAnnotations[User, CodeStatus]]:
    """The other active province admins, each annotated with `has_device` (a bound authenticator) and
    `code_expires_at` (the expiry of an unused, unexpired code, or None)."""
    now = timezone.now()
    live_code = EnrolmentCode.objects.filter(
        user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now
    ).order_by("-expires_at")
    return (
        User.objects.filter(role=UserRole.PROVINCE_ADMIN, is_active=True)
        .exclude(pk=actor.pk)
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            code_expires_at=Subquery(live_code.values("expires_at")[:1]),
        )
        .order_by("username")
    )
