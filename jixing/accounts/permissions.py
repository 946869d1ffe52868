"""Who a user is, as django-rules predicates: the pieces every app's permissions.py composes.

An account that is not active holds no role: every predicate here is False for it, so every permission
built from them refuses an inactive account (tests/test_permissions.py asks each one).
"""

from __future__ import annotations

import rules

from jixing.accounts.enums import UserRole


@rules.predicate
def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_province_admin(user) -> bool:
    """The one test of the province admin role: an active account with that role."""
    return bool(is_active_user(user) and user.role == UserRole.PROVINCE_ADMIN)


@rules.predicate
def is_volunteer_manager(user) -> bool:
    """A 志愿者工作群管理人员 (plan 7.3): an active account with that role and an org to work in."""
    return bool(is_active_user(user) and user.role == UserRole.VOLUNTEER_MANAGER and user.org_id is not None)


@rules.predicate
def is_superuser(user) -> bool:
    """An active Django superuser. User.has_perm answers the product's permissions by their predicates
    alone, so a superuser holds only those that name this predicate."""
    return bool(is_active_user(user) and user.is_superuser)
