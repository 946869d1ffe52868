"""Who an account is to the platform — its role, its org (the root of all it may see), the learner it
stands for, whether it may sign in or enter the admin — changed only here, each change an audit event.

The Django admin edits these fields through this module (jixing/accounts/admin.py); every other flag that
grants power (is_superuser, which also unmasks personal data; groups; permissions) is read-only there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.refusals import Refused

ACCESS_FIELDS = ("role", "org", "account_id", "is_active", "is_staff")
LABELS = {
    "role": "角色",
    "org": "所属组织",
    "account_id": "学号",
    "is_active": "可登录",
    "is_staff": "可进入管理后台",
}


class AccountChangeRefused(Refused):
    """A change this module will not make; the message is for the user."""


def _shown(field: str, value: Any) -> Any:
    # What the audit record keeps: names a person can read, with the org's id beside its name.
    if field == "org":
        return None if value is None else {"id": value.pk, "name": value.name}
    if field == "role":
        return UserRole(value).label
    return value


def add_account(user: User, *, actor: User, ip: str | None = None) -> User:
    """Store a new account built by a form (username, hashed password).

    Side effects: the user row and an audit event `account_created`, in one transaction."""
    with transaction.atomic():
        user.save()
        record_event(
            action=AuditAction.ACCOUNT_CREATED,
            actor=actor,
            target=user,
            summary=f"创建账号 {user.username}",
            after={field: _shown(field, getattr(user, field)) for field in ACCESS_FIELDS},
            ip=ip,
        )
    return user


def change_account_access(
    user: User, *, actor: User, changes: Mapping[str, Any], ip: str | None = None
) -> list[str]:
    """Apply `changes` (a subset of ACCESS_FIELDS) to `user` and return the fields that changed.

    Refuses (AccountChangeRefused) any other field, and an actor taking away their own access (role,
    sign-in or admin), which would lock the office out of its own back room. Side effects: the user row
    (those fields only) and an audit event `account_access_changed` with each field before and after,
    in one transaction; nothing when no value differs."""
    unknown = sorted(set(changes) - set(ACCESS_FIELDS))
    if unknown:
        raise AccountChangeRefused(f"不能在此修改：{'、'.join(unknown)}")
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        changed = [
            field for field in ACCESS_FIELDS if field in changes and getattr(current, field) != changes[field]
        ]
        if not changed:
            return []
        if current.pk == actor.pk and any(
            (field == "role" and changes[field] != current.role)
            or (field in ("is_active", "is_staff") and not changes[field])
            for field in changed
        ):
            raise AccountChangeRefused("不能取消自己的角色、登录或管理后台权限，请由另一位省平台管理员操作")
        before = {field: _shown(field, getattr(current, field)) for field in changed}
        for field in changed:
            setattr(current, field, changes[field])
            setattr(user, field, changes[field])
        current.save(update_fields=changed)
        after = {field: _shown(field, getattr(current, field)) for field in changed}
        record_event(
            action=AuditAction.ACCOUNT_ACCESS_CHANGED,
            actor=actor,
            target=current,
            summary=f"修改账号 {current.username} 的" + "、".join(LABELS[field] for field in changed),
            before=before,
            after=after,
            ip=ip,
        )
    return changed
