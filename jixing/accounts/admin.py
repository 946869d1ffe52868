from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jixing.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "org", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["org"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("集星", {"fields": ("full_name", "role", "org", "account_id")}),
    )
