"""Picks for a reporting unit's 推荐总表 (审核报送): who screens, what may be picked, in which order, when.

Nothing here writes; nominations/domain/lists.py changes the list after asking these questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils import timezone

from jixing.campaigns.domain.phases import phase_problem
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign, Category, Quota
from jixing.eligibility.outcomes import RANKED_STATUSES, Outcome, Status
from jixing.nominations.domain.text_limits import REASON_MAX, length_problem
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination, RecommendationList, SealedScan
from jixing.nominations.permissions import screened_unit
from jixing.orgs.models import Org
from jixing.refusals import Refused


class ListRefused(Refused):
    """A change of the list the rules do not allow now; the message says why, in Chinese. `nominations`:
    the ids of the picks it is about, when it is about some (the screening page marks their rows)."""

    def __init__(self, message: str, *, rule_id: str | None = None, nominations: Sequence[int] = ()) -> None:
        super().__init__(message, rule_id=rule_id)
        self.nominations = list(nominations)


@dataclass(frozen=True)
class Pick:
    """One nomination chosen for the list, in the order given; the reason matters only when the place
    departs from the default order."""

    nomination_id: int
    override_reason: str = ""


# --- who ---------------------------------------------------------------------------------------------


# Who sees the list and who reopens it: nominations/permissions.py.


def require_screener(actor) -> Org:
    unit = screened_unit(actor)
    if unit is None:
        raise PermissionDenied("只有报送单位审核员可以审核报送")
    return unit


# --- what may be picked ------------------------------------------------------------------------------


def rules_with(nomination: Nomination, outcome: Outcome) -> list[str]:
    """Ids of the nomination's rules whose stored outcome is `outcome`, in the rules file's order."""
    return [rule_id for rule_id, r in (nomination.rule_results or {}).items() if r["outcome"] == outcome]


def pick_problem(nomination: Nomination) -> str | None:
    """Why this nomination cannot go on the list now (None when it can).

    Only sent-up nominations (已申报) that are not ineligible or incomplete (spec: `missing` is not
    selectable until supplied); a `warn` rule needs the recommending unit's written reason.
    """
    if nomination.state != S.SUBMITTED:
        return f"当前状态为“{nomination.get_state_display()}”"
    if not nomination.status:
        return "尚未判定资格"
    if nomination.status == Status.INELIGIBLE:
        return f"不符合条件（{len(rules_with(nomination, Outcome.FAIL))} 项条件不符合，见申报的资格条件）"
    if nomination.status == Status.INCOMPLETE:
        missing = rules_with(nomination, Outcome.MISSING)
        results = nomination.rule_results or {}
        reasons = dict.fromkeys(r for rule_id in missing if (r := results[rule_id].get("reason")))
        why = "".join(f"；{reason}" for reason in reasons)
        return f"材料或数据不全（{len(missing)} 项条件缺少数据{why}），补齐前不能选入"
    if nomination.status not in RANKED_STATUSES:
        return "资格状态未知"
    warned = rules_with(nomination, Outcome.WARN)
    if warned and not nomination.warn_reason.strip():
        return (
            f"{len(warned)} 项条件原则上不符，须有推荐单位的书面说明，但推荐理由说明为空，"
            "请退回推荐单位补充后再选入"
        )
    return None


# The default order: stored rank (unranked last), then submission time, then id — read in this order by
# the database, so that the screening page reads only the page it shows.
DEFAULT_ORDER = (F("rank").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")


def sent_up(rows: QuerySet[Nomination], *, category: Category, reporting_unit: Org) -> QuerySet[Nomination]:
    """`rows` narrowed to the unit's nominations of the category that have been sent up (drafts excluded),
    in the default order."""
    return (
        rows.filter(category=category, reporting_unit=reporting_unit)
        .exclude(state__in=[S.DRAFT, S.AWAITING_UNIT])
        .select_related("category", "nominee_org", "recommending_org")
        .order_by(*DEFAULT_ORDER)
    )


def label(nomination: Nomination) -> str:
    name = nomination.nominee_org.name if nomination.nominee_org is not None else nomination.nominee_name
    return f"{name}（{nomination.number}）"


def candidates(*, campaign: Campaign, category: Category, reporting_unit: Org) -> list[Nomination]:
    """The unit's nominations of the category that have been sent up (drafts excluded), default order."""
    return list(
        sent_up(
            Nomination.objects.filter(campaign=campaign), category=category, reporting_unit=reporting_unit
        )
    )


def seats_of(*, category: Category, reporting_unit: Org) -> int:
    quota = Quota.objects.filter(category=category, reporting_unit=reporting_unit).first()
    return quota.seats if quota is not None else 0


def seats_used(*, category: Category, reporting_unit: Org) -> int:
    """Seats taken by nominations already sent to the province (the same count G.7 checks)."""
    return Nomination.objects.filter(
        category=category, reporting_unit=reporting_unit, state__in=S.submitted_list_states()
    ).count()


def seats_left(*, category: Category, reporting_unit: Org) -> int:
    """Seats the open list may still fill in the category."""
    return seats_of(category=category, reporting_unit=reporting_unit) - seats_used(
        category=category, reporting_unit=reporting_unit
    )


def validate_picks(
    *, category: Category, pool: Sequence[Nomination], picks: Sequence[Pick], seats_left: int
) -> list[tuple[Nomination, str]]:
    """The picked nominations in order with the override reason each keeps, or ListRefused.

    A pick needs a reason when it comes before a pickable nomination of better rank (placed after it,
    or left out): that is overriding the default order. Equal ranks are no override.
    """
    by_id = {n.pk: n for n in pool}
    chosen: list[Nomination] = []
    problems: list[str] = []
    refused: list[int] = []
    for pick in picks:
        nomination = by_id.get(pick.nomination_id)
        if nomination is None:
            raise ListRefused("所选申报不存在，或不属于本报送单位的该项目")
        if nomination in chosen:
            raise ListRefused(f"{label(nomination)} 重复选入", nominations=[nomination.pk])
        problem = pick_problem(nomination)
        if problem:
            problems.append(f"{label(nomination)}：{problem}")
            refused.append(nomination.pk)
        chosen.append(nomination)
    if problems:
        raise ListRefused("以下申报不能选入推荐名单：" + "；".join(problems), nominations=refused)
    if len(chosen) > seats_left:
        raise ListRefused(
            f"“{category.name}”还可推荐 {max(seats_left, 0)} 个，选了 {len(chosen)} 个，超出名额",
            rule_id="G.7",
        )
    place = {n.pk: i for i, n in enumerate(chosen)}
    pickable = [n for n in pool if pick_problem(n) is None]
    kept: list[tuple[Nomination, str]] = []
    unexplained: list[str] = []
    unexplained_ids: list[int] = []
    for i, (nomination, pick) in enumerate(zip(chosen, picks, strict=True)):
        passed = [
            m
            for m in pickable
            if m.rank is not None
            and nomination.rank is not None
            and m.rank < nomination.rank
            and place.get(m.pk, len(chosen)) > i
        ]
        reason = pick.override_reason.strip()
        if problem := length_problem(reason, what=f"{label(nomination)} 的调整理由", cap=REASON_MAX):
            raise ListRefused(problem, nominations=[nomination.pk])
        if passed and not reason:
            names = "、".join(label(m) for m in passed[:3]) + ("等" if len(passed) > 3 else "")
            unexplained.append(f"{label(nomination)} 排在默认排序更靠前的 {names} 之前")
            unexplained_ids.append(nomination.pk)
        kept.append((nomination, reason if passed else ""))
    if unexplained:
        raise ListRefused(
            "与默认排序不同，须填写调整理由：" + "；".join(unexplained), nominations=unexplained_ids
        )
    return kept


# --- phase and list ----------------------------------------------------------------------------------


def check_screen_phase(campaign: Campaign, what: str, now: datetime) -> None:
    """G.8 for list work: only inside the 审核报送 window (ListRefused with phase_problem's words)."""
    if problem := phase_problem(campaign, operation=what, allowed={PhaseKey.SCREEN}, now=now):
        raise ListRefused(problem, rule_id="G.8")


def in_screen_phase(campaign: Campaign, now: datetime | None = None) -> bool:
    phase = campaign.phase_at(now or timezone.now())
    return phase is not None and phase.key == PhaseKey.SCREEN


def list_is_open(campaign: Campaign, recommendation_list: RecommendationList | None) -> bool:
    """Whether the list may be changed now: inside the 审核报送 window and not submitted."""
    return in_screen_phase(campaign) and not (recommendation_list and recommendation_list.is_submitted)


def scan_is_current(recommendation_list: RecommendationList, scan: SealedScan | None) -> bool:
    """A sealed scan counts only if it was uploaded after the picks last changed (it shows this table)."""
    if scan is None:
        return False
    return recommendation_list.changed_at is None or scan.uploaded_at >= recommendation_list.changed_at
