"""Whether a candidate roughly meets a category's main rules — for believability only.

Units know the rules and mostly nominate people and units that meet them; nominees.py uses these
predicates to put such candidates first, so the demo's lists hold mostly eligible nominations and its
rejections mostly ineligible ones. They paraphrase campaign-2022.md loosely and are no second
implementation of the rules: what counts is always the eligibility engine's verdict.
"""

from __future__ import annotations

from decimal import Decimal

from jixing.demo.nominations import Candidate, NominationBuilder
from jixing.demo.plan import LearnerPlan, OrgPlan, RolePlan
from jixing.orgs.enums import Sector
from jixing.people.enums import RoleKind

ROLE_OF_CATEGORY = {4: RoleKind.CONTRIBUTOR, 5: RoleKind.REVIEWER, 6: RoleKind.ADMINISTRATOR}
_PUBLIC_SECTORS = {Sector.PARTY_GOVERNMENT, Sector.PUBLIC_INSTITUTION, Sector.PEOPLES_ORGANISATION}


def _clean(p: LearnerPlan) -> bool:
    return p.is_real_name and p.is_shanxi_phone and not p.is_platform_staff


def _sizeable(unit: OrgPlan) -> bool:
    return unit.is_legal_entity and (unit.members or 0) >= 30


def _unit_of(b: NominationBuilder, p: LearnerPlan) -> OrgPlan:
    return b.orgs[b.orgs[p.org_code].unit_code or p.org_code]


def good_learner(b: NominationBuilder, c: Candidate) -> bool:
    p = c.nominee
    assert p is not None
    ranked = p.national_total_rank is not None and p.national_annual_rank is not None
    return ranked and _clean(p) and _sizeable(_unit_of(b, p))


def good_challenger(b: NominationBuilder, c: Candidate) -> bool:
    p = c.nominee
    assert p is not None
    return p.annual_points >= 7200 and p.perfect_clearances >= 11 and _clean(p) and _sizeable(_unit_of(b, p))


def good_volunteer(b: NominationBuilder, c: Candidate) -> bool:
    p = c.nominee
    assert p is not None
    return p.annual_points >= 5000 and _clean(p)


def role_figures_hold(b: NominationBuilder, number: int, role: RolePlan) -> bool:
    """4.3, 5.3 + 5.4, 6.1 + 6.3: the figures of the node where the role is held."""
    node = b.orgs[role.org_code]
    if number == 4:
        published = (node.published_provincial or 0) >= 15 or (node.published_national or 0) >= 2
        return (node.articles_submitted or 0) >= 30 and published
    if number == 5:
        errors = node.bulletin_errors_provincial is not None and node.bulletin_errors_provincial <= 5
        errors = errors or (node.bulletin_errors_national is not None and node.bulletin_errors_national <= 2)
        trained = role.assessments >= 1 and role.training_hours >= 5
        return (
            role.is_full_time
            and node.is_station
            and (node.articles_reviewed or 0) >= 200
            and errors
            and trained
        )
    members, staff = node.members or 0, node.staff or 0
    tagged = node.tagged_party_members == node.party_members
    active = (node.daily_active_rate or Decimal(0)) > Decimal("0.3")
    return members > 30 and members * 100 > staff * 80 and tagged and active


def good_role_holder(b: NominationBuilder, number: int, p: LearnerPlan) -> bool:
    kind = ROLE_OF_CATEGORY[number]
    roles = [r for r in b.roles_by_account.get(p.account_id, []) if r.kind == kind]
    return p.annual_points >= 7200 and _clean(p) and any(role_figures_hold(b, number, r) for r in roles)


def good_writer(b: NominationBuilder, c: Candidate) -> bool:
    o = c.nominee_org
    assert o is not None
    errors = (o.bulletin_errors_provincial or 99) <= 20 or (o.bulletin_errors_national or 99) <= 5
    has_writer = RoleKind.CONTRIBUTOR in b.kinds_in_unit.get(o.code, set())
    return (
        (o.is_station or (o.members or 0) > 30)
        and (o.articles_submitted or 0) >= 100
        and errors
        and has_writer
    )


def good_organisation(b: NominationBuilder, c: Candidate) -> bool:
    o = c.nominee_org
    assert o is not None
    members, staff = o.members or 0, o.staff or 0
    eligible = o.sector in _PUBLIC_SECTORS or o.is_legal_entity
    leaders = b.leaders_in_unit.get(o.code, [])
    led = bool(leaders) and all(p.annual_points > 3000 for p in leaders)
    tagged = o.tagged_party_members == o.party_members and members * 100 >= staff * 80
    kinds = b.kinds_in_unit.get(o.code, set())
    staffed = {RoleKind.CONTRIBUTOR, RoleKind.ADMINISTRATOR} <= kinds and (o.articles_submitted or 0) >= 10
    return eligible and members > 30 and led and tagged and staffed
