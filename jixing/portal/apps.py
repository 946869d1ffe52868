from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jixing.portal"
    label = "portal"
    verbose_name = "门户"
