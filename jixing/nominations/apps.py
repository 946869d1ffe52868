from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "jixing.nominations"
    label = "nominations"
    verbose_name = "申报"
