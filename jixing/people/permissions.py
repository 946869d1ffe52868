"""Who may see personal numbers whole (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.enums import UserRole


@rules.predicate
def is_province_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role == UserRole.PROVINCE_ADMIN
    )


# Whole ID and phone numbers (stored encrypted where they are kept at all): the province's admins, who
# verify nominees and call back objectors. Everyone else sees masked forms (templatetags/personal_data.py).
rules.add_perm("people.view_personal_numbers", is_province_admin)
