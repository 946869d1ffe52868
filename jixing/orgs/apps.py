from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jixing.orgs"
    label = "orgs"
    verbose_name = "组织架构"
