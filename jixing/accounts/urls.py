from django.urls import path

from jixing.accounts import claim_views, views

app_name = "accounts"
urlpatterns = [
    path("2fa/setup/", views.two_factor_setup, name="2fa_setup"),
    path("2fa/verify/", views.two_factor_verify, name="2fa_verify"),
    path("password/", views.password_change, name="password_change"),
    path("enrolment-codes/", views.enrolment_codes, name="enrolment_codes"),
    path("claim/", claim_views.claim, name="claim"),
]
