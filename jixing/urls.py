from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "集星 · 学习之星评选平台 管理后台"
admin.site.site_title = "集星管理后台"

urlpatterns = [
    path("", include("jixing.portal.urls")),
    path("review/", include("jixing.review.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
