"""The demo org tree: 省级 → 报送单位 (11 city stations, 5 省直 committees) → 县级 stations → 单位 → 部门.

Codes are stable and readable: "14" (province), "1401" (太原), "1401-03" (its third county),
"1401-03-002" (a unit of that county), "1401-00-001" (a unit directly under the city),
"1401-03-002-01" (a department). The structure depends on the seed only, never on the number of learners,
so `--learners` changes how full the province is, not its shape.

Member counts (学员数) add up to DEFAULT_LEARNERS: with that many learners (the default) every unit's
学员数 equals the number of its learners in the snapshot, departments included. With another
`--learners` the figures stay those of the full province and the snapshot is thinner or thicker.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from stdnum.cn import uscc as uscc_number

from jixing.demo import names
from jixing.demo.figures import station_figures, unit_figures
from jixing.demo.places import (
    CITIES,
    CITY_UNITS,
    COMMITTEES,
    COUNTY_UNITS,
    DEPARTMENTS,
    PROVINCE_AREA_CODE,
    PROVINCE_CODE,
    PROVINCE_NAME,
    SUB_DEPARTMENTS,
    City,
)
from jixing.demo.plan import OrgPlan
from jixing.orgs.enums import OrgLevel, Sector

DEFAULT_LEARNERS = 30000

# Typical 学员数 of a unit by sector: (median, lowest, highest) before scaling to DEFAULT_LEARNERS.
SIZES: dict[str, tuple[int, int, int]] = {
    Sector.PARTY_GOVERNMENT: (55, 12, 400),
    Sector.PUBLIC_INSTITUTION: (80, 15, 600),
    Sector.PEOPLES_ORGANISATION: (28, 8, 90),
    Sector.ENTERPRISE: (90, 15, 1200),
    Sector.UNIVERSITY: (700, 300, 1600),
    Sector.SCHOOL: (60, 15, 220),
    Sector.SOCIAL_ORGANISATION: (22, 6, 70),
    Sector.OTHER: (30, 8, 90),
}
# Exact sizes around the rules' thresholds (不少于30人 / 超过30人): some units sit right on them.
BOUNDARY_SIZES = (29, 30, 30, 31, 31, 40)

# USCC registering authority + entity type by sector (GB 32100).
_USCC_PREFIX = {
    Sector.PARTY_GOVERNMENT: "11",
    Sector.PUBLIC_INSTITUTION: "12",
    Sector.PEOPLES_ORGANISATION: "13",
    Sector.ENTERPRISE: "91",
    Sector.UNIVERSITY: "12",
    Sector.SCHOOL: "12",
    Sector.SOCIAL_ORGANISATION: "51",
    Sector.OTHER: "54",
}
_ORG_CODE_ALPHABET = "0123456789"
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(slots=True)
class OrgTree:
    orgs: list[OrgPlan]
    own: dict[str, int]  # learners placed at each node when the snapshot has DEFAULT_LEARNERS rows


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:orgs")
        self.orgs: list[OrgPlan] = []
        self.by_code: dict[str, OrgPlan] = {}
        self.sizes: dict[str, int] = {}  # unit-like code → 学员数 (raw, then scaled)
        self.pinned: set[str] = set()
        self.used_names: set[str] = set()
        self.used_usccs: set[str] = set()

    def add(self, org: OrgPlan) -> OrgPlan:
        parent = self.by_code.get(org.parent_code or "")
        if parent is not None:
            org.city_key = org.city_key or parent.city_key
            org.reporting_code = parent.reporting_code
            org.unit_code = parent.unit_code
        if org.level == OrgLevel.REPORTING_UNIT:
            org.reporting_code = org.code
        if org.level == OrgLevel.UNIT or org.is_station:
            org.unit_code = org.code
        elif org.level != OrgLevel.DEPARTMENT:
            org.unit_code = None
        self.orgs.append(org)
        self.by_code[org.code] = org
        self.used_names.add(org.name)
        return org

    # -- numbers --------------------------------------------------------------------------------
    def uscc(self, sector: Sector, area_code: str) -> str:
        """A USCC with a valid check digit whose embedded organisation code has a *wrong* GB 11714 check
        character, so that it can never be a number actually issued to a real body."""
        while True:
            body = "".join(self.rng.choice(_ORG_CODE_ALPHABET) for _ in range(8))
            total = sum(int(c) * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True))
            right = (11 - total % 11) % 11
            wrong = self.rng.choice([d for d in range(10) if d != right])
            first17 = f"{_USCC_PREFIX[sector]}{area_code}{body}{wrong}"
            number = first17 + uscc_number.calc_check_digit(first17)
            if number not in self.used_usccs:
                self.used_usccs.add(number)
                return number

    def raw_size(self, sector: Sector) -> int:
        median, low, high = SIZES[sector]
        return max(low, min(high, round(median * math.exp(self.rng.gauss(0, 0.55)))))

    # -- nodes ----------------------------------------------------------------------------------
    def unit(self, *, code: str, name: str, parent: str, sector: Sector, area_code: str) -> OrgPlan:
        rng = self.rng
        legal = rng.random() < {Sector.OTHER: 0.5, Sector.SOCIAL_ORGANISATION: 0.75}.get(sector, 0.93)
        org = self.add(
            OrgPlan(
                code=code,
                name=name,
                parent_code=parent,
                level=OrgLevel.UNIT,
                is_legal_entity=legal,
                uscc=self.uscc(sector, area_code) if legal and rng.random() < 0.88 else "",
                sector=sector,
            )
        )
        self.sizes[code] = self.raw_size(sector)
        return org

    def station(self, *, code: str, name: str, parent: str | None, level: str, city_key: str = "") -> None:
        self.add(
            OrgPlan(
                code=code,
                name=name,
                parent_code=parent,
                level=level,
                is_station=True,
                sector=Sector.PARTY_GOVERNMENT,
                city_key=city_key,
            )
        )
        low, high = (12, 40) if level == OrgLevel.REPORTING_UNIT else (6, 26)
        self.sizes[code] = self.rng.randint(low, high)

    def unique(self, make) -> str | None:
        for _ in range(20):
            name = make()
            if name not in self.used_names:
                return name
        return None


def _county_sectors(rng: random.Random) -> list[Sector]:
    base = [Sector.PARTY_GOVERNMENT] * 2 + [Sector.SCHOOL] * 2
    base += [Sector.PUBLIC_INSTITUTION, Sector.PEOPLES_ORGANISATION, Sector.ENTERPRISE]
    extras = [Sector.PARTY_GOVERNMENT, Sector.SCHOOL, Sector.SCHOOL, Sector.PUBLIC_INSTITUTION]
    extras += [Sector.ENTERPRISE, Sector.SOCIAL_ORGANISATION, Sector.OTHER, Sector.OTHER]
    return base + rng.sample(extras, rng.randint(1, 3))


def _unit_name(b: _Builder, sector: str, place: str, templates: dict[str, tuple[str, ...]]) -> str | None:
    rng = b.rng
    if sector == Sector.ENTERPRISE:
        return b.unique(lambda: names.company_name(rng, kind="企业", place=place.removesuffix("市")))
    if sector == Sector.OTHER:
        maker = names.village_committee if rng.random() < 0.6 else names.community_committee
        return b.unique(lambda: maker(rng, county=place))
    for template in templates.get(sector, ()):
        name = template.format(c=place)
        if name not in b.used_names:
            return name
    return None


def _city(b: _Builder, city: City) -> None:
    rng = b.rng
    b.station(
        code=city.code,
        name=f"{city.name}委宣传部通讯站",
        parent=PROVINCE_CODE,
        level=OrgLevel.REPORTING_UNIT,
        city_key=city.key,
    )
    # Units of the city itself (市直), hanging directly under the reporting unit.
    direct = [Sector.PARTY_GOVERNMENT, Sector.PARTY_GOVERNMENT, Sector.PUBLIC_INSTITUTION, Sector.SCHOOL]
    direct += [Sector.ENTERPRISE, rng.choice([Sector.PEOPLES_ORGANISATION, Sector.SOCIAL_ORGANISATION])]
    for index, sector in enumerate(direct, start=1):
        name = _unit_name(b, sector, city.name, CITY_UNITS)
        if name:
            b.unit(
                code=f"{city.code}-00-{index:03d}",
                name=name,
                parent=city.code,
                sector=sector,
                area_code=city.area_code,
            )
    count = 5 if city.key == "TY" else rng.randint(3, 5)
    counties = sorted(rng.sample(range(len(city.counties)), count))
    # 太原 keeps 清徐县 first: the demo's `school` account lives there (accounts.py).
    if city.key == "TY":
        counties = [6, *[i for i in counties if i != 6]][:count]
    for position, county_index in enumerate(counties, start=1):
        county = city.counties[county_index]
        county_code = f"{city.code}-{position:02d}"
        b.station(
            code=county_code,
            name=f"{county}委宣传部通讯站",
            parent=city.code,
            level=OrgLevel.COUNTY,
        )
        for index, sector in enumerate(_county_sectors(rng), start=1):
            name = _unit_name(b, sector, county, COUNTY_UNITS)
            if name:
                b.unit(
                    code=f"{county_code}-{index:03d}",
                    name=name,
                    parent=county_code,
                    sector=sector,
                    area_code=city.area_code,
                )


def _committee_unit_name(b: _Builder, name: str) -> str | None:
    if not name.startswith("*"):
        return name
    return b.unique(lambda: names.company_name(b.rng, kind=name[1:]))


def _departments(b: _Builder) -> None:
    """Departments for units big enough to have them; some universities' schools have sub-departments."""
    rng = b.rng
    for unit in [o for o in b.orgs if o.level == OrgLevel.UNIT]:
        size = b.sizes[unit.code]
        if unit.sector == Sector.UNIVERSITY:
            count = rng.randint(6, 10)
        elif size >= 50:
            count = min(6, max(2, size // 45))
        elif size >= 30 and rng.random() < 0.5:
            count = rng.randint(1, 2)
        else:
            continue
        pool = DEPARTMENTS[unit.sector]
        for index, dept_name in enumerate(pool[: min(count, len(pool))], start=1):
            dept = b.add(
                OrgPlan(
                    code=f"{unit.code}-{index:02d}",
                    name=dept_name,
                    parent_code=unit.code,
                    level=OrgLevel.DEPARTMENT,
                )
            )
            if unit.sector == Sector.UNIVERSITY and index in (2, 3):
                for sub_index, sub_name in enumerate(SUB_DEPARTMENTS, start=1):
                    b.add(
                        OrgPlan(
                            code=f"{dept.code}-{sub_index:02d}",
                            name=sub_name,
                            parent_code=dept.code,
                            level=OrgLevel.DEPARTMENT,
                        )
                    )


def _pin_boundaries(b: _Builder) -> None:
    """Put some small units exactly on the 30-member thresholds; they keep their size through scaling."""
    candidates = [
        o.code
        for o in b.orgs
        if o.level == OrgLevel.UNIT and o.sector in (Sector.SCHOOL, Sector.PARTY_GOVERNMENT, Sector.OTHER)
    ]
    for code, size in zip(b.rng.sample(candidates, 2 * len(BOUNDARY_SIZES)), BOUNDARY_SIZES * 2, strict=True):
        b.sizes[code] = size
        b.pinned.add(code)


def _scale_sizes(b: _Builder, total: int) -> None:
    """Scale the free sizes so that all sizes add up to `total` exactly (largest units absorb rounding)."""
    pinned = sum(b.sizes[c] for c in b.pinned)
    free = [c for c in b.sizes if c not in b.pinned]
    factor = (total - pinned) / sum(b.sizes[c] for c in free)
    for code in free:
        b.sizes[code] = max(5, round(b.sizes[code] * factor))
    difference = total - sum(b.sizes.values())
    largest = sorted(free, key=lambda c: (-b.sizes[c], c))
    step = 1 if difference > 0 else -1
    for index in range(abs(difference)):
        b.sizes[largest[index % len(largest)]] += step


def _split_members(b: _Builder) -> dict[str, int]:
    """Place each unit's members on the unit node and its departments; returns learners per node."""
    children: dict[str, list[str]] = {}
    for org in b.orgs:
        if org.level == OrgLevel.DEPARTMENT and org.parent_code:
            children.setdefault(org.parent_code, []).append(org.code)
    own: dict[str, int] = {org.code: 0 for org in b.orgs}

    def spread(code: str, count: int) -> None:
        kids = children.get(code, [])
        if not kids:
            own[code] += count
            return
        keep = round(count * b.rng.uniform(0.1, 0.35))
        own[code] += keep
        weights = [b.rng.uniform(0.5, 2.0) for _ in kids]
        rest, scale = count - keep, sum(weights)
        shares = [int(rest * w / scale) for w in weights]
        shares[0] += rest - sum(shares)
        for kid, share in zip(kids, shares, strict=True):
            spread(kid, share)

    for code, size in b.sizes.items():
        spread(code, size)
    return own


def build_org_tree(seed: int) -> OrgTree:
    b = _Builder(seed)
    b.add(OrgPlan(code=PROVINCE_CODE, name=PROVINCE_NAME, parent_code=None, level=OrgLevel.PROVINCE))
    for city in CITIES:
        _city(b, city)
    for committee in COMMITTEES:
        b.station(
            code=committee.code, name=committee.name, parent=PROVINCE_CODE, level=OrgLevel.REPORTING_UNIT
        )
        for index, (sector, unit_name) in enumerate(committee.units, start=1):
            name = _committee_unit_name(b, unit_name)
            if name:
                b.unit(
                    code=f"{committee.code}-00-{index:03d}",
                    name=name,
                    parent=committee.code,
                    sector=Sector(sector),  # places.py spells sectors as their Chinese values
                    area_code=PROVINCE_AREA_CODE,
                )
    _pin_boundaries(b)
    _scale_sizes(b, DEFAULT_LEARNERS)
    _departments(b)
    own = _split_members(b)
    _fill_figures(b, own)
    return OrgTree(orgs=b.orgs, own=own)


def _fill_figures(b: _Builder, own: dict[str, int]) -> None:
    # 学员数 of a node = learners at it and under it, down to (not past) the next unit.
    members: dict[str, int] = {}
    for org in reversed(b.orgs):  # children come after their parents in b.orgs
        members[org.code] = members.get(org.code, 0) + own[org.code]
        parent = b.by_code.get(org.parent_code or "")
        if parent is not None and org.level == OrgLevel.DEPARTMENT:
            members[parent.code] = members.get(parent.code, 0) + members[org.code]
    for org in b.orgs:
        if org.level == OrgLevel.PROVINCE:
            continue
        org.members = members[org.code]
        if org.level == OrgLevel.DEPARTMENT:
            continue
        if org.is_station:
            station_figures(b.rng, org)
        else:
            unit_figures(b.rng, org, exact_ratio=org.code in b.pinned and org.members == 40)
        if org.daily_active_rate is not None:
            org.daily_active_rate = Decimal(org.daily_active_rate).quantize(Decimal("0.0001"))
