"""Who may do what in the review face (django-rules predicates)."""

from __future__ import annotations

import rules

from jixing.accounts.permissions import is_province_admin

# Importing orgs, snapshots and roles rewrites what every other user sees: the province's admins only.
rules.add_perm("review.import_data", is_province_admin)
