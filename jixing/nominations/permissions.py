"""Who may see and reopen a reporting unit's 推荐总表 (django-rules predicates).

The moves on a single nomination are the state table's (domain/states.py, checked by transition());
these are the list's. Views ask `request.user.has_perm("nominations.view_list", reporting_unit)`; the
list operations (domain/lists.py) ask the same predicates before changing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from jixing.accounts.enums import UserRole
from jixing.accounts.permissions import is_active_user, is_province_admin
from jixing.orgs.enums import OrgLevel

if TYPE_CHECKING:
    from jixing.orgs.models import Org


def screened_unit(user) -> Org | None:
    """The 报送单位 whose list `user` screens: an active reporting reviewer's own org, if it is one."""
    if not is_active_user(user) or user.role != UserRole.REPORTING_REVIEWER or user.org is None:
        return None
    return user.org if user.org.level == OrgLevel.REPORTING_UNIT else None


@rules.predicate
def screens(user, reporting_unit: Org | None) -> bool:
    """The user is a reviewer of this reporting unit, who screens its list."""
    unit = screened_unit(user)
    return unit is not None and reporting_unit is not None and unit.pk == reporting_unit.pk


# The list of a reporting unit (the object is the unit, an Org): its own reviewers and the province.
rules.add_perm("nominations.view_list", is_province_admin | screens)
# Sending a submitted list back to its reporting unit: the province only.
rules.add_perm("nominations.reopen_list", is_province_admin)
# The statistics (the object is a reporting unit, or None for the whole province): a unit's own reviewers
# see its part; the province sees every unit's and the totals.
rules.add_perm("nominations.view_statistics", is_province_admin | screens)
