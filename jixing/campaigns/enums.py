from django.db import models


class PhaseKey(models.TextChoices):
    BASELINE = "baseline", "基准积分截图"
    APPLY = "apply", "申报推荐"
    SCREEN = "screen", "审核报送"
    ANNOUNCE = "announce", "汇总公示"
    COMMEND = "commend", "通报表扬"


class CategoryKind(models.TextChoices):
    PERSON = "person", "个人"
    UNIT = "unit", "单位"


class Recommender(models.TextChoices):
    """Who fills the form: the nominee's unit, or the reporting unit itself (categories 4–6)."""

    UNIT = "unit", "所在单位推荐"
    REPORTING_UNIT = "reporting_unit", "报送单位推荐"
