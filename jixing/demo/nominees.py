"""Who gets nominated: the candidate pools of each category, the demo accounts' own work, and the cases
the rules must catch — a person with two accounts both nominated (G.2), the same person in two categories
(G.3, which also happens by itself when a unit's first learner leads both orderings), a 省平台工作人员
(G.4), a non-volunteer for 优秀志愿者 (7.1), a second draft beside a unit's nomination (G.6), a nominee
without a snapshot row, and typed points that differ from the snapshot (G.9, in nominations.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from jixing.demo import merits, names
from jixing.demo.accounts import school_unit, top_learner
from jixing.demo.merits import ROLE_OF_CATEGORY
from jixing.demo.nominations import TARGETS, Candidate, NominationBuilder
from jixing.demo.plan import LearnerPlan, NominationPlan, OrgPlan, RolePlan
from jixing.nominations.enums import NominationState as S
from jixing.orgs.enums import OrgLevel
from jixing.people.enums import RoleKind


def by_total(p: LearnerPlan) -> tuple:
    """Category 1's ordering key: total points, then annual points."""
    return (-p.total_points, -p.annual_points, p.account_id)


def by_annual(p: LearnerPlan) -> tuple:
    """Category 2's ordering key: annual points, then total points."""
    return (-p.annual_points, -p.total_points, p.account_id)


def build_nominations(
    seed: int,
    *,
    orgs: list[OrgPlan],
    learners: list[LearnerPlan],
    roles: list[RolePlan],
    definition: dict[str, Any],
    apply_start: datetime,
    apply_until: datetime,
) -> list[NominationPlan]:
    """The demo campaign's nominations. Submission times fall between the start of 申报推荐 and
    `apply_until` (now, while 申报推荐 is open), so that nothing was submitted in the future."""
    b = NominationBuilder(
        seed,
        orgs=orgs,
        learners=learners,
        roles=roles,
        definition=definition,
        apply_start=apply_start,
        apply_until=apply_until,
    )
    school = school_unit(orgs)
    fixed = _school_work(b, school)
    mine = {school.code}
    b.fill(1, _by_merit(b, 1, _first_of_units(b, by_total, exclude=mine), merits.good_learner), fixed[1])
    b.fill(2, _by_merit(b, 2, _first_of_units(b, by_annual, exclude=mine), merits.good_learner), fixed[2])
    b.fill(3, _by_merit(b, 3, _challengers(b, exclude=mine), merits.good_challenger), fixed[3])
    for number in ROLE_OF_CATEGORY:
        b.fill(number, _role_holders(b, number), [])
    b.fill(7, _by_merit(b, 7, _volunteers(b), merits.good_volunteer), [])
    writers = [o for o in orgs if o.is_station] + [o for o in b.units if o.articles_submitted is not None]
    b.fill(8, _by_merit(b, 8, [Candidate(o.code, nominee_org=o) for o in writers], merits.good_writer), [])
    big = [o for o in b.units if (o.members or 0) >= 15 and o.code not in mine]
    b.fill(
        9,
        _by_merit(b, 9, [Candidate(o.code, nominee_org=o) for o in big], merits.good_organisation),
        fixed[9],
    )
    _special_cases(b)
    return b.nominations


def _by_merit(
    b: NominationBuilder,
    number: int,
    pool: list[Candidate],
    good: Callable[[NominationBuilder, Candidate], bool],
) -> list[Candidate]:
    """Shuffle the pool, mostly putting candidates who meet the category's main rules first: units know
    the rules and mostly nominate who meets them, but not always. Two who do not are always placed where
    the middle and the last states are handed out (submitted, rejected: see NominationBuilder.fill), so
    that every category shows a failing rule."""
    ranked = sorted(pool, key=lambda c: b.rng.random() + (0.0 if good(b, c) else 0.7))
    misfits = [c for c in ranked if not good(b, c)][:2]
    target = TARGETS[number]
    for candidate, share in zip(misfits, (0.6, 0.9), strict=False):
        ranked.remove(candidate)
        ranked.insert(min(len(ranked), int(target * share)), candidate)
    return ranked


def _school_work(b: NominationBuilder, school: OrgPlan) -> dict[int, list[tuple[Candidate, str, str | None]]]:
    """Something for each demo account to do in 申报推荐: the `learner` account's own draft (he applies),
    a returned form and a draft of the `school` account, and a colleague's application it must confirm."""
    fixed: dict[int, list[tuple[Candidate, str, str | None]]] = defaultdict(list)
    people = b.grouped.get(school.code, [])
    featured = top_learner(people)
    if featured is not None:
        fixed[1].append((Candidate(school.code, nominee=featured), S.DRAFT, "learner"))
        ranked = sorted(people, key=by_annual)
        pick = ranked[1] if len(ranked) > 1 and ranked[0] is featured else ranked[0]
        fixed[2].append(
            (Candidate(school.code, nominee=pick, warn=pick is not ranked[0]), S.RETURNED, "school")
        )
        keen = [p for p in people if p is not featured and p is not pick]
        if keen:
            best = max(keen, key=lambda p: (p.perfect_clearances, p.annual_points, p.account_id))
            fixed[3].append((Candidate(school.code, nominee=best), S.AWAITING_UNIT, None))
    fixed[9].append((Candidate(school.code, nominee_org=school), S.DRAFT, "school"))
    return fixed


def _first_of_units(
    b: NominationBuilder, order: Callable[[LearnerPlan], Any], *, exclude: set[str]
) -> list[Candidate]:
    """Each unit's first learner by `order` (now and then its second, which 1.1/2.1 warn about)."""
    pool = []
    for unit in b.rng.sample(b.units, len(b.units)):
        if unit.code in exclude:
            continue
        ranked = sorted(b.grouped[unit.code], key=order)
        warn = len(ranked) > 1 and b.rng.random() < 0.2
        pool.append(Candidate(unit.code, nominee=ranked[1 if warn else 0], warn=warn))
    return pool


def _challengers(b: NominationBuilder, *, exclude: set[str]) -> list[Candidate]:
    pool = []
    for unit in b.rng.sample(b.units, len(b.units)):
        keen = [p for p in b.grouped[unit.code] if p.perfect_clearances >= 6]
        if keen and unit.code not in exclude:
            best = min(keen, key=lambda p: (-p.perfect_clearances, -p.annual_points, p.account_id))
            pool.append(Candidate(unit.code, nominee=best))
    return pool


def _role_holders(b: NominationBuilder, number: int) -> list[Candidate]:
    """One or two nominees per reporting unit (which fills categories 4–6 itself), mostly a holder of the
    role who meets the rules; now and then any holder, or somebody without the role (4.1/5.1/6.1 fail)."""
    kind = ROLE_OF_CATEGORY[number]
    holders: dict[str, list[LearnerPlan]] = defaultdict(list)
    for role in b.roles:
        person = b.by_account.get(role.account_id)
        reporting = b.orgs[role.org_code].reporting_code
        if role.kind == kind and person is not None and reporting and person not in holders[reporting]:
            holders[reporting].append(person)
    pool = []
    for org in b.orgs.values():
        if org.level != OrgLevel.REPORTING_UNIT:
            continue
        people = holders.get(org.code, [])
        good = [p for p in people if merits.good_role_holder(b, number, p)]
        roll = b.rng.random()
        if not people or roll < 0.1:
            people = [p for unit in b.units if unit.reporting_code == org.code for p in b.grouped[unit.code]]
            if not people:
                continue
            nominee = b.rng.choice(people)
        elif good and roll < 0.8:
            nominee = min(good, key=by_annual)
        else:
            nominee = b.rng.choice(people)
        # The reporting unit fills the form, but G.6 counts it against the nominee's own unit.
        pool.append(Candidate(b.orgs[nominee.org_code].unit_code or org.code, nominee=nominee))
        second = [
            p for p in good if p is not nominee and b.orgs[p.org_code].unit_code != pool[-1].recommending
        ]
        if second and roll < 0.5:
            pool.append(Candidate(b.orgs[second[0].org_code].unit_code or org.code, nominee=second[0]))
    return _by_merit(
        b, number, pool, lambda b, c: c.nominee is not None and merits.good_role_holder(b, number, c.nominee)
    )


def _volunteers(b: NominationBuilder) -> list[Candidate]:
    pool, seen = [], set()
    volunteers = [r for r in b.roles if r.kind == RoleKind.VOLUNTEER and r.account_id in b.by_account]
    for role in b.rng.sample(volunteers, len(volunteers)):
        if role.org_code not in seen:
            seen.add(role.org_code)
            pool.append(Candidate(role.org_code, nominee=b.by_account[role.account_id]))
    return pool


def _special_cases(b: NominationBuilder) -> None:
    rng = b.rng
    unit_of = {code: org.unit_code for code, org in b.orgs.items()}
    # G.2: both accounts of one person nominated; the later one must fail.
    persons: dict[str, list[LearnerPlan]] = defaultdict(list)
    for p in b.learners:
        persons[p.id_number or f"{p.name}|{p.phone}"].append(p)
    placed = 0
    for first, second, *_ in [group for group in persons.values() if len(group) > 1]:
        unit_a, unit_b = unit_of[first.org_code], unit_of[second.org_code]
        if placed == 2 or not unit_a or not unit_b or (2, unit_a) in b.taken or (1, unit_b) in b.taken:
            continue
        when = b.apply_start + (b.apply_until - b.apply_start) / 3
        b.add(2, Candidate(unit_a, nominee=first), S.SUBMITTED, submitted_at=when)
        b.add(1, Candidate(unit_b, nominee=second), S.SUBMITTED, submitted_at=when + timedelta(hours=20))
        placed += 1
    # G.4: a 省平台工作人员 nominated by his unit.
    for p in b.learners:
        unit = unit_of[p.org_code]
        if p.is_platform_staff and unit and (2, unit) not in b.taken:
            b.add(2, Candidate(unit, nominee=p), S.SUBMITTED)
            break
    # 7.1: a unit nominating for 优秀志愿者 somebody who holds no volunteer role.
    volunteers = {r.account_id for r in b.roles if r.kind == RoleKind.VOLUNTEER}
    for plan in b.units:
        if (7, plan.code) not in b.taken:
            keen = min(b.grouped[plan.code], key=by_annual)
            if keen.account_id not in volunteers:
                b.add(7, Candidate(plan.code, nominee=keen), S.SUBMITTED)
                break
    # G.6: a second draft beside a unit's submitted nomination in the same category.
    submitted = [n for n in b.nominations if n.category_number == 1 and n.target == S.SUBMITTED]
    for existing in submitted[:2]:
        others = [
            p
            for p in b.grouped.get(existing.recommending_code, [])
            if p.account_id != existing.nominee_account
        ]
        if others:
            b.add(1, Candidate(existing.recommending_code, nominee=rng.choice(others)), S.DRAFT)
    # A 学号 the snapshot does not know (a typo on the form): the snapshot's rules are `missing`.
    free = [u for u in b.units if (1, u.code) not in b.taken]
    if free:
        unknown = f"5{rng.randint(100_000_000, 999_999_999)}"  # the snapshot's accounts all start with 6
        name = names.person_name(rng, male=True)
        b.add(1, Candidate(free[0].code), S.DRAFT, account=unknown, name=name)
