"""Who may do what with 公示 and 表扬 (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.permissions import is_province_admin

# Choosing, publishing, handling objections, recording approval and commending: the province only.
rules.add_perm("announcements.manage", is_province_admin)
