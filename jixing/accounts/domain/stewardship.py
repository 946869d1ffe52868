"""The level above looks after the accounts below it: disables, re-enables, resets the password.

Who looks after whom: a province admin after every 报送单位审核员 and 单位管理员; a 报送单位审核员 after the
单位管理员 of the units in its subtree. Nobody after their own account, nor after province admins (their
second factor has its own way back: `jixing twofactor-reset`, enrolment codes). Each change is an audit
event written in its transaction; a reset's new password is returned for the slip and nowhere else.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jixing.accounts.domain.provisioning import (
    IssuedAccount,
    hash_initial_password,
    issue,
    new_password,
    reporting_unit_names,
)
from jixing.accounts.domain.throttle import forget_login_failures
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.refusals import Refused


class StewardshipRefused(Refused):
    """A change of another's account this user may not make; the message is for the user."""


def can_look_after_accounts(actor) -> bool:
    """Whether the user looks after any accounts at all (the 账号管理 page)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or actor.org is None:
        return False
    return actor.role in (UserRole.PROVINCE_ADMIN, UserRole.REPORTING_REVIEWER)


def accounts_looked_after_by(actor) -> QuerySet[User]:
    """The accounts `actor` may disable, enable and reset, with their orgs; none for anyone else."""
    if not can_look_after_accounts(actor):
        return User.objects.none()
    accounts = User.objects.select_related("org").exclude(pk=actor.pk)
    if actor.role == UserRole.PROVINCE_ADMIN:
        return accounts.filter(role__in=[UserRole.REPORTING_REVIEWER, UserRole.UNIT_ADMIN])
    return accounts.filter(Q(role=UserRole.UNIT_ADMIN) & Q(org__path__startswith=actor.org.path))


def can_look_after(actor, account: User) -> bool:
    return accounts_looked_after_by(actor).filter(pk=account.pk).exists()


def _locked(actor, account: User) -> User:
    current = accounts_looked_after_by(actor).select_for_update(of=("self",)).filter(pk=account.pk).first()
    if current is None:
        raise StewardshipRefused("只能管理本级以下的单位管理员和报送单位审核员账号")
    return current


def disable_account(account: User, *, actor, ip: str | None = None) -> bool:
    """Stop `account` from signing in (its open sessions end with it: Django's backend refuses an inactive
    user's session). Returns False when it was already disabled. Side effects: is_active, an audit event
    `account_disabled`."""
    return _set_active(account, False, actor=actor, ip=ip)


def enable_account(account: User, *, actor, ip: str | None = None) -> bool:
    """Let `account` sign in again. Returns False when it was enabled. Side effects: is_active, an audit
    event `account_enabled`."""
    return _set_active(account, True, actor=actor, ip=ip)


def _set_active(account: User, active: bool, *, actor, ip: str | None) -> bool:
    with transaction.atomic():
        current = _locked(actor, account)
        if current.is_active == active:
            return False
        User.objects.filter(pk=current.pk).update(is_active=active)
        account.is_active = active
        record_event(
            action=AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED,
            actor=actor,
            target=current,
            summary=f"{'启用' if active else '停用'}账号 {current.username}",
            before={"is_active": not active},
            after={"is_active": active},
            ip=ip,
        )
    return True


def reset_password(account: User, *, actor, ip: str | None = None) -> IssuedAccount:
    """Give `account` a new random password, to be changed at its next login; returns it for the slip.
    The old password stops working at once, and the failed logins counted against the account go with
    it (guesses at a password that no longer exists: the owner locked out by his own tries gets in at
    once). Side effects: the password hash, must_change_password, password_changed_at; the account's
    LoginFailure rows; an audit event `account_password_reset` (without the password)."""
    password = new_password()
    with transaction.atomic():
        current = _locked(actor, account)
        current.password = hash_initial_password(password)
        current.must_change_password = True
        current.password_changed_at = timezone.now()
        current.save(update_fields=["password", "must_change_password", "password_changed_at"])
        forget_login_failures(current.username)
        record_event(
            action=AuditAction.ACCOUNT_PASSWORD_RESET, actor=actor, target=current,
            summary=f"重置账号 {current.username} 的密码", ip=ip,
        )  # fmt: skip
    assert current.org is not None
    return issue(current, password, group=reporting_unit_names([current.org])[current.org.pk])
