from __future__ import annotations

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

    # The groups of states the rules speak of, in one place. Methods rather than attributes: an attribute
    # of the class would become a member of the enum. Each returns one of the frozensets below.

    @classmethod
    def released_states(cls) -> frozenset[NominationState]:
        """Withdrawn or rejected: the nomination gives its place back (G.6, one per unit per category)."""
        return RELEASED_STATES

    @classmethod
    def editable_states(cls) -> frozenset[NominationState]:
        """The form may still be edited (by whoever may send it up)."""
        return EDITABLE_STATES

    @classmethod
    def unranked_states(cls) -> frozenset[NominationState]:
        """Not (or no longer) before the reporting unit: no place in its default order."""
        return UNRANKED_STATES

    @classmethod
    def unit_place_states(cls) -> frozenset[NominationState]:
        """Sent up and not released: it holds the recommending unit's one place per category (G.6)."""
        return UNIT_PLACE_STATES

    @classmethod
    def nominated_states(cls) -> frozenset[NominationState]:
        """Past the draft (申报数): sent to the unit or up, returned, rejected or withdrawn alike."""
        return NOMINATED_STATES

    @classmethod
    def submitted_list_states(cls) -> frozenset[NominationState]:
        """On a reporting unit's submitted list (报送 and beyond): it uses a seat of its quota (G.7)."""
        return SUBMITTED_LIST_STATES

    @classmethod
    def listed_states(cls) -> frozenset[NominationState]:
        """What the province's lists show: the submitted lists' states, withdrawals included."""
        return LISTED_STATES

    @classmethod
    def selected_states(cls) -> frozenset[NominationState]:
        """Chosen by the province (拟入选) and everything that follows from it."""
        return SELECTED_STATES


_S = NominationState
RELEASED_STATES = frozenset({_S.WITHDRAWN, _S.REJECTED})
EDITABLE_STATES = frozenset({_S.DRAFT, _S.RETURNED, _S.AWAITING_UNIT})
UNRANKED_STATES = RELEASED_STATES | {_S.DRAFT, _S.AWAITING_UNIT, _S.RETURNED}
NOMINATED_STATES = frozenset(_S) - {_S.DRAFT}
UNIT_PLACE_STATES = frozenset(_S) - {_S.DRAFT, _S.AWAITING_UNIT, _S.WITHDRAWN, _S.REJECTED}
SUBMITTED_LIST_STATES = frozenset(
    {_S.RECOMMENDED, _S.SELECTED, _S.NOT_SELECTED, _S.PUBLISHED, _S.APPROVED, _S.COMMENDED}
)
LISTED_STATES = SUBMITTED_LIST_STATES | {_S.WITHDRAWN}
SELECTED_STATES = frozenset({_S.SELECTED, _S.PUBLISHED, _S.APPROVED, _S.COMMENDED})


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


class PackageScope(models.TextChoices):
    """What an evidence package holds: one reporting unit's nominations, or one category's province-wide."""

    UNIT = "unit", "报送单位"
    CATEGORY = "category", "评选项目"


class PackageState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "打包中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    INTERRUPTED = "interrupted", "中断"  # its worker died; written when the next build of its scope starts


PACKAGE_ACTIVE_STATES = (PackageState.QUEUED, PackageState.RUNNING)
