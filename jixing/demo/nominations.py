"""Nominations in every category and every workflow state, believable enough to review.

Each category gets every state it can reach at least once (待单位确认 only where a learner may apply
for himself: person categories recommended by a unit), then more by weight. The workflow's limits hold:
one nomination per recommending unit and category (G.6, kept even for drafts but for two deliberate
doubles), a reporting unit's submitted list within its quota (G.7), and what a form needs before it can
be sent up (its fields, declarations and required evidence, from the campaign definition). Who is
nominated, and the cases the rules must catch, come from nominees.py.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from jixing.demo import texts
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.plan import LearnerPlan, NominationPlan, OrgPlan, RolePlan
from jixing.demo.roles import learners_by_unit
from jixing.nominations.domain.forms_spec import UNIT_PROVIDED
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.enums import RELEASED_STATES, EvidenceKind, NominationState
from jixing.orgs.enums import OrgLevel
from jixing.people.enums import RoleKind

S = NominationState
# On its reporting unit's list once (G.7 seat, G.6 place): a withdrawn nomination was picked, chosen and
# published before it was withdrawn.
ON_A_LIST = ON_SUBMITTED_LIST | {S.WITHDRAWN}
STATE_WEIGHTS: dict[str, int] = {
    S.DRAFT: 12, S.AWAITING_UNIT: 5, S.SUBMITTED: 18, S.RETURNED: 6, S.REJECTED: 6, S.RECOMMENDED: 14,
    S.SELECTED: 8, S.NOT_SELECTED: 6, S.PUBLISHED: 6, S.WITHDRAWN: 5, S.APPROVED: 6, S.COMMENDED: 6,
}  # fmt: skip
# Nominations per category (4–6: one or two per reporting unit, which fills them itself).
TARGETS = {1: 60, 2: 55, 3: 30, 4: 16, 5: 16, 6: 16, 7: 30, 8: 32, 9: 45}
MANUAL_RULES = {3: ("3.1",), 4: ("4.1",), 6: ("6.4",), 8: ("8.2", "8.4"), 9: ("9.2", "9.3", "9.4")}
# Used when a definition does not list a category's evidence (older definitions).
_DEFAULT_REQUIRED = {"person": ["承诺书", "场景照片"], "unit": ["场景照片"]}
_OPTIONAL_CHANCE = {
    EvidenceKind.POINTS_SCREENSHOT: 0.75,
    EvidenceKind.NEWS_REPORT: 0.3,
    EvidenceKind.AWARD_CERTIFICATE: 0.75,  # 3.4 reads 获奖证书 (or a video), not the 通关证书
    EvidenceKind.CLEARANCE_CERTIFICATE: 0.6,
    EvidenceKind.ACTIVITY_RECORD: 0.85,
    EvidenceKind.SEALED_FORM: 0.6,
}


def is_self_applicable(category: dict[str, Any]) -> bool:
    """A learner may apply for himself (state 待单位确认) in person categories his unit recommends."""
    return category["kind"] == "person" and category["recommender"] == "unit"


def states_for(category: dict[str, Any]) -> list[str]:
    """The states a nomination of this category can be in."""
    return [s for s in S if s != S.AWAITING_UNIT or is_self_applicable(category)]


def _stage(state: str) -> int:
    if state in ON_A_LIST:
        return 0
    return 2 if state in RELEASED_STATES else 1


@dataclass(slots=True, eq=False)
class Candidate:
    recommending: str  # org code of the recommending unit
    nominee: LearnerPlan | None = field(default=None, kw_only=True)
    nominee_org: OrgPlan | None = field(default=None, kw_only=True)
    warn: bool = field(default=False, kw_only=True)  # not first of its unit by the category's key (1.1, 2.1)


class NominationBuilder:
    def __init__(
        self,
        seed: int,
        *,
        orgs: list[OrgPlan],
        learners: list[LearnerPlan],
        roles: list[RolePlan],
        definition: dict[str, Any],
        apply_start: datetime,
        apply_until: datetime,
    ) -> None:
        self.rng = random.Random(f"{seed}:nominations:{len(learners)}")
        self.orgs: dict[str, OrgPlan] = {o.code: o for o in orgs}
        self.learners = learners
        self.by_account = {p.account_id: p for p in learners}
        self.roles = roles
        self.year: int = definition["year"]
        self.categories: dict[int, dict[str, Any]] = {c["number"]: c for c in definition["categories"]}
        self.quota_overrides: dict[str, dict[str, int]] = definition.get("quotas", {}).get("by_unit", {})
        self.apply_start = apply_start
        self.apply_until = apply_until
        self.sequence: Counter[str] = Counter()
        self.taken: set[tuple[int, str]] = set()  # (category, recommending unit) already nominating
        self.listed: Counter[tuple[str, int]] = Counter()  # seats used: (reporting unit, category)
        self.nominations: list[NominationPlan] = []
        self.grouped = learners_by_unit(orgs, learners)
        self.units = [o for o in orgs if o.level == OrgLevel.UNIT and self.grouped.get(o.code)]
        # Who holds which role, and which roles each unit has (at its node or its departments).
        self.roles_by_account: dict[str, list[RolePlan]] = defaultdict(list)
        self.kinds_in_unit: dict[str, set[str]] = defaultdict(set)
        self.leaders_in_unit: dict[str, list[LearnerPlan]] = defaultdict(list)
        for role in roles:
            self.roles_by_account[role.account_id].append(role)
            unit = self.orgs[role.org_code].unit_code
            if unit:
                self.kinds_in_unit[unit].add(role.kind)
                if role.kind == RoleKind.LEADER and role.account_id in self.by_account:
                    self.leaders_in_unit[unit].append(self.by_account[role.account_id])

    # -- limits of the workflow -----------------------------------------------------------------
    def seats(self, reporting: str, number: int) -> int:
        category = self.categories[number]
        return self.quota_overrides.get(reporting, {}).get(category["name"], category["default_quota"])

    def fits(self, number: int, candidate: Candidate, state: str) -> bool:
        if (number, candidate.recommending) in self.taken:
            return False
        reporting = self.orgs[candidate.recommending].reporting_code or ""
        return state not in ON_A_LIST or self.listed[reporting, number] < self.seats(reporting, number)

    def take(self, pool: list[Candidate], number: int, state: str) -> Candidate | None:
        """The first fitting candidate of the pool; for rejected ones, the last (a withdrawn one was chosen
        and published first: eligible, from the head)."""
        order = range(len(pool) - 1, -1, -1) if state == S.REJECTED else range(len(pool))
        for index in order:
            if self.fits(number, pool[index], state):
                return pool.pop(index)
        return None

    def fill(
        self, number: int, pool: list[Candidate], fixed: list[tuple[Candidate, str, str | None]]
    ) -> None:
        """Every reachable state once, then weighted draws up to the category's target.

        States are handed out furthest-along first, from the head of the pool (nominees.py puts the
        candidates who meet the rules there, mostly), so that the lists hold mostly eligible nominations;
        rejected ones are taken from the tail.
        """
        for placed, state, by in fixed:
            self.add(number, placed, state, created_by=by)
        reachable = states_for(self.categories[number])
        extra = max(0, TARGETS.get(number, 20) - len(fixed) - len(reachable))
        weights = [STATE_WEIGHTS.get(s, 4) for s in reachable]
        extras = self.rng.choices(reachable, weights=weights, k=extra)
        # Every state once before any second one, so that a small pool still covers them all.
        states = sorted(reachable, key=_stage) + sorted(extras, key=_stage)
        for state in states:
            candidate = self.take(pool, number, state)
            if candidate is None and state in ON_A_LIST:  # quota full: it waits, submitted
                state, candidate = S.SUBMITTED, self.take(pool, number, S.SUBMITTED)
            if candidate is not None:
                self.add(number, candidate, state)

    # -- one nomination -------------------------------------------------------------------------
    def add(
        self,
        number: int,
        candidate: Candidate,
        state: str,
        *,
        created_by: str | None = None,
        submitted_at: datetime | None = None,
        account: str | None = None,
        name: str | None = None,
    ) -> NominationPlan:
        rng = self.rng
        category = self.categories[number]
        recommending = self.orgs[candidate.recommending]
        reporting = recommending.reporting_code or ""
        self.sequence[reporting] += 1
        sent = state != S.DRAFT  # sent up at least once: the form was complete then
        plan = NominationPlan(
            # The product's numbering (nominations.domain.starting.next_number): year-报送单位编码-seq.
            number=f"{self.year}-{reporting}-{self.sequence[reporting]:04d}",
            category_number=number,
            category_name=category["name"],
            recommending_code=recommending.code,
            reporting_code=reporting,
            target=state,
            summary="",
            created_by=created_by,
        )
        if created_by is None and category["recommender"] == "reporting_unit":
            plan.created_by = REPORTING_USERNAMES[reporting]
        if is_self_applicable(category):
            plan.self_applied = state == S.AWAITING_UNIT or created_by == "learner" or rng.random() < 0.12
        declarations = list(category.get("declarations", []))
        plan.declarations = declarations if sent else [d for d in declarations if rng.random() < 0.5]
        if category["kind"] == "person":
            self._person(plan, candidate, account=account, name=name)
        else:
            target = candidate.nominee_org or recommending
            plan.nominee_org_code = target.code
            plan.summary = texts.unit_summary(rng, unit=target.name)
            if number == 9:
                low = 2 if state in ON_A_LIST else 0  # 9.4: at least two activities
                plan.activity_count = rng.choice([0, 1, 2, 2, 3, 4, 5, 6, 8, 12][low:])
        if sent:
            span = (self.apply_until - self.apply_start).total_seconds()
            offset = timedelta(seconds=round(span * rng.uniform(0.03, 0.97)))
            plan.submitted_at = submitted_at or self.apply_start + offset
        plan.attachments = self._attachments(category, sent=sent, applying=state == S.AWAITING_UNIT)
        self._decisions(plan)
        if state != S.REJECTED:  # a withdrawn one held the unit's place until it was withdrawn
            self.taken.add((number, recommending.code))
        if state in ON_A_LIST:
            self.listed[reporting, number] += 1
        self.nominations.append(plan)
        return plan

    def _person(
        self, plan: NominationPlan, candidate: Candidate, *, account: str | None, name: str | None
    ) -> None:
        rng = self.rng
        person = candidate.nominee
        plan.nominee_account = account or (person.account_id if person else "")
        plan.nominee_name = name or (person.name if person else "")
        unit_code = self.orgs[person.org_code].unit_code if person else None
        unit = self.orgs[unit_code or plan.recommending_code]
        plan.summary = texts.person_summary(
            rng,
            name=plan.nominee_name,
            unit=unit.name,
            category=plan.category_name,
            annual=person.annual_points if person else 0,
            total=person.total_points if person else 0,
        )
        self._typed_points(plan, person)
        if candidate.warn and rng.random() < 0.8:
            plan.warn_reason = texts.warn_reason(rng)
        judged = plan.target in ON_A_LIST or plan.target == S.REJECTED
        if plan.category_number == 7 and judged and rng.random() < 0.75:
            plan.judges_score = Decimal(rng.randint(6000, 9850)) / 100

    def _typed_points(self, plan: NominationPlan, person: LearnerPlan | None) -> None:
        rng = self.rng
        if person is None:  # an account the snapshot does not know: the form still has what was typed
            plan.typed_total_points, plan.typed_annual_points = 23456, 9876
            return
        if plan.target == S.DRAFT and rng.random() < 0.25:
            return  # not filled in yet
        total, annual = person.total_points, person.annual_points
        roll = rng.random()
        if roll < 0.06:  # read off a later screenshot (G.9)
            extra = rng.randint(20, 600)
            total, annual = total + extra, annual + extra
        elif roll < 0.1:  # a typing slip: two digits swapped (or one off)
            digits = list(str(annual))
            if len(digits) > 2 and digits[1] != digits[2]:
                digits[1], digits[2] = digits[2], digits[1]
                annual = int("".join(digits))
            else:
                annual += 10
        plan.typed_total_points, plan.typed_annual_points = total, annual

    def _attachments(self, category: dict[str, Any], *, sent: bool, applying: bool = False) -> list[str]:
        """Required evidence always once sent up (the form refuses otherwise), optional by chance; a
        learner's own application waits for its unit's stamped form (forms_spec.UNIT_PROVIDED)."""
        rng = self.rng
        required = list(category.get("required_evidence", _DEFAULT_REQUIRED[category["kind"]]))
        if applying:
            required = [k for k in required if k not in UNIT_PROVIDED]
        offered = list(category.get("evidence", required))
        chosen = [k for k in required if sent or rng.random() < 0.6]
        for kind in offered:
            if kind in required or kind == EvidenceKind.VIDEO:  # no demo video: certificates stand in
                continue
            if kind == EvidenceKind.SEALED_FORM and (applying or not sent):
                continue
            if rng.random() < _OPTIONAL_CHANCE.get(kind, 0.5) * (1.0 if sent else 0.6):
                chosen.append(kind)
        return [str(kind) for kind in chosen]

    def _decisions(self, plan: NominationPlan) -> None:
        """Reviewers' judgements of `manual` rules: confirmed on listed nominations, one refusal on rejected."""
        manual = list(MANUAL_RULES.get(plan.category_number, ()))
        if plan.nominee_account and EvidenceKind.PLEDGE in plan.attachments:
            manual.insert(0, "G.1")
        if not manual:
            return
        if plan.target in ON_A_LIST:
            plan.confirmed = manual
        elif plan.target == S.REJECTED:
            plan.refused = [self.rng.choice(manual)]
        else:
            return
        plan.decided_by = REPORTING_USERNAMES[plan.reporting_code]
