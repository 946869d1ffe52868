from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from jixing import admin_site
from jixing.accounts import views as account_views

admin_site.configure()

urlpatterns = [
    path("", include("jixing.portal.urls")),
    path("review/", include("jixing.review.urls")),
    path("public/", include("jixing.public.urls")),
    path("notifications/", include("jixing.notifications.urls")),
    path("login/", account_views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("jixing.accounts.urls")),
    # The admin has its own login form, which would bypass the throttle and the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

# Error pages in Chinese with an incident id, never a traceback (jixing/security/views.py).
handler403 = "jixing.security.views.permission_denied"
handler404 = "jixing.security.views.page_not_found"
handler500 = "jixing.security.views.server_error"
