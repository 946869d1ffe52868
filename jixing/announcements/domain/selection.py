"""The province's choice among the reporting units' lists: 拟入选 (SELECT) or 不入选 (DESELECT)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.persons import person_keys
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, transition
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination

# A nomination whose results say it cannot be chosen: a rule fails, or data it needs is missing.
NOT_SELECTABLE = {"ineligible": "有不符合的条件", "incomplete": "材料或数据不全"}


@dataclass
class BulkResult:
    done: list[Nomination] = field(default_factory=list)
    refused: list[tuple[Nomination, str]] = field(default_factory=list)


def _label(nomination: Nomination) -> str:
    name = nomination.nominee_org.name if nomination.nominee_org is not None else nomination.nominee_name
    return f"{nomination.number} {name}"


def change_selection(
    *,
    campaign: Campaign,
    ids: Iterable[int],
    action: str,
    actor,
    now: datetime | None = None,
    ip: str | None = None,
) -> BulkResult:
    """Select (Action.SELECT) or deselect (Action.DESELECT) the given nominations, one by one.

    Before selecting, results are brought up to date and a nomination is refused when its status is
    ineligible or incomplete, or when its nominee already holds a selection in another category (G.3:
    one award per person — deselect that one first). Once one is selected, re-evaluation turns the
    person's other nominations' G.3 to `fail`.
    Side effects, per nomination changed: its state, an audit event and the campaign marked stale, all
    through transition(). Refusals are collected with their reasons, never raised; PermissionDenied for
    anyone but a province admin.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以确定入选名单")
    if action not in (Action.SELECT, Action.DESELECT):
        raise ValueError(f"unknown selection action {action!r}")
    if action == Action.SELECT:
        ensure_fresh(campaign)  # statuses and G.3 as of now, before choosing
    result = BulkResult()
    wanted = list(
        nominations_visible_to(actor, campaign=campaign)
        .filter(pk__in=list(ids))
        .select_related("category", "nominee_org")
        .order_by("category__number", "number")
    )
    keys: dict[int, str] = {}
    held: dict[str, Nomination] = {}
    if action == Action.SELECT and wanted:
        holders = list(
            Nomination.objects.filter(
                campaign=campaign, state__in=NominationState.selected_states()
            ).select_related("category")
        )
        keys = person_keys(holders + wanted)
        held = {keys[n.pk]: n for n in holders if n.pk in keys}
    for nomination in wanted:
        if action == Action.SELECT:
            refusal = _selection_refusal(nomination, keys.get(nomination.pk), held)
            if refusal:
                result.refused.append((nomination, refusal))
                continue
        try:
            transition(nomination, action, actor=actor, now=now, ip=ip)
        except TransitionRefused as exc:
            result.refused.append((nomination, str(exc)))
            continue
        result.done.append(nomination)
        if nomination.pk in keys:
            held[keys[nomination.pk]] = nomination
    return result


def _selection_refusal(nomination: Nomination, key: str | None, held: dict[str, Nomination]) -> str:
    if nomination.status in NOT_SELECTABLE:
        return f"{_label(nomination)}：资格审核结果为“{NOT_SELECTABLE[nomination.status]}”，不能拟入选"
    other = held.get(key) if key else None
    if other is not None and other.pk != nomination.pk:
        return (
            f"{_label(nomination)}：此人已在“{other.category.name}”项目{other.get_state_display()}"
            f"（{other.number}），1名学员只能获得1项表扬；如需改选，请先将那一项设为不入选"
        )
    return ""
