from django.contrib import admin

from jixing.orgs.models import Org


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "is_station", "members", "staff"]
    list_filter = ["level", "is_station", "sector"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth", "unit", "reporting_unit"]
