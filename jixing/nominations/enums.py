from django.db import models


class NominationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    AWAITING_UNIT = "awaiting_unit", "待单位确认"  # a learner applied for himself; his unit confirms
    SUBMITTED = "submitted", "已申报"  # sent by the unit (or confirmed learner) to its reporting unit
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "未通过审核"
    RECOMMENDED = "recommended", "已报送"  # on the reporting unit's submitted list, sent to the province
    SELECTED = "selected", "拟入选"
    NOT_SELECTED = "not_selected", "未入选"
    PUBLISHED = "published", "公示中"
    WITHDRAWN = "withdrawn", "已撤销"
    APPROVED = "approved", "已审批"
    COMMENDED = "commended", "已表扬"


# States that still hold a place in G.6 (one per unit per category): everything not withdrawn or rejected.
RELEASED_STATES = frozenset({NominationState.WITHDRAWN, NominationState.REJECTED})


class EvidenceKind(models.TextChoices):
    PLEDGE = "承诺书", "承诺书"
    SCENE_PHOTO = "场景照片", "场景照片"
    POINTS_SCREENSHOT = "积分截图", "积分截图"
    NEWS_REPORT = "新闻报道", "新闻报道"
    AWARD_CERTIFICATE = "获奖证书", "获奖证书"
    CLEARANCE_CERTIFICATE = "通关证书", "通关证书"
    VIDEO = "现场视频", "现场视频"
    ACTIVITY_RECORD = "活动记录", "活动记录"
    SEALED_FORM = "盖章推荐表", "盖章推荐表"


class ListState(models.TextChoices):
    """A reporting unit's 推荐总表: open while it screens and picks, submitted once sent to the province."""

    OPEN = "open", "未报送"
    SUBMITTED = "submitted", "已报送"
