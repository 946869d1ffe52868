from django.db import models


class UserRole(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省平台管理员"
    REPORTING_REVIEWER = "reporting_reviewer", "报送单位审核员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    LEARNER = "learner", "申报人"
