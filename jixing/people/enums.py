from django.db import models


class RoleKind(models.TextChoices):
    CONTRIBUTOR = "供稿员", "供稿员"
    REVIEWER = "审核员", "审核员"
    ADMINISTRATOR = "管理员", "管理员"
    VOLUNTEER = "志愿者", "志愿者"
    LEADER = "班子成员", "班子成员"


class VolunteerType(models.TextChoices):
    PROOFREADING = "审读", "审读"
    BROADCAST = "播音", "播音"
    OTHER = "其他", "其他"
