"""The Django admin is the province office's back room: only province admins may enter it.

It is for looking. Whatever the domain owns — states, quotas, phase windows, the org tree, snapshots,
TOTP secrets, audit events — is shown read-only here (ReadOnlyAdmin, ReadOnlyInline), so the only way to
change it is the domain's function, which checks and audits. Accounts are the one exception: their access
fields are edited through jixing.accounts.domain.access, which audits (jixing/accounts/admin.py).
tests/security/test_admin.py fails for a registered model that is neither.
"""

from django.contrib import admin
from django.http import HttpRequest


def province_admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_province_admin", False))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted: a POST to its change form is refused (403)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def configure() -> None:
    admin.site.site_header = "集星 · 学习之星评选平台 管理后台"
    admin.site.site_title = "集星管理后台"
    admin.site.index_title = "省平台管理"
    # The default site is kept (contrib apps register on it); only its permission check is replaced.
    admin.site.has_permission = province_admin_only  # type: ignore[method-assign]
