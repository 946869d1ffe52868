from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jixing.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from jixing.audit import signals  # noqa: F401  (login events)
