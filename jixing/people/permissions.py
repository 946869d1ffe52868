"""Who may see personal numbers whole (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.permissions import is_province_admin, is_superuser

# Whole ID and phone numbers (stored encrypted where they are kept at all): the province's admins, who
# verify nominees and call back objectors, and superusers (accounts/admin.py: the superuser flag "also
# unmasks personal data"). Everyone else sees masked forms (templatetags/personal_data.py).
rules.add_perm("people.view_personal_numbers", is_province_admin | is_superuser)
