from django.contrib import admin

from jixing.admin_site import ReadOnlyAdmin
from jixing.orgs.models import Org


@admin.register(Org)
class OrgAdmin(ReadOnlyAdmin):
    """Read only: the tree comes from the 组织架构 import (orgs.domain.imports), which keeps paths, units
    and reporting units consistent; the unit rules read its figures."""

    list_display = ["name", "code", "level", "is_station", "members", "staff"]
    list_filter = ["level", "is_station", "sector"]
    search_fields = ["name", "code"]
