"""What part of the org tree a user may see. Every scoped list in the product starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jixing.accounts.enums import UserRole
from jixing.orgs.models import Org


def scope_root(user) -> Org | None:
    """The node whose subtree the user works in; None for a user who sees no tree (learners, visitors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role in (UserRole.PROVINCE_ADMIN, UserRole.REPORTING_REVIEWER, UserRole.UNIT_ADMIN):
        return user.org
    return None


def subtree_q(root: Org, field: str = "") -> Q:
    """A filter for rows whose org (reached through `field`, e.g. "org__") lies in root's subtree."""
    return Q(**{f"{field}path__startswith": root.path})


def subtree_ids(root: Org, *, limit: int) -> list[int] | None:
    """The ids of the orgs of root's subtree (root included), or None when there are more than `limit`:
    a list short enough to name in `org_id IN (...)`, which a table's (org, …) index answers with one range
    per org, where a join to orgs on the path prefix may read the whole table."""
    ids = list(Org.objects.filter(subtree_q(root)).order_by("pk").values_list("pk", flat=True)[: limit + 1])
    return ids if len(ids) <= limit else None


def orgs_visible_to(user) -> QuerySet[Org]:
    root = scope_root(user)
    if root is None:
        return Org.objects.none()
    return Org.objects.filter(subtree_q(root))


def is_in_subtree(org: Org, root: Org) -> bool:
    return org.path.startswith(root.path)
