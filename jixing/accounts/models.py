from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from jixing.accounts.enums import UserRole


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

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_province_admin(self) -> bool:
        return self.role == UserRole.PROVINCE_ADMIN

    @property
    def is_reporting_reviewer(self) -> bool:
        return self.role == UserRole.REPORTING_REVIEWER

    @property
    def is_unit_admin(self) -> bool:
        return self.role == UserRole.UNIT_ADMIN

    @property
    def is_learner(self) -> bool:
        return self.role == UserRole.LEARNER
