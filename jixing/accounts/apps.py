from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jixing.accounts"
    label = "accounts"
    verbose_name = "账号"
