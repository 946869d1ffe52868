"""The nomination state table: every allowed move, who may make it and in which phase (G.8).

One row per (action, from-state). Anything not in this table is refused. `transitions.py` is the only
code that changes a nomination's state, and it reads nothing but this table to decide what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from jixing.campaigns.enums import PhaseKey
from jixing.nominations.enums import NominationState as S


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申报"
    APPLY = "apply", "本人申报"
    CONFIRM = "confirm", "单位确认"
    RETURN = "return", "退回修改"
    REJECT = "reject", "不予通过"
    RECALL = "recall", "撤回申报"
    RECOMMEND = "recommend", "报送省平台"
    REOPEN = "reopen", "重新开放"
    SELECT = "select", "拟入选"
    DESELECT = "deselect", "不入选"
    PUBLISH = "publish", "公示"
    WITHDRAW = "withdraw", "撤销"
    APPROVE = "approve", "审批通过"
    COMMEND = "commend", "通报表扬"


# Moves made for a whole list at once by their own domain function, never for one nomination alone:
# sending up to the province goes with the reporting unit's sealed list (nominations.domain.lists.
# submit_list); publishing opens the objection window and puts the entry on the public page
# (announcements.domain.publishing.publish); approval needs the window closed and every objection
# handled (announcements.domain.approval.record_approval). transitions.transition() refuses them;
# those three functions move each nomination through transitions.list_transition().
LIST_ACTIONS = frozenset({Action.RECOMMEND, Action.PUBLISH, Action.APPROVE})


class Party(models.TextChoices):
    """Who acts, relative to the nomination (checked in transitions.acts_as)."""

    NOMINEE = "nominee", "申报人本人"
    RECOMMENDER = "recommender", "推荐单位"
    REPORTING_UNIT = "reporting_unit", "报送单位"
    PROVINCE = "province", "省平台"


@dataclass(frozen=True)
class Move:
    action: Action
    source: S
    target: S
    parties: frozenset[Party]
    phases: frozenset[PhaseKey]
    needs_reason: bool = False


def _move(action, source, target, parties, phases, needs_reason=False) -> Move:
    return Move(action, source, target, frozenset(parties), frozenset(phases), needs_reason)


P, R, U, V = Party.NOMINEE, Party.RECOMMENDER, Party.REPORTING_UNIT, Party.PROVINCE
APPLY, SCREEN, ANNOUNCE, COMMEND = PhaseKey.APPLY, PhaseKey.SCREEN, PhaseKey.ANNOUNCE, PhaseKey.COMMEND

MOVES: tuple[Move, ...] = (
    # 申报推荐: the unit (or the learner, then his unit) sends the form up.
    _move(Action.SUBMIT, S.DRAFT, S.SUBMITTED, {R}, {APPLY}),
    _move(Action.SUBMIT, S.AWAITING_UNIT, S.SUBMITTED, {R}, {APPLY}),
    _move(Action.SUBMIT, S.RETURNED, S.SUBMITTED, {R}, {APPLY, SCREEN}),
    _move(Action.APPLY, S.DRAFT, S.AWAITING_UNIT, {P}, {APPLY}),
    _move(Action.APPLY, S.RETURNED, S.AWAITING_UNIT, {P}, {APPLY, SCREEN}),
    _move(Action.RETURN, S.AWAITING_UNIT, S.RETURNED, {R}, {APPLY, SCREEN}, needs_reason=True),
    # Before the 申报推荐 deadline the unit may take its nomination back (to swap it for another, G.6):
    # a draft again, no longer holding the unit's one place in the category.
    _move(Action.RECALL, S.SUBMITTED, S.DRAFT, {R}, {APPLY}),
    # 审核报送: the reporting unit screens and sends its list up within quota.
    _move(Action.RETURN, S.SUBMITTED, S.RETURNED, {U}, {APPLY, SCREEN}, needs_reason=True),
    _move(Action.REJECT, S.SUBMITTED, S.REJECTED, {U}, {APPLY, SCREEN}, needs_reason=True),
    _move(Action.RECOMMEND, S.SUBMITTED, S.RECOMMENDED, {U}, {SCREEN}),
    _move(Action.REOPEN, S.RECOMMENDED, S.SUBMITTED, {V}, {SCREEN, ANNOUNCE}, needs_reason=True),
    # 汇总公示: the province selects, publishes, hears objections and records approval.
    _move(Action.SELECT, S.RECOMMENDED, S.SELECTED, {V}, {ANNOUNCE}),
    _move(Action.SELECT, S.NOT_SELECTED, S.SELECTED, {V}, {ANNOUNCE}),
    _move(Action.DESELECT, S.RECOMMENDED, S.NOT_SELECTED, {V}, {ANNOUNCE}),
    _move(Action.DESELECT, S.SELECTED, S.NOT_SELECTED, {V}, {ANNOUNCE}),
    _move(Action.PUBLISH, S.SELECTED, S.PUBLISHED, {V}, {ANNOUNCE}),
    _move(Action.WITHDRAW, S.SELECTED, S.WITHDRAWN, {V}, {ANNOUNCE, COMMEND}, needs_reason=True),
    _move(Action.WITHDRAW, S.PUBLISHED, S.WITHDRAWN, {V}, {ANNOUNCE, COMMEND}, needs_reason=True),
    _move(Action.WITHDRAW, S.APPROVED, S.WITHDRAWN, {V}, {ANNOUNCE, COMMEND}, needs_reason=True),
    _move(Action.APPROVE, S.PUBLISHED, S.APPROVED, {V}, {ANNOUNCE, COMMEND}),
    # 通报表扬; a commendation withdrawn revokes its certificate or plaque (transitions._move).
    _move(Action.COMMEND, S.APPROVED, S.COMMENDED, {V}, {COMMEND}),
    _move(Action.WITHDRAW, S.COMMENDED, S.WITHDRAWN, {V}, {COMMEND}, needs_reason=True),
)

_BY_KEY: dict[tuple[str, str], Move] = {(m.action, m.source): m for m in MOVES}
assert len(_BY_KEY) == len(MOVES), "two rows of the state table share an action and a source state"


def parties_for(action: str) -> frozenset[Party]:
    """Everyone who may make `action` from some state: anyone else is refused whatever the state."""
    return frozenset(p for m in MOVES if m.action == action for p in m.parties)


def find_move(action: str, source: str) -> Move | None:
    return _BY_KEY.get((action, source))


def moves_from(source: str) -> list[Move]:
    return [m for m in MOVES if m.source == source]
