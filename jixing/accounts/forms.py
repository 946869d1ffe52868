from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from jixing.accounts.domain.throttle import (
    LockKind,
    LoginLock,
    clear_login_failures,
    login_lock,
    record_login_failure,
)
from jixing.accounts.models import User
from jixing.security.net import client_ip


def lock_message(lock: LoginLock) -> str:
    if lock.kind == LockKind.SLOWED:
        # Rounded up to the second: the moment shown must never be one when the wait still holds.
        until = timezone.localtime(lock.until + timedelta(microseconds=999_999)).strftime("%H:%M:%S")
        return f"此账号近期在多个网络地址登录失败，为保护账号安全，请于 {until} 后再试。"
    # Rounded up to the minute: "14:35 后" must never be a moment when the lock still holds.
    until = timezone.localtime(lock.until + timedelta(seconds=59)).strftime("%H:%M")
    who = "此网络地址" if lock.kind == LockKind.ADDRESS else "此账号在当前网络地址"
    return f"登录失败次数过多，{who}已被暂时锁定 15 分钟，请于 {until} 后再试。"


class LoginForm(AuthenticationForm):
    """Django's login form behind the throttle (domain/throttle.py): an attempt stopped by a lock or the
    slow-down is refused before its password is checked, and every wrong password is counted."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "账号或密码不正确，请重新输入。",
        "inactive": "此账号已停用。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        ip = client_ip(self.request)
        lock = login_lock(username=username, ip=ip)
        if lock is not None:
            raise ValidationError(lock_message(lock), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            record_login_failure(username=username, ip=ip)
            lock = login_lock(username=username, ip=ip)
            if lock is not None:  # this failure locks or makes wait: say so now, not at the next try
                message = lock_message(lock)
                if lock.kind == LockKind.SLOWED:
                    message = f"账号或密码不正确。{message}"
                raise ValidationError(message, code="locked") from None
            raise
        clear_login_failures(username=username, ip=ip)
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        error_messages={"required": "请输入身份验证器上显示的 6 位数字。"},
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="绑定码",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
        error_messages={"required": "请输入运维人员或其他省平台管理员提供的绑定码。"},
    )


class IssueCodeForm(forms.Form):
    """Which province admin to issue an enrolment code for (domain/enrolment.py lists who may get one)."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, error_messages={"invalid_choice": "请选择一位未绑定身份验证器的省平台管理员。"}
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class StrictPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, validators on the new one) that also refuses the same password again."""

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.check_password(new):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")
        return cleaned
