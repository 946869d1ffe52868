from django.contrib import admin

from jixing.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read only: a job changes through its task alone (jixing.imports.domain.jobs)."""

    list_display = ["created_at", "kind", "original_name", "state", "phase", "done", "total", "actor"]
    list_filter = ["kind", "state"]
    exclude = ["file"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
