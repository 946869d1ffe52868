from django.contrib import admin

from jixing.admin_site import ReadOnlyAdmin
from jixing.people.models import Learner, Role, Snapshot

# Read only: snapshots, learners and roles come from their imports (people.domain.imports), whole files
# at a time; the rules read them as they were imported.


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["name", "taken_at", "imported_at", "row_count", "is_current"]


@admin.register(Learner)
class LearnerAdmin(ReadOnlyAdmin):
    list_display = ["account_id", "name", "phone_masked", "org", "total_points", "annual_points"]
    search_fields = ["account_id", "name"]
    list_select_related = ["org"]
    # The keyed hash means nothing to a person.
    exclude = ["person_key"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["account_id", "kind", "org", "is_full_time"]
    list_filter = ["kind"]
    search_fields = ["account_id"]
