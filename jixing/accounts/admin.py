from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.domain.access import (
    ACCESS_FIELDS,
    AccountChangeRefused,
    add_account,
    change_account_access,
)
from jixing.accounts.models import User
from jixing.admin_site import ReadOnlyAdmin
from jixing.security.net import client_ip


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts: names and e-mail edited here as in any admin; the access fields (role, org, 学号, sign-in,
    admin entry) only through accounts.domain.access, which audits. What would grant more than a role
    does — superuser (which also unmasks personal data), groups, permissions — and passwords are not
    changed here: `jixing createsuperuser`, `jixing changepassword`, each user's own 修改密码 page."""

    list_display = ["username", "full_name", "role", "org", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["org"]
    fieldsets = (
        (None, {"fields": ("username", "full_name", "phone", "first_name", "last_name", "email")}),
        ("集星", {"fields": ACCESS_FIELDS}),
        ("权限", {"fields": ("is_superuser", "groups", "user_permissions")}),
        ("时间", {"fields": ("last_login", "date_joined", "password_changed_at", "must_change_password")}),
    )
    readonly_fields = [
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
        "password_changed_at",
        # Set by the account slips (initial and reset passwords), cleared by the user's own change.
        "must_change_password",
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            add_account(obj, actor=request.user, ip=client_ip(request))
            return
        changes = {field: form.cleaned_data[field] for field in ACCESS_FIELDS if field in form.changed_data}
        # The form has already set every field on obj: the access fields go back to what is stored, so
        # that only the domain function writes them.
        stored = User.objects.get(pk=obj.pk)
        for field in ACCESS_FIELDS:
            setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        try:
            change_account_access(obj, actor=request.user, changes=changes, ip=client_ip(request))
        except AccountChangeRefused as exc:
            # The admin's transaction rolls back with it: nothing of the form is kept.
            raise PermissionDenied(str(exc)) from exc

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are disabled (可登录), never deleted: their audit events and decisions keep pointing at them.
        return False

    def user_change_password(self, request, id, form_url=""):
        # Setting another person's password here would let the admin act as them, unrecorded.
        raise PermissionDenied("不能在管理后台修改他人密码")


# django-otp's own admin shows and edits each device's secret key and serves its QR code. Devices are
# enrolled on the 二次验证 pages and reset by `jixing twofactor-reset` (both audited): here they are only
# listed, and the key is never shown.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
