from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "jixing.announcements"
    label = "announcements"
    verbose_name = "公示与表扬"
