"""Logins, successful or not, are audit events."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.security.net import client_ip


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    record_event(action=AuditAction.LOGIN, actor=user, target=user, summary="登录成功", ip=client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(
            action=AuditAction.LOGOUT, actor=user, target=user, summary="退出登录", ip=client_ip(request)
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:64]
    record_event(action=AuditAction.LOGIN_FAILED, summary=f"登录失败：{username}", ip=client_ip(request))
