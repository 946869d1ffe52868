from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixing import admin_site

admin_site.configure()

urlpatterns = [
    path("", include("jixing.portal.urls")),
    path("review/", include("jixing.review.urls")),
    path("public/", include("jixing.public.urls")),
    path("notifications/", include("jixing.notifications.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
