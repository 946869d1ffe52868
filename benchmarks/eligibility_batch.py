"""Time the eligibility engine on a synthetic batch: 10,000 nominations, a 100,000-learner snapshot.

    .venv/bin/python benchmarks/eligibility_batch.py [nominations] [learners]

Prints the time of each step; never part of `make test`.
"""

from __future__ import annotations

import random
import sys
import time
import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from jixing.eligibility import Facts, Learner, OrgFigures, Role, compile_definition, evaluate, ranks_in_units

RULES = Path(__file__).resolve().parents[1] / "jixing/campaigns/definitions/shanxi-2022/rules.toml"
ROLE_OF = {"优秀供稿员": "供稿员", "优秀审核员": "审核员", "优秀管理员": "管理员", "优秀志愿者": "志愿者"}
EVIDENCE = ["承诺书", "场景照片", "积分截图", "新闻报道", "获奖证书", "通关证书", "现场视频", "活动记录"]


def main(nominations: int = 10_000, learners: int = 100_000) -> None:
    rng = random.Random(2022)
    clock = time.perf_counter()

    def lap(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        print(f"{label:<44}{now - clock:8.3f} s")
        clock = now

    with RULES.open("rb") as fh:
        data = tomllib.load(fh)
    names = list(data["categories"])
    compiled = compile_definition(data, categories=names)
    lap("compile rules.toml")

    units = [
        OrgFigures(
            code=f"U{i}",
            is_station=i % 50 == 0,
            is_legal_entity=rng.random() < 0.9,
            sector=rng.choice(["党政机关", "事业单位", "企业", "高校", "中小学", "其他"]),
            members=rng.randint(10, 400),
            staff=rng.randint(10, 400),
            party_members=20,
            tagged_party_members=rng.choice([19, 20]),
            daily_active_rate=Decimal(rng.randint(0, 100)) / 100,
            articles_submitted=rng.randint(0, 300),
            published_provincial=rng.randint(0, 30),
            published_national=rng.randint(0, 5),
            articles_reviewed=rng.randint(0, 400),
            bulletin_errors_provincial=rng.randint(0, 30),
            bulletin_errors_national=rng.randint(0, 8),
        )
        for i in range(learners // 50)
    ]
    snapshot = [
        Learner(
            account=f"A{i}",
            org=f"U{i % len(units)}",
            total_points=rng.randint(0, 60000),
            annual_points=rng.randint(0, 15000),
            national_total_rank=rng.choice([None, rng.randint(1, 900000)]),
            national_annual_rank=rng.choice([None, rng.randint(1, 900000)]),
            perfect_clearances=rng.randint(0, 30),
            is_real_name=rng.random() < 0.98,
            is_shanxi_phone=rng.random() < 0.97,
            is_platform_staff=rng.random() < 0.01,
        )
        for i in range(learners)
    ]
    lap(f"make {len(units)} units, {learners} learners")

    ranks = {
        key: ranks_in_units(snapshot, unit_of=lambda learner: learner.org, key=key)
        for key in {c.rank_in_unit for c in compiled.categories.values() if c.rank_in_unit}
    }
    lap("rank in unit, every learner, both keys")

    unit_by_code = {u.code: u for u in units}
    start = datetime(2022, 12, 25, tzinfo=UTC)
    batch = []
    for n in range(nominations):
        category = names[n % len(names)]
        learner = rng.choice(snapshot)
        unit = unit_by_code[learner.org]
        kind = ROLE_OF.get(category)
        rank_key = compiled.categories[category].rank_in_unit
        batch.append(
            Facts(
                id=f"N{n:05d}",
                category=category,
                recommending_unit=f"U{rng.randrange(len(units))}",
                reporting_unit=f"R{n % 12}",
                submitted_at=start + timedelta(minutes=n),
                nominee_account=learner.account,
                person_key=f"P{int(learner.account[1:]) % (learners - 500)}",
                learner=None if n % 97 == 0 else learner,
                unit=unit,
                rank_in_unit=ranks[rank_key][learner.account] if rank_key else None,
                roles=(Role(kind=kind, node=rng.choice(units), is_full_time=True, assessments=1),)
                if kind
                else (),
                unit_roles=tuple(
                    Role(kind=k, node=unit, annual_points=rng.randint(0, 9000))
                    for k in ("供稿员", "管理员", "班子成员", "班子成员")
                ),
                attachments=frozenset(rng.sample(EVIDENCE, rng.randint(2, len(EVIDENCE)))),
                activity_count=rng.randint(0, 5),
                typed_total_points=learner.total_points,
                typed_annual_points=learner.annual_points if rng.random() < 0.95 else 0,
                judges_score=Decimal(rng.randint(60, 100)) if rng.random() < 0.5 else None,
                decisions={"G.1": True} if rng.random() < 0.5 else {},
            )
        )
    lap(f"build {nominations} Facts")

    results = evaluate(compiled, batch)
    lap(f"evaluate {nominations} nominations")

    [result.to_json(with_values=True) for result in results]
    lap("results to JSON-ready dicts, with values")

    statuses: dict[str, int] = {}
    for result in results:
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
    print("statuses:", dict(sorted(statuses.items())))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
