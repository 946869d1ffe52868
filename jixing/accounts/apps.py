from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jixing.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from jixing.accounts import signals  # noqa: F401  (session clocks at login)
