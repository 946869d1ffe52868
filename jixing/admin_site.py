"""The Django admin is the province office's back room: only province admins may enter it."""

from django.contrib import admin
from django.http import HttpRequest


def province_admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_province_admin", False))


def configure() -> None:
    admin.site.site_header = "集星 · 学习之星评选平台 管理后台"
    admin.site.site_title = "集星管理后台"
    admin.site.index_title = "省平台管理"
    admin.site.has_permission = province_admin_only
