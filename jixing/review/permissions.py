"""Who may do what in the review face (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.enums import UserRole


@rules.predicate
def is_province_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role == UserRole.PROVINCE_ADMIN
    )


# Importing orgs, snapshots and roles rewrites what every other user sees: the province's admins only.
rules.add_perm("review.import_data", is_province_admin)
