"""Overall status, rank within (reporting unit, category), rank in unit, and the JSON shape."""

from decimal import Decimal

import pytest

from jixing.eligibility import (
    Learner,
    Outcome,
    competition_ranks,
    evaluate,
    rank_in_unit,
    ranks_in_units,
    status_of,
)
from tests.eligibility.build import learner, org, person, role, shipped_rules, unit_nomination

P, F, W, M, X = Outcome.PASS, Outcome.FAIL, Outcome.WARN, Outcome.MANUAL, Outcome.MISSING


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([P, P], "eligible"),
        ([P, W], "needs_review"),
        ([P, M], "needs_review"),
        ([M, X], "incomplete"),
        ([W, X, F], "ineligible"),
        ([F, P], "ineligible"),
        ([], "eligible"),
    ],
)
def test_status_of_follows_the_spec_precedence(outcomes, expected):
    assert status_of(outcomes) == expected


def confirmed(category="学员标兵", **fields):
    """A person nomination with every manual rule confirmed: eligible."""
    return person(category, decisions={"G.1": True, "3.1": True, "4.1": True, "6.4": True}, **fields)


@pytest.mark.parametrize(
    "category", ["学员标兵", "优秀学员", "挑战达人", "优秀供稿员", "优秀审核员", "优秀管理员", "优秀志愿者"]
)
def test_status_eligible_when_every_rule_passes(category):
    (result,) = evaluate(shipped_rules(), [confirmed(category)])
    assert (result.status, result.rank) == ("eligible", 1)


def test_status_of_unit_nomination_needs_review_until_confirmed():
    (pending,) = evaluate(shipped_rules(), [unit_nomination("模范供稿单位")])
    decisions = {"8.2": True, "8.4": True}
    (confirmed_unit,) = evaluate(shipped_rules(), [unit_nomination("模范供稿单位", decisions=decisions)])
    assert (pending.status, confirmed_unit.status) == ("needs_review", "eligible")


def test_rank_orders_by_total_then_annual_then_news_with_ties_sharing():
    batch = [
        confirmed(
            id="A",
            person_key="PA",
            recommending_unit="UA",
            learner=learner(total_points=100, annual_points=50),
        ),
        confirmed(
            id="B",
            person_key="PB",
            recommending_unit="UB",
            learner=learner(total_points=100, annual_points=60),
        ),
        confirmed(
            id="C",
            person_key="PC",
            recommending_unit="UC",
            learner=learner(total_points=100, annual_points=50),
        ),
        confirmed(
            id="D",
            person_key="PD",
            recommending_unit="UD",
            learner=learner(total_points=90, annual_points=90),
        ),
        confirmed(
            id="E",
            person_key="PE",
            recommending_unit="UE",
            learner=learner(total_points=90, annual_points=90),
            attachments=frozenset({"承诺书", "场景照片"}),
        ),
    ]
    ranks = {r.id: r.rank for r in evaluate(shipped_rules(), batch)}
    assert ranks == {"A": 2, "B": 1, "C": 2, "D": 4, "E": 5}


def test_rank_of_优秀学员_orders_by_annual_first():
    batch = [
        confirmed(
            "优秀学员",
            id="A",
            person_key="PA",
            recommending_unit="UA",
            learner=learner(total_points=900, annual_points=50),
        ),
        confirmed(
            "优秀学员",
            id="B",
            person_key="PB",
            recommending_unit="UB",
            learner=learner(total_points=100, annual_points=60),
        ),
    ]
    assert {r.id: r.rank for r in evaluate(shipped_rules(), batch)} == {"A": 2, "B": 1}


def test_rank_is_per_reporting_unit_and_null_for_ineligible_or_incomplete():
    batch = [
        confirmed(id="A", person_key="PA", recommending_unit="UA", reporting_unit="TY"),
        confirmed(id="B", person_key="PB", recommending_unit="UB", reporting_unit="DT"),
        confirmed(id="C", person_key="PC", recommending_unit="UC", learner=learner(is_platform_staff=True)),
        confirmed(id="D", person_key="PD", recommending_unit="UD", attachments=frozenset()),
        person(id="E", person_key="PE", recommending_unit="UE", learner=learner(total_points=1)),
    ]
    results = {r.id: (r.status.value, r.rank) for r in evaluate(shipped_rules(), batch)}
    assert results == {
        "A": ("eligible", 1),
        "B": ("eligible", 1),
        "C": ("ineligible", None),
        "D": ("incomplete", None),
        "E": ("needs_review", 2),
    }


def test_rank_of_volunteers_puts_unscored_last():
    batch = [
        person("优秀志愿者", id="A", person_key="PA", recommending_unit="UA", judges_score=None),
        person("优秀志愿者", id="B", person_key="PB", recommending_unit="UB", judges_score=Decimal("70")),
        person("优秀志愿者", id="C", person_key="PC", recommending_unit="UC", judges_score=Decimal("70.5")),
    ]
    assert {r.id: r.rank for r in evaluate(shipped_rules(), batch)} == {"A": 3, "B": 2, "C": 1}


def test_rank_of_administrators_by_daily_active_rate_of_their_node():
    def admin(nid, rate):
        node = org(daily_active_rate=rate)
        return person(
            "优秀管理员", id=nid, person_key=nid, recommending_unit=nid, roles=(role("管理员", node=node),)
        )

    batch = [admin("A", Decimal("0.31")), admin("B", Decimal("0.9")), admin("C", Decimal("0.310"))]
    assert {r.id: r.rank for r in evaluate(shipped_rules(), batch)} == {"A": 2, "B": 1, "C": 2}


def test_rank_of_learning_organisations_by_registered_ratio_then_lowest_leader():
    def unit(nid, members, staff, lowest):
        roles = (
            role("供稿员"),
            role("管理员"),
            role("班子成员", annual_points=lowest),
            role("班子成员", annual_points=9999),
        )
        return unit_nomination(
            id=nid,
            recommending_unit=nid,
            unit=org(sector="党政机关", members=members, staff=staff),
            unit_roles=roles,
        )

    batch = [unit("A", 90, 100, 5000), unit("B", 180, 200, 6000), unit("C", 99, 100, 3001)]
    assert {r.id: r.rank for r in evaluate(shipped_rules(), batch)} == {"A": 3, "B": 2, "C": 1}


def test_competition_ranks_share_the_best_position():
    assert competition_ranks([(-5,), (-7,), (-5,), (-1,)]) == [2, 1, 2, 4]


def test_rank_in_unit_uses_the_category_key_with_ties():
    learners = [
        Learner(account="a", total_points=100, annual_points=10),
        Learner(account="b", total_points=100, annual_points=20),
        Learner(account="c", total_points=100, annual_points=20),
        Learner(account="d", total_points=90, annual_points=90),
    ]
    assert rank_in_unit(learners, ("total_points", "annual_points")) == {"a": 3, "b": 1, "c": 1, "d": 4}
    assert rank_in_unit(learners, ("annual_points", "total_points")) == {"a": 4, "b": 2, "c": 2, "d": 1}


def test_ranks_in_units_ranks_each_unit_separately():
    learners = [
        Learner(account="a", org="U1", total_points=5, annual_points=1),
        Learner(account="b", org="U2", total_points=1, annual_points=1),
        Learner(account="c", org="U1", total_points=9, annual_points=1),
    ]
    ranks = ranks_in_units(
        learners, unit_of=lambda learner: learner.org, key=("total_points", "annual_points")
    )
    assert ranks == {"a": 2, "b": 1, "c": 1}


def test_category_exposes_its_rank_in_unit_fields():
    categories = shipped_rules().categories
    assert categories["学员标兵"].rank_in_unit == ("total_points", "annual_points")
    assert categories["优秀学员"].rank_in_unit == ("annual_points", "total_points")


def test_to_json_has_the_batch_shape():
    (result,) = evaluate(shipped_rules(), [person(id="N001", typed_annual_points=8999)])
    data = result.to_json(with_values=True)
    assert data["rules"] == {
        "G.1": "manual",
        "G.2": "pass",
        "G.3": "pass",
        "G.4": "pass",
        "G.5": "pass",
        "G.6": "pass",
        "G.9": "warn",
        "G.10": "pass",
        "1.1": "pass",
        "1.2": "pass",
        "1.3": "pass",
        "1.4": "pass",
        "1.5": "pass",
    }
    assert (data["id"], data["category"], data["status"], data["rank"]) == (
        "N001",
        "学员标兵",
        "needs_review",
        1,
    )
    assert data["values"]["1.3"] == {"learner.national_total_rank": 1000, "params.national_rank_max": 500000}
    assert data["reasons"] == {}


def test_to_json_gives_the_reason_with_the_values_only():
    facts = person(
        id="N404", learner=None, nominee_account="A404", person_key=None, unit=None, rank_in_unit=None
    )
    (result,) = evaluate(shipped_rules(), [facts])
    assert result.to_json(with_values=True)["reasons"]["1.3"] == "学号不在基准积分快照中"
    assert sorted(result.to_json()) == ["category", "id", "rank", "rules", "status"]
