from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "jixing.review"
    label = "review"
    verbose_name = "审核"
