"""Who may do what with 公示 and 表扬 (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.enums import UserRole


@rules.predicate
def is_province_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role == UserRole.PROVINCE_ADMIN
    )


# Choosing, publishing, handling objections, recording approval and commending: the province only.
rules.add_perm("announcements.manage", is_province_admin)
