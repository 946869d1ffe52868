from django.contrib import admin

from jixing.admin_site import ReadOnlyAdmin
from jixing.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the chain is append-only, even for province admins."""

    list_display = ["seq", "at", "actor_label", "action", "target_type", "target_id", "summary", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id", "summary"]
