from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class AuditConfig(AppConfig):
    name = "jixing.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from jixing.audit import signals  # noqa: F401  (login events)

        checks.register(derived_key_check, checks.Tags.security)


def derived_key_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Loud on every command of an instance whose audit key comes from SECRET_KEY: whoever reads the
    settings file or the development key could then recompute the chain."""
    if not settings.AUDIT_KEY_DERIVED:
        return []
    return [
        checks.Warning(
            "审计日志密钥由 SECRET_KEY 派生，仅供开发使用",
            hint="生产环境须设置 JIXING_AUDIT_KEY，并保存在数据库之外（见 README：审计）",
            id="audit.W001",
        )
    ]
