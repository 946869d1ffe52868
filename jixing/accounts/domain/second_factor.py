"""The second factor (TOTP, RFC 6238) that province admins need after their password.

Devices are django-otp's TOTPDevice. An admin without a confirmed device enrols at first login, after
giving a one-time enrolment code (domain/enrolment.py): only then does the page show a QR code and the
key, and the device is confirmed by the first correct code. django-otp refuses a code used before
(replay) and slows down repeated wrong codes (1, 2, 4 … seconds).
"""

from __future__ import annotations

from base64 import b32encode
from datetime import datetime

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction

DEVICE_NAME = "身份验证器"


def requires_second_factor(user) -> bool:
    """Province admins change what every other user sees (imports, the admin): a password is not enough."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_province_admin", False))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def open_enrolment(user, device_id: object) -> TOTPDevice | None:
    """The unconfirmed device an enrolment code opened in this session (its id kept in the session), whose
    key the setup page shows; the same one on every reload, so a QR code scanned stays valid until
    confirmed. None when this session has not given a code."""
    if not isinstance(device_id, int):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).filter(pk=device_id).first()


def manual_key(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for typing into an app when the camera cannot be used."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def locked_until(device: TOTPDevice) -> datetime | None:
    """When django-otp's slow-down after wrong codes ends, if one is in force."""
    allowed, data = device.verify_is_allowed()
    return None if allowed else (data or {}).get("locked_until")


def _clean(token: str) -> str:
    return "".join(token.split())


def confirm_enrolment(*, device: TOTPDevice, token: str, ip: str | None) -> bool:
    """Confirm a new device by its first code. Side effects: the device becomes confirmed, the user's other
    devices are removed (one authenticator per account), an audit event `2fa_enrolled` is written."""
    with transaction.atomic():
        if not device.verify_token(_clean(token)):
            record_event(
                action=AuditAction.TWO_FACTOR_FAILED,
                actor=device.user,
                target=device.user,
                summary="绑定验证码错误",
                ip=ip,
            )
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        record_event(
            action=AuditAction.TWO_FACTOR_ENROLLED,
            actor=device.user,
            target=device.user,
            summary="绑定身份验证器",
            ip=ip,
        )
    return True


def check_token(*, device: TOTPDevice, token: str, ip: str | None) -> bool:
    """Check a login code. Side effect: an audit event `2fa_verified` or `2fa_failed`."""
    ok = device.verify_token(_clean(token))
    record_event(
        action=AuditAction.TWO_FACTOR_VERIFIED if ok else "2fa_failed",
        actor=device.user,
        target=device.user,
        summary="动态验证码通过" if ok else "动态验证码错误",
        ip=ip,
    )
    return ok


def reset_second_factor(*, user, actor=None) -> int:
    """Remove a user's devices (lost phone): the next login enrols anew. Writes `2fa_reset`."""
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        record_event(action=AuditAction.TWO_FACTOR_RESET, actor=actor, target=user, summary="重置身份验证器")
    return count
