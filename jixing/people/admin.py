from django.contrib import admin

from jixing.people.models import Learner, Role, Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["name", "taken_at", "imported_at", "row_count", "is_current"]


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ["account_id", "name", "phone_masked", "org", "total_points", "annual_points"]
    search_fields = ["account_id", "name"]
    list_select_related = ["org"]
    raw_id_fields = ["org", "snapshot"]
    # The keyed hash means nothing to a person; the masked forms are derived at import and never typed.
    exclude = ["person_key"]
    readonly_fields = ["phone_masked", "id_masked"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["account_id", "kind", "org", "is_full_time"]
    list_filter = ["kind"]
    search_fields = ["account_id"]
    raw_id_fields = ["org"]
