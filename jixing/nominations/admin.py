from django.contrib import admin

from jixing.nominations.models import Attachment, Nomination


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["number", "category", "nominee_name", "recommending_org", "state"]
    list_filter = ["campaign", "category", "state"]
    search_fields = ["number", "nominee_name", "nominee_account"]
    raw_id_fields = ["nominee_org", "recommending_org", "reporting_unit", "created_by"]
    inlines = [AttachmentInline]
