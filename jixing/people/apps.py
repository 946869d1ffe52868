from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jixing.people"
    label = "people"
    verbose_name = "人员与积分"
