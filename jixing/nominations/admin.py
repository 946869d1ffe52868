from django.contrib import admin

from jixing.admin_site import ReadOnlyAdmin, ReadOnlyInline
from jixing.nominations.models import Attachment, Nomination


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    # The stored file is sent only by the access-checked, audited download (portal), never by the admin.
    exclude = ["file"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Read only: a nomination changes through the workflow alone (transitions.transition, the list
    operations through transitions.list_transition, the form's save_draft/submit), which checks the state
    table, the phase and the quota and writes the audit event."""

    list_display = ["number", "category", "nominee_name", "recommending_org", "state"]
    list_filter = ["campaign", "category", "state"]
    search_fields = ["number", "nominee_name", "nominee_account"]
    inlines = [AttachmentInline]
