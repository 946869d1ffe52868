"""Facts that pass every rule of their category unless an argument says otherwise; the shipped rules."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jixing.eligibility import CompiledRules, Facts, Learner, OrgFigures, Role, compile_definition, evaluate

DEFINITION = Path(__file__).resolve().parents[2] / "jixing/campaigns/definitions/shanxi-2022"
CATEGORIES = ["学员标兵", "优秀学员", "挑战达人", "优秀供稿员", "优秀审核员", "优秀管理员", "优秀志愿者"]
CATEGORIES += ["模范供稿单位", "模范学习组织"]
T0 = datetime(2023, 1, 5, 9, 0, tzinfo=UTC)


def rules_file() -> dict[str, Any]:
    with (DEFINITION / "rules.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def shipped_rules() -> CompiledRules:
    return compile_definition(rules_file(), categories=CATEGORIES)


def learner(**fields: Any) -> Learner:
    values: dict[str, Any] = {
        "account": "A1",
        "org": "U1",
        "total_points": 30000,
        "annual_points": 9000,
        "national_total_rank": 1000,
        "national_annual_rank": 1000,
        "perfect_clearances": 20,
        "is_real_name": True,
        "is_shanxi_phone": True,
        "is_platform_staff": False,
    }
    return Learner(**(values | fields))


def org(**fields: Any) -> OrgFigures:
    values: dict[str, Any] = {
        "code": "U1",
        "name": "太原市第五中学",
        "is_station": False,
        "is_legal_entity": True,
        "sector": "中小学",
        "members": 100,
        "staff": 100,
        "party_members": 20,
        "tagged_party_members": 20,
        "daily_active_rate": Decimal("0.50"),
        "articles_submitted": 300,
        "published_provincial": 20,
        "published_national": 3,
        "articles_reviewed": 500,
        "bulletin_errors_provincial": 0,
        "bulletin_errors_national": 0,
    }
    return OrgFigures(**(values | fields))


def role(kind: str, **fields: Any) -> Role:
    values: dict[str, Any] = {
        "kind": kind,
        "account": "A1",
        "node": org(code="S1", name="太原市通讯站", is_station=True),
        "is_full_time": True,
        "assessments": 1,
        "training_hours": Decimal(5),
        "annual_points": 9000,
    }
    return Role(**(values | fields))


# The rules that read the nominee's snapshot row, what is derived from it (unit, rank in unit), the roles,
# or the person's identity (G.2, G.3), by category; every other rule does not depend on the snapshot.
SNAPSHOT_RULES = {
    category: {"G.2", "G.3", "G.4", "G.5", "G.9"} | rules
    for category, rules in {
        "学员标兵": {"1.1", "1.2", "1.3"},
        "优秀学员": {"2.1", "2.2", "2.3"},
        "挑战达人": {"3.2", "3.3", "3.4"},
        "优秀供稿员": {"4.1", "4.2", "4.3"},
        "优秀审核员": {"5.1", "5.2", "5.3", "5.4"},
        "优秀管理员": {"6.1", "6.2", "6.3"},
        "优秀志愿者": {"7.1", "7.2"},
    }.items()
}

ROLE_OF = {"优秀供稿员": "供稿员", "优秀审核员": "审核员", "优秀管理员": "管理员", "优秀志愿者": "志愿者"}
ALL_EVIDENCE = frozenset(
    {"承诺书", "场景照片", "积分截图", "新闻报道", "获奖证书", "通关证书", "现场视频", "活动记录"}
)


def person(category: str = "学员标兵", **fields: Any) -> Facts:
    """A person nomination that passes every rule (manual ones stay manual)."""
    snapshot = fields.pop("learner", learner())
    values: dict[str, Any] = {
        "id": "N1",
        "category": category,
        "recommending_unit": "U1",
        "reporting_unit": "TY",
        "submitted_at": T0,
        "nominee_account": snapshot.account if snapshot else "A1",
        "person_key": "P1",
        "learner": snapshot,
        "unit": org(),
        "rank_in_unit": 1,
        "roles": (role(ROLE_OF[category]),) if category in ROLE_OF else (),
        "attachments": ALL_EVIDENCE,
        "activity_count": 3,
        "typed_total_points": snapshot.total_points if snapshot else None,
        "typed_annual_points": snapshot.annual_points if snapshot else None,
        "judges_score": Decimal("92.5") if category == "优秀志愿者" else None,
    }
    return Facts(**(values | fields))


def unit_nomination(category: str = "模范学习组织", **fields: Any) -> Facts:
    """A unit nomination that passes every rule (manual ones stay manual)."""
    values: dict[str, Any] = {
        "id": "N1",
        "category": category,
        "recommending_unit": "U1",
        "reporting_unit": "TY",
        "submitted_at": T0,
        "unit": org(sector="党政机关", articles_submitted=150),
        "unit_roles": (
            role("供稿员", node=org()),
            role("管理员", node=org()),
            role("班子成员", account="L1", node=org(), annual_points=3001),
            role("班子成员", account="L2", node=org(), annual_points=5000),
        ),
        "attachments": ALL_EVIDENCE,
        "activity_count": 2,
    }
    return Facts(**(values | fields))


def later(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def outcome(facts: Facts, rule_id: str, rules: CompiledRules | None = None) -> str:
    (result,) = evaluate(rules or shipped_rules(), [facts])
    return result.rules[rule_id].outcome.value
