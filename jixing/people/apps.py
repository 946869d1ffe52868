from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class PeopleConfig(AppConfig):
    name = "jixing.people"
    label = "people"
    verbose_name = "人员与积分"

    def ready(self) -> None:
        from jixing.people import crypto

        # A malformed key must stop the process at start-up, not at the first page that stores a number.
        crypto.check_keys()
        checks.register(derived_keys_check, checks.Tags.security)


def derived_keys_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Loud on every command of a DEBUG instance whose personal-data keys come from SECRET_KEY."""
    if not settings.PERSONAL_DATA_KEYS_DERIVED:
        return []
    return [
        checks.Warning(
            "个人信息加密密钥和盲索引密钥由 SECRET_KEY 派生，仅供开发使用",
            hint="生产环境须设置 JIXING_ENCRYPTION_KEYS 和 JIXING_BLIND_INDEX_KEY（见 README：个人信息保护）",
            id="people.W001",
        )
    ]
