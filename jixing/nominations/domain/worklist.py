"""What waits for a user: the work list of each role's home page, counted in a few queries.

Each item names the work in the user's words and counts it; the face links each key to the page where
the work is done. Items with nothing waiting are kept (count 0), so a page can say 「没有待办」 for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from jixing.accounts.enums import UserRole
from jixing.accounts.permissions import is_volunteer_manager
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Objection
from jixing.campaigns.models import Campaign
from jixing.eligibility.outcomes import Status
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.scores import SCORABLE_STATES, nominations_to_score
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import RecommendationList
from jixing.nominations.permissions import screened_unit
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org


@dataclass(frozen=True)
class WorkItem:
    key: str  # what the face links to the page of the work
    label: str
    count: int
    unit: str = "个"  # the measure word after the count
    state: str = ""  # for items that are nominations in one state: that state (the list's filter)
    note: str = ""  # shown instead of the count, for an item that is a yes or no (the list sent or not)


@dataclass(frozen=True)
class WorkList:
    items: list[WorkItem]
    visible: int  # the nominations of the campaign the user may see (from the same query)


def work_list(user, *, campaign: Campaign) -> WorkList:
    """The work waiting for `user` in `campaign`, by role:

    - learner: his applications returned to him, waiting for his unit, his unsent drafts;
    - unit admin: its learners' applications awaiting its confirmation (提交给单位确认), its nominations
      returned for correction, its drafts;
    - reporting unit reviewer: nominations to screen, those of them with conditions to check by hand
      (status NEEDS_REVIEW), and whether its 推荐总表 is not yet sent;
    - volunteer-group manager: the volunteers sent up that he has not scored yet (plan 7.3);
    - province: lists received (of how many units), nominations to choose from, objections to handle,
      nominations published awaiting approval, approved awaiting commendation.

    One query counts the nominations the user sees by state and status (nominations_visible_to); a
    reviewer adds one for his list, the province three (lists, reporting units, objections).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return WorkList(items=[], visible=0)
    if is_volunteer_manager(user):  # plan 7.3: the volunteers he has not scored yet, on his own page
        waiting = nominations_to_score(user, campaign=campaign).filter(
            state__in=SCORABLE_STATES, judges_score=None
        )
        return WorkList([WorkItem("to_score", "尚未评分的志愿者申报", waiting.count())], visible=0)
    counted = {
        (state, status): n
        for state, status, n in nominations_visible_to(user, campaign=campaign)
        .order_by()
        .values_list("state", "status")
        .annotate(n=Count("pk"))
    }
    by_state: dict[str, int] = {}
    for (state, _), n in counted.items():
        by_state[state] = by_state.get(state, 0) + n
    visible = sum(counted.values())
    if user.role == UserRole.PROVINCE_ADMIN:
        return WorkList(_province(campaign, by_state), visible)
    unit = screened_unit(user)
    if unit is not None:
        to_check = counted.get((S.SUBMITTED, Status.NEEDS_REVIEW.value), 0)
        return WorkList(_reviewer(campaign, unit, by_state.get(S.SUBMITTED, 0), to_check), visible)
    if user.role == UserRole.LEARNER:
        items = [
            _in_state("returned_to_me", "退回给我修改的申请", by_state, S.RETURNED),
            _in_state("waiting_for_unit", "等待单位确认的申请", by_state, S.AWAITING_UNIT),
            _in_state("my_drafts", "尚未提交的草稿", by_state, S.DRAFT),
        ]
    else:
        items = [
            _in_state("to_confirm", "学员本人申报，等待本单位确认", by_state, S.AWAITING_UNIT),
            _in_state("returned_to_unit", "被退回修改的申报", by_state, S.RETURNED),
            _in_state("unit_drafts", "尚未提交的草稿", by_state, S.DRAFT),
        ]
    return WorkList(items, visible)


def _in_state(key: str, label: str, counts: dict[str, int], state: S) -> WorkItem:
    return WorkItem(key, label, counts.get(state, 0), state=state.value)


def _reviewer(campaign: Campaign, unit: Org, to_screen: int, to_check: int) -> list[WorkItem]:
    sent = RecommendationList.objects.filter(
        campaign=campaign, reporting_unit=unit, state=ListState.SUBMITTED
    ).exists()
    return [
        WorkItem("to_screen", "已申报、等待审核的申报", to_screen),
        WorkItem("to_check", "其中有条件需要人工核对的申报", to_check),
        WorkItem("list", "推荐总表报送省平台", int(not sent), "份", note="已报送" if sent else "尚未报送"),
    ]


def _province(campaign: Campaign, counts: dict[str, int]) -> list[WorkItem]:
    # The province sees every nomination past the draft: the counts of the states below are all of them.
    lists = RecommendationList.objects.filter(campaign=campaign).aggregate(
        received=Count("pk", filter=Q(state=ListState.SUBMITTED))
    )
    units = Org.objects.filter(tree_id=campaign.org_tree_id, level=OrgLevel.REPORTING_UNIT).count()
    objections = Objection.objects.filter(
        nomination__campaign=campaign, outcome=ObjectionOutcome.PENDING
    ).count()
    return [
        WorkItem("lists", f"已收到的推荐总表（共 {units} 个报送单位）", lists["received"], "份"),
        WorkItem("to_select", "已报送、等待确定拟入选的申报", counts.get(S.RECOMMENDED, 0)),
        WorkItem("objections", "公示期间收到、尚未处理的异议", objections, "件"),
        WorkItem("to_approve", "公示中、等待登记审批的申报", counts.get(S.PUBLISHED, 0)),
        WorkItem("to_commend", "已审批、等待通报表扬的申报", counts.get(S.APPROVED, 0)),
    ]
