"""The figures of units and stations, spread so that every rule threshold is met by some and missed by
others (6.3, 9.2: members/staff around 80%, tagging complete or not, daily-active around 30%; 4.3, 5.3,
8.3, 9.3: article, review and bulletin-error counts around their limits)."""

from __future__ import annotations

import random
from decimal import Decimal

from jixing.demo.plan import OrgPlan
from jixing.orgs.enums import OrgLevel, Sector

# Share of party members among the staff, by sector.
_PARTY_SHARE: dict[str, tuple[float, float]] = {
    Sector.PARTY_GOVERNMENT: (0.55, 0.95),
    Sector.PUBLIC_INSTITUTION: (0.3, 0.6),
    Sector.PEOPLES_ORGANISATION: (0.4, 0.8),
    Sector.ENTERPRISE: (0.1, 0.4),
    Sector.UNIVERSITY: (0.3, 0.5),
    Sector.SCHOOL: (0.3, 0.6),
    Sector.SOCIAL_ORGANISATION: (0.05, 0.3),
    Sector.OTHER: (0.1, 0.4),
}


def _staff(rng: random.Random, members: int, *, exact_ratio: bool) -> int:
    """在职人数 such that members/staff falls below, on, or above 80% (and sometimes over 100%)."""
    if exact_ratio or (members % 4 == 0 and rng.random() < 0.08):
        return members * 5 // 4  # exactly 80%: passes 9.2 (>=), fails 6.3 (>)
    roll = rng.random()
    if roll < 0.3:
        ratio = rng.uniform(0.55, 0.79)
    elif roll < 0.9:
        ratio = rng.uniform(0.81, 1.0)
    else:
        ratio = rng.uniform(1.0, 1.15)  # retirees and family members in the structure
    return max(1, round(members / ratio))


def _rate(rng: random.Random) -> Decimal:
    if rng.random() < 0.05:
        return Decimal("0.3000")  # exactly 30%: fails 6.3 (超过30%)
    return Decimal(str(round(min(0.97, max(0.06, rng.gauss(0.48, 0.2))), 4)))


def _people(rng: random.Random, org: OrgPlan, *, exact_ratio: bool = False) -> None:
    members = org.members or 0
    org.staff = _staff(rng, members, exact_ratio=exact_ratio)
    low, high = _PARTY_SHARE.get(org.sector, (0.2, 0.5))
    org.party_members = max(0, round(org.staff * rng.uniform(low, high)))
    if rng.random() < 0.65 or org.party_members == 0:
        org.tagged_party_members = org.party_members
    else:
        org.tagged_party_members = org.party_members - rng.randint(1, max(1, org.party_members // 4))
    org.daily_active_rate = _rate(rng)


def station_figures(rng: random.Random, org: OrgPlan) -> None:
    """A station's staff figures and its 2022 article and review figures."""
    _people(rng, org)
    city_level = org.level == OrgLevel.REPORTING_UNIT
    submitted = (
        rng.randint(380, 3200) if city_level else rng.choice([rng.randint(12, 99), rng.randint(100, 700)])
    )
    org.articles_submitted = submitted
    org.published_provincial = round(submitted * rng.uniform(0.05, 0.5))
    org.published_national = rng.randint(0, 40 if city_level else 4)
    reviewed = rng.randint(150, 5200) if city_level else rng.randint(40, 1600)
    org.articles_reviewed = reviewed
    org.bulletin_errors_provincial = rng.choice([rng.randint(0, 5), rng.randint(0, 5), rng.randint(6, 28)])
    org.bulletin_errors_national = rng.choice([rng.randint(0, 2), rng.randint(0, 8)])


def unit_figures(rng: random.Random, org: OrgPlan, *, exact_ratio: bool = False) -> None:
    """A unit's people figures; about 60% also report 2022 article figures (the rest leave them empty)."""
    _people(rng, org, exact_ratio=exact_ratio)
    if rng.random() > 0.6:
        return
    roll = rng.random()
    if roll < 0.1:
        submitted = rng.choice([9, 10, 29, 30, 99, 100])  # right at the thresholds of 9.3, 4.3, 8.3
    elif roll < 0.5:
        submitted = rng.randint(0, 40)
    else:
        submitted = rng.randint(30, 420)
    org.articles_submitted = submitted
    org.published_provincial = min(submitted, round(submitted * rng.uniform(0.05, 0.7)))
    org.published_national = min(submitted, rng.choice([0, 0, 0, 1, 2, 3, rng.randint(0, 10)]))
    org.bulletin_errors_provincial = rng.choice([rng.randint(0, 20), rng.randint(0, 40)])
    org.bulletin_errors_national = rng.choice([rng.randint(0, 5), rng.randint(0, 12)])
