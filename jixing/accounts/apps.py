from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jixing.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from jixing.accounts import signals  # noqa: F401  (session clocks at login)

        # Every app's django-rules permissions (<app>/permissions.py), as rules' own AutodiscoverRulesConfig
        # would load modules named rules.py.
        autodiscover_modules("permissions")
