"""申报推荐 in the demo: every nomination is sent up, returned or rejected by the product's own
transition(), at a moment inside the demo's (shifted) 申报推荐 window.

The demo inserts its nominations as drafts with what their forms hold; their states come only from here
and from publication.py (the lists, the 公示, the approval), so the data is what the workflow leaves —
G.6, G.8 and the state table checked on every move, each move in the audit chain.

Who acts: the demo account of the party the state table names, where the demo has one (the reporting
units' reviewers, `school`, `learner`). Most units and learners have no account of their own (the demo
keeps one account per role); their moves are made by a stand-in: the reviewer of their reporting unit,
given in memory (never saved) the unit admin's or the learner's role, as a reporting unit entering its
units' forms would. The audit events name that reviewer.
"""

from __future__ import annotations

import copy
from datetime import datetime

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.campaigns.enums import Recommender
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.phases import DemoWindows
from jixing.demo.plan import NominationPlan, Province
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.orgs.models import Org

RETURN_REASON = "材料不全，请补充后重新提交"
REJECT_REASON = "经审核不符合推荐条件"


class Actors:
    """The demo account (or stand-in) that makes each kind of move on a nomination."""

    def __init__(self, users: dict[str, User], orgs: dict[str, Org]) -> None:
        self.users = users
        self.orgs = orgs
        self._stand_ins: dict[tuple[str, str], User] = {}

    def reviewer(self, plan: NominationPlan) -> User:
        return self.users[REPORTING_USERNAMES[plan.reporting_code]]

    def recommender(self, plan: NominationPlan, row: Nomination) -> User:
        if row.category.recommender == Recommender.REPORTING_UNIT:
            return self.reviewer(plan)
        school = self.users.get("school")
        if school is not None and school.org_id == row.recommending_org_id:
            return school
        return self._stand_in(plan, role=UserRole.UNIT_ADMIN, org_code=plan.recommending_code)

    def nominee(self, plan: NominationPlan) -> User:
        learner = self.users.get("learner")
        if learner is not None and learner.account_id == plan.nominee_account:
            return learner
        return self._stand_in(plan, role=UserRole.LEARNER, account_id=plan.nominee_account)

    def _stand_in(self, plan: NominationPlan, *, role: str, org_code: str = "", account_id: str = "") -> User:
        key = (role, org_code or account_id)
        if key not in self._stand_ins:
            stand_in = copy.copy(self.reviewer(plan))  # never saved: its pk stays the reviewer's
            stand_in.role, stand_in.account_id = role, account_id
            if org_code:
                stand_in.org = self.orgs[org_code]
            self._stand_ins[key] = stand_in
        return self._stand_ins[key]


def _between(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def send_up(
    province: Province, *, rows: dict[str, Nomination], users: dict[str, User], windows: DemoWindows
) -> None:
    """Move each nomination from draft as far as 申报推荐 takes it: applied (待单位确认), submitted
    (已申报) or rejected. Those to be returned are submitted here and returned by return_planned.

    Nominations to be rejected go first, so that when a unit's second try in a category is submitted
    its first one has already been rejected (G.6 counts only the live ones). Raises what transition()
    raises: a refusal here is a bug of the generator, not something to hide.
    """
    actors = Actors(users, _orgs(province))
    until = windows.submissions_until
    for plan in sorted(province.nominations, key=lambda p: p.target != S.REJECTED):
        if plan.target == S.DRAFT:
            continue
        row = rows[plan.number]
        assert plan.submitted_at is not None, plan.number
        sent = plan.submitted_at
        if plan.self_applied or plan.target == S.AWAITING_UNIT:
            applied = _between(windows.apply_start, sent, 0.9)
            transition(row, Action.APPLY, actor=actors.nominee(plan), now=applied)
            if plan.target == S.AWAITING_UNIT or (plan.target == S.RETURNED and plan.self_applied):
                continue  # returned by the unit itself, from 待单位确认 (return_planned)
        transition(row, Action.SUBMIT, actor=actors.recommender(plan, row), now=sent)
        if plan.target == S.REJECTED:
            screened = _between(sent, until, 0.5)
            transition(row, Action.REJECT, actor=actors.reviewer(plan), reason=REJECT_REASON, now=screened)


def return_planned(
    province: Province, *, rows: dict[str, Nomination], users: dict[str, User], windows: DemoWindows
) -> None:
    """Return for correction every nomination planned 退回修改, at a moment inside 申报推荐: by its unit
    from 待单位确认, else by its reporting unit. Called after the lists are settled (publication.
    settle_lists), which may trade a plan to be returned with one the product would not let onto a list."""
    actors = Actors(users, _orgs(province))
    for plan in province.nominations:
        if plan.target != S.RETURNED:
            continue
        row = rows[plan.number]
        assert plan.submitted_at is not None, plan.number
        returned = _between(plan.submitted_at, windows.submissions_until, 0.5)
        if row.state == S.AWAITING_UNIT:
            actor = actors.recommender(plan, row)
        else:
            actor = actors.reviewer(plan)
        transition(row, Action.RETURN, actor=actor, reason=RETURN_REASON, now=returned)


def _orgs(province: Province) -> dict[str, Org]:
    return {o.code: o for o in Org.objects.filter(code__in=_codes(province))}


def _codes(province: Province) -> set[str]:
    return {p.recommending_code for p in province.nominations}
