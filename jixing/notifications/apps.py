from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jixing.notifications"
    label = "notifications"
    verbose_name = "通知"
