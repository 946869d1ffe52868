"""The baseline snapshot's learners: synthetic accounts, numbers and points.

Nothing here can be a real person's number:
- phone numbers start with 100 ("100" + 8 digits), a prefix no Chinese mobile number has;
- ID numbers use only prefecture-level area codes (xx00: 140100 太原 … 141100 吕梁, or the predecessor
  prefecture's 142x00 for people born before their city existed, as stdnum's area table requires). Those
  codes are never printed on a person's card, yet `stdnum.cn.ric.validate` accepts them, check digit and all.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from stdnum.cn import ric

from jixing.demo import names
from jixing.demo.orgs import DEFAULT_LEARNERS, OrgTree
from jixing.demo.places import CITIES, City
from jixing.demo.plan import LearnerPlan

_CITY_BY_KEY = {city.key: city for city in CITIES}
# People of provincial bodies come from everywhere, most from the capital.
_CITY_WEIGHTS = [4 if city.key == "TY" else 1 for city in CITIES]

# National ranks: a strictly decreasing function of points, so that more points always mean a better rank.
# The published lists go down to RANK_LIST_LENGTH; beyond it the rank is empty.
RANK_LIST_LENGTH = 1_000_000


def national_rank(points: int, *, at_500k: int, spread: int) -> int | None:
    rank = round(500_000 * math.exp((at_500k - points) / spread))
    return max(1, rank) if rank <= RANK_LIST_LENGTH else None


def allocate(own: dict[str, int], total: int) -> dict[str, int]:
    """Learners per org node for a snapshot of `total` rows: exactly `own` at DEFAULT_LEARNERS, otherwise
    proportional to it (largest remainder, ties by code, so the result is stable)."""
    if total == DEFAULT_LEARNERS:
        return dict(own)
    exact = {code: count * total / DEFAULT_LEARNERS for code, count in own.items()}
    counts = {code: int(value) for code, value in exact.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda code: (counts[code] - exact[code], code))
    for code in by_remainder[:left]:
        counts[code] += 1
    return counts


def _annual_points(rng: random.Random) -> int:
    """Annual points: daily caps keep a year's points under ~16,000; most learners make 2,000–12,000."""
    roll = rng.random()
    if roll < 0.12:
        return rng.randint(40, 1999)
    if roll < 0.92:
        while True:  # redraw rather than clip, so that 2,000 and 12,000 are not crowded
            points = round(rng.gauss(6800, 2600))
            if 2000 <= points <= 12000:
                return points
    if roll < 0.995:
        return rng.randint(12000, 15800)
    return rng.randint(15800, 16600)


def _perfect_clearances(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.55:
        return 0
    if roll < 0.85:
        return rng.randint(1, 5)
    if roll < 0.95:
        return rng.randint(6, 15)  # 3.4 asks for more than 10
    return rng.randint(16, 40)


def _area_code(city: City, year: int) -> str:
    return city.area_code if year >= city.since else city.predecessor


def _id_number(rng: random.Random, city: City, *, male: bool, used: set[str]) -> str:
    while True:
        year = round(rng.triangular(1960, 2004, 1983))
        born = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        sequence = rng.randint(0, 498) * 2 + (1 if male else 2)  # odd for men, even for women
        first17 = f"{_area_code(city, born.year)}{born:%Y%m%d}{sequence:03d}"
        number = first17 + ric.calc_check_digit(first17 + "0")  # takes all 18 characters
        if number not in used:
            used.add(number)
            return number


def build_learners(seed: int, tree: OrgTree, total: int) -> list[LearnerPlan]:
    """`total` learners; among them a few persons with two accounts (G.2) and a few 省平台工作人员 (G.4)."""
    rng = random.Random(f"{seed}:learners:{total}")
    twins = min(total // 2, max(3, total // 1500))
    counts = allocate(tree.own, total - twins)
    accounts = iter(rng.sample(range(100_000_000, 1_000_000_000), total))
    phones = iter(rng.sample(range(100_000_000), total))
    used_ids: set[str] = set()
    learners: list[LearnerPlan] = []
    for org in tree.orgs:
        city = _CITY_BY_KEY.get(org.city_key)
        for _ in range(counts.get(org.code, 0)):
            male = rng.random() < 0.5
            home = city or rng.choices(CITIES, weights=_CITY_WEIGHTS)[0]
            if city is not None and rng.random() < 0.15:
                home = rng.choice(CITIES)  # born elsewhere in the province
            annual = _annual_points(rng)
            earlier = round(annual * rng.uniform(0.3, 2.6)) + rng.randint(0, 3000)
            total_points = min(annual + earlier, 46000 + rng.randint(0, 6000))
            learners.append(
                LearnerPlan(
                    account_id=f"6{next(accounts):09d}",
                    name=names.person_name(rng, male=male),
                    phone=f"100{next(phones):08d}",
                    # Some exports lack the ID number: G.2 then falls back to 姓名+手机号.
                    id_number="" if rng.random() < 0.03 else _id_number(rng, home, male=male, used=used_ids),
                    org_code=org.code,
                    total_points=total_points,
                    annual_points=annual,
                    national_total_rank=national_rank(total_points, at_500k=30000, spread=6000),
                    national_annual_rank=national_rank(annual, at_500k=9500, spread=1400),
                    perfect_clearances=_perfect_clearances(rng),
                    is_real_name=rng.random() < 0.97,
                    is_shanxi_phone=rng.random() < 0.95,
                    is_platform_staff=False,
                )
            )
    _add_second_accounts(rng, learners, twins, accounts, phones)
    for learner in rng.sample(learners, min(len(learners), max(3, total // 6000))):
        learner.is_platform_staff = True
    return learners


def _add_second_accounts(rng, learners: list[LearnerPlan], count: int, accounts, phones) -> None:
    """Persons with a second account (学号): same ID number, or same 姓名+手机号 when the ID is empty."""
    originals = rng.sample(learners, count)
    for index, first in enumerate(originals):
        same_phone = index < 2  # the first two pairs have no ID number: recognised by name and phone
        if same_phone:
            first.id_number = ""
        annual = _annual_points(rng)
        total_points = annual + round(annual * rng.uniform(0.2, 1.5))
        learners.append(
            LearnerPlan(
                account_id=f"6{next(accounts):09d}",
                name=first.name,
                phone=first.phone if same_phone else f"100{next(phones):08d}",
                id_number=first.id_number,
                org_code=first.org_code if rng.random() < 0.6 else rng.choice(learners).org_code,
                total_points=total_points,
                annual_points=annual,
                national_total_rank=national_rank(total_points, at_500k=30000, spread=6000),
                national_annual_rank=national_rank(annual, at_500k=9500, spread=1400),
                perfect_clearances=_perfect_clearances(rng),
                is_real_name=True,
                is_shanxi_phone=True,
                is_platform_staff=False,
            )
        )
