from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from jixing.accounts import permissions
from jixing.accounts.enums import UserRole
from jixing.people.fields import EncryptedCharField


class User(AbstractUser):
    """An account of the platform. Its `org` is the root of everything it may see (its subtree)."""

    full_name = models.CharField("姓名", max_length=64, blank=True)
    role = models.CharField("角色", max_length=24, choices=UserRole.choices, default=UserRole.LEARNER)
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    account_id = models.CharField("学号", max_length=64, blank=True, db_index=True)
    # Set at creation and by every password change (set_password); empty only for rows written around the
    # model (bulk inserts), whose password age then counts from date_joined (domain/passwords.py).
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Set with a random initial or reset password (domain/provisioning.py): until the user has chosen a
    # password of their own, every page sends them to the change-password page (AccountGateMiddleware).
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    # Encrypted at rest like every personal number (people.fields); from the 账号 template.
    phone = EncryptedCharField("手机号", max_length=11, blank=True)

    # Put on request.user by django-otp's OTPMiddleware: True once this session passed a second factor.
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # create_user() hashes without set_password(): a new account's password is as old as the account.
        if self._state.adding and self.password_changed_at is None:
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        # A hasher upgrade at login also calls set_password but saves only the `password` column, so the
        # rotation clock (strict mode's 90 days) is not reset by it.
        self.password_changed_at = timezone.now()

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # The product's permissions (django-rules, <app>/permissions.py) are answered by their predicates
        # alone: Django's superuser shortcut would hand a superuser without the role every one of them (to
        # import data, to publish). What a superuser may do there is written in the predicates.
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_province_admin(self) -> bool:
        # The role counts only on an active account: the one test is accounts/permissions.py's predicate.
        return permissions.is_province_admin(self)

    @property
    def is_reporting_reviewer(self) -> bool:
        return self.role == UserRole.REPORTING_REVIEWER

    @property
    def is_unit_admin(self) -> bool:
        return self.role == UserRole.UNIT_ADMIN

    @property
    def is_learner(self) -> bool:
        return self.role == UserRole.LEARNER


class LoginFailure(models.Model):
    """One failed password login, kept for the throttle (domain/throttle.py): stored in the database so
    every app process sees the same count. Pruned after a day; the audit log keeps the lasting record."""

    username = models.CharField("账号", max_length=150)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_user"),
            models.Index(fields=["ip", "at"], name="login_failure_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip} {self.at:%Y-%m-%d %H:%M}"


class EnrolmentCode(models.Model):
    """A one-time code that lets a province admin bind an authenticator (domain/enrolment.py): issued on
    the command line or by another province admin, shown once to the issuer, kept only as a hash."""

    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField("绑定码（哈希）", max_length=255)
    issued_by = models.ForeignKey(
        User, verbose_name="签发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间")
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "身份验证器绑定码"
        verbose_name_plural = "身份验证器绑定码"

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"


class ClaimFailure(models.Model):
    """One failed account claim (domain/claim.py): a 学号 whose 姓名 or 身份证号 did not match the snapshot,
    or that the snapshot does not have. Kept, like LoginFailure, for the claim's own throttle only — apart
    from the login's, so that learners claiming behind one school gateway never lock that address out of
    logging in. Holds the 学号 as typed (normalised) and never the name or ID number; pruned after a day."""

    account_id = models.CharField("学号", max_length=64)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "认领失败记录"
        verbose_name_plural = "认领失败记录"
        indexes = [
            models.Index(fields=["account_id", "at"], name="claim_failure_account"),
            models.Index(fields=["ip", "at"], name="claim_failure_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.ip} {self.at:%Y-%m-%d %H:%M}"
