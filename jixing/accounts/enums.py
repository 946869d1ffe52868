from django.db import models


class UserRole(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省平台管理员"
    REPORTING_REVIEWER = "reporting_reviewer", "报送单位审核员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    LEARNER = "learner", "申报人"
    # Plan 7.3: 「由山西学习平台各专用志愿者工作群管理人员，依据工作成效综合评判」 — scores category 7 only.
    VOLUNTEER_MANAGER = "volunteer_manager", "志愿者工作群管理人员"
