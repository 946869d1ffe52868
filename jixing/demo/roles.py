"""Roles (角色): who contributes, reviews, administers, volunteers and leads, in stations and units.

Each role goes to a learner of the node's unit. Leadership members (班子成员) are mostly among their unit's
keener learners, but some units have one below 3,000 annual points (rule 9.2); some contributors hold
their role at their department rather than at the unit (the rules then read the department's figures).
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from jixing.demo.plan import LearnerPlan, OrgPlan, RolePlan
from jixing.orgs.enums import OrgLevel
from jixing.people.enums import RoleKind, VolunteerType

_TRAINING_HOURS = [Decimal(h) for h in ("0", "2", "4.5", "5", "6", "8", "12", "16", "24")]


def learners_by_unit(orgs: list[OrgPlan], learners: list[LearnerPlan]) -> dict[str, list[LearnerPlan]]:
    """Learners grouped by their unit (the nearest 单位 or station at or above their org node)."""
    unit_of = {org.code: org.unit_code for org in orgs}
    grouped: dict[str, list[LearnerPlan]] = defaultdict(list)
    for learner in learners:
        unit = unit_of[learner.org_code]
        if unit is not None:
            grouped[unit].append(learner)
    return grouped


def build_roles(seed: int, orgs: list[OrgPlan], learners: list[LearnerPlan]) -> list[RolePlan]:
    rng = random.Random(f"{seed}:roles:{len(learners)}")
    grouped = learners_by_unit(orgs, learners)
    roles: list[RolePlan] = []
    for org in orgs:
        people = grouped.get(org.code, [])
        if not people or org.level == OrgLevel.DEPARTMENT:
            continue
        if org.is_station:
            roles += _station_roles(rng, org, people)
        elif org.level == OrgLevel.UNIT:
            roles += _unit_roles(rng, org, people)
    roles += _volunteers(rng, orgs, learners)
    return roles


def _pick(rng: random.Random, people: list[LearnerPlan], low: int, high: int) -> list[LearnerPlan]:
    return rng.sample(people, min(len(people), rng.randint(low, high)))


def _reviewer(rng: random.Random, account: str, org: str, *, full_time: bool) -> RolePlan:
    return RolePlan(
        account_id=account,
        org_code=org,
        kind=RoleKind.REVIEWER,
        is_full_time=full_time,
        assessments=rng.choice([0, 1, 1, 2, 3]),
        training_hours=rng.choice(_TRAINING_HOURS),
    )


def _leaders(
    rng: random.Random, org: OrgPlan, people: list[LearnerPlan], low: int, high: int
) -> list[RolePlan]:
    if len(people) < 3:
        return []
    keen = sorted(people, key=lambda p: (-p.annual_points, p.account_id))[: max(3, len(people) * 3 // 5)]
    chosen = rng.sample(keen, min(len(keen), rng.randint(low, high)))
    if rng.random() < 0.15:
        laggard = min(people, key=lambda p: (p.annual_points, p.account_id))
        if laggard not in chosen:
            chosen[-1] = laggard
    return [RolePlan(account_id=p.account_id, org_code=org.code, kind=RoleKind.LEADER) for p in chosen]


def _station_roles(rng: random.Random, org: OrgPlan, people: list[LearnerPlan]) -> list[RolePlan]:
    city_level = org.level == OrgLevel.REPORTING_UNIT
    roles = [
        _reviewer(rng, p.account_id, org.code, full_time=city_level or rng.random() < 0.7)
        for p in _pick(rng, people, 2 if city_level else 1, 4 if city_level else 2)
    ]
    roles += [
        RolePlan(account_id=p.account_id, org_code=org.code, kind=RoleKind.CONTRIBUTOR)
        for p in _pick(rng, people, 2 if city_level else 1, 5 if city_level else 3)
    ]
    roles.append(
        RolePlan(account_id=rng.choice(people).account_id, org_code=org.code, kind=RoleKind.ADMINISTRATOR)
    )
    return roles + _leaders(rng, org, people, 3, 5)


def _unit_roles(rng: random.Random, org: OrgPlan, people: list[LearnerPlan]) -> list[RolePlan]:
    roles: list[RolePlan] = []
    if rng.random() < 0.93:
        for p in _pick(rng, people, 1, 1 if rng.random() < 0.8 else 2):
            roles.append(RolePlan(account_id=p.account_id, org_code=org.code, kind=RoleKind.ADMINISTRATOR))
    if rng.random() < 0.62:
        for p in _pick(rng, people, 1, 3):
            # A few hold the role at their own department: the rules then read that node's figures.
            at = p.org_code if p.org_code != org.code and rng.random() < 0.15 else org.code
            roles.append(RolePlan(account_id=p.account_id, org_code=at, kind=RoleKind.CONTRIBUTOR))
    if len(people) >= 80 and rng.random() < 0.15:
        roles.append(_reviewer(rng, rng.choice(people).account_id, org.code, full_time=False))
    return roles + _leaders(rng, org, people, 3, 7)


def _volunteers(rng: random.Random, orgs: list[OrgPlan], learners: list[LearnerPlan]) -> list[RolePlan]:
    """About 1% of learners volunteer for the provincial platform (审读, 播音, other work), mostly keen ones."""
    unit_of = {org.code: org.unit_code for org in orgs}
    keen = [p for p in learners if p.annual_points >= 5000 and unit_of[p.org_code]]
    others = [p for p in learners if p.annual_points < 5000 and unit_of[p.org_code]]
    count = max(24, len(learners) // 100)
    chosen = rng.sample(keen, min(len(keen), count * 3 // 4)) + rng.sample(
        others, min(len(others), count // 4)
    )
    kinds = [VolunteerType.PROOFREADING] * 2 + [VolunteerType.BROADCAST, VolunteerType.OTHER]
    return [
        RolePlan(
            account_id=p.account_id,
            org_code=unit_of[p.org_code] or p.org_code,
            kind=RoleKind.VOLUNTEER,
            volunteer_type=rng.choice(kinds),
        )
        for p in chosen
    ]
