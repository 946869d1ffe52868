from django.urls import path

from jixing.accounts import claim_views, stewardship_views, views

app_name = "accounts"
urlpatterns = [
    path("2fa/setup/", views.two_factor_setup, name="2fa_setup"),
    path("2fa/verify/", views.two_factor_verify, name="2fa_verify"),
    path("password/", views.password_change, name="password_change"),
    path("enrolment-codes/", views.enrolment_codes, name="enrolment_codes"),
    path("claim/", claim_views.claim, name="claim"),
    # 账号管理 (province admins, reporting units' reviewers); import and generation (province admins).
    path("accounts/", stewardship_views.accounts, name="accounts"),
    path("accounts/act/", stewardship_views.account_act, name="account_act"),
    path("accounts/import/", stewardship_views.accounts_import, name="accounts_import"),
    path("accounts/generate/", stewardship_views.accounts_generate, name="accounts_generate"),
]
