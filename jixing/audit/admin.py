from django.contrib import admin

from jixing.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only, even for province admins."""

    list_display = ["seq", "at", "actor_label", "action", "target_type", "target_id", "summary", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
