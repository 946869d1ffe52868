from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "jixing.campaigns"
    label = "campaigns"
    verbose_name = "评选活动"
