"""Category rules of the person categories (1–7) at their boundaries, with the shipped rules.toml."""

from decimal import Decimal

import pytest

from jixing.eligibility import evaluate
from tests.eligibility.build import learner, org, outcome, person, role, shipped_rules


@pytest.mark.parametrize(("rank", "expected"), [(1, "pass"), (2, "warn"), (None, "missing")])
def test_rule_1_1_first_in_unit_or_warn(rank, expected):
    assert outcome(person("学员标兵", rank_in_unit=rank), "1.1") == expected
    assert outcome(person("优秀学员", rank_in_unit=rank), "2.1") == expected


@pytest.mark.parametrize(
    ("members", "legal", "expected"),
    [
        (29, True, "fail"),
        (30, True, "pass"),
        (31, True, "pass"),
        (100, False, "fail"),
        (None, True, "missing"),
    ],
)
def test_rules_1_2_2_2_3_2_legal_entity_with_at_least_30(members, legal, expected):
    unit = org(members=members, is_legal_entity=legal)
    assert outcome(person("学员标兵", unit=unit), "1.2") == expected
    assert outcome(person("优秀学员", unit=unit), "2.2") == expected
    assert outcome(person("挑战达人", unit=unit), "3.2") == expected


def test_rule_1_2_legal_entity_false_decides_even_without_member_count():
    assert outcome(person(unit=org(members=None, is_legal_entity=False)), "1.2") == "fail"


@pytest.mark.parametrize(
    ("rank", "expected"), [(500000, "pass"), (500001, "fail"), (None, "fail"), (1, "pass")]
)
def test_rules_1_3_and_2_3_national_rank_within_500000_empty_is_beyond(rank, expected):
    assert outcome(person("学员标兵", learner=learner(national_total_rank=rank)), "1.3") == expected
    assert outcome(person("优秀学员", learner=learner(national_annual_rank=rank)), "2.3") == expected


def test_rule_1_3_reads_the_total_rank_and_2_3_the_annual_rank():
    snapshot = learner(national_total_rank=600000, national_annual_rank=10)
    assert outcome(person("学员标兵", learner=snapshot), "1.3") == "fail"
    assert outcome(person("优秀学员", learner=snapshot), "2.3") == "pass"


@pytest.mark.parametrize("rule_id", ["1.4", "1.5"])
def test_ordering_rules_of_1_are_listed_as_pass(rule_id):
    assert outcome(person("学员标兵", attachments=frozenset()), rule_id) == "pass"


@pytest.mark.parametrize("rule_id", ["2.4", "2.5"])
def test_ordering_rules_of_2_are_listed_as_pass(rule_id):
    assert outcome(person("优秀学员"), rule_id) == "pass"


@pytest.mark.parametrize(
    ("attachments", "decisions", "expected"),
    [
        (set(), {}, "missing"),
        ({"获奖证书"}, {}, "manual"),
        ({"通关证书"}, {}, "manual"),
        ({"通关证书"}, {"3.1": True}, "pass"),
        ({"通关证书"}, {"3.1": False}, "fail"),
    ],
)
def test_rule_3_1_certificate_then_reviewer(attachments, decisions, expected):
    facts = person("挑战达人", attachments=frozenset(attachments), decisions=decisions)
    assert outcome(facts, "3.1") == expected


@pytest.mark.parametrize(("category", "rule_id"), [("挑战达人", "3.3"), ("优秀供稿员", "4.2")])
@pytest.mark.parametrize(("annual", "expected"), [(7199, "fail"), (7200, "pass"), (7201, "pass")])
def test_annual_points_at_least_7200(category, rule_id, annual, expected):
    assert outcome(person(category, learner=learner(annual_points=annual)), rule_id) == expected


@pytest.mark.parametrize(("category", "rule_id"), [("优秀审核员", "5.2"), ("优秀管理员", "6.2")])
@pytest.mark.parametrize(("annual", "expected"), [(7199, "fail"), (7200, "pass")])
def test_annual_points_at_least_7200_for_reviewers_and_administrators(category, rule_id, annual, expected):
    assert outcome(person(category, learner=learner(annual_points=annual)), rule_id) == expected


@pytest.mark.parametrize(
    ("clearances", "attachments", "expected"),
    [
        (10, {"获奖证书"}, "fail"),
        (11, {"获奖证书"}, "pass"),
        (11, {"现场视频"}, "pass"),
        (11, {"通关证书"}, "missing"),
        (10, set(), "fail"),
        (None, {"现场视频"}, "missing"),
    ],
)
def test_rule_3_4_more_than_10_clearances_and_evidence(clearances, attachments, expected):
    facts = person(
        "挑战达人", learner=learner(perfect_clearances=clearances), attachments=frozenset(attachments)
    )
    assert outcome(facts, "3.4") == expected


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [(["供稿员"], "manual"), (["管理员"], "fail"), ([], "fail"), (["管理员", "供稿员"], "manual")],
)
def test_rule_4_1_holds_contributor_role(kinds, expected):
    # A contributor is in scope only as 本级机关供稿员 or writing directly to the city's 通讯站: a reviewer's call.
    assert outcome(person("优秀供稿员", roles=tuple(role(k) for k in kinds)), "4.1") == expected


@pytest.mark.parametrize(
    ("submitted", "provincial", "national", "expected"),
    [
        (30, 15, 0, "pass"),
        (29, 15, 2, "fail"),
        (30, 14, 2, "pass"),
        (30, 14, 1, "fail"),
        (30, 14, None, "missing"),
        (30, 15, None, "pass"),
        (None, 15, 2, "missing"),
    ],
)
def test_rule_4_3_node_submitted_30_and_published_15_or_2(submitted, provincial, national, expected):
    node = org(articles_submitted=submitted, published_provincial=provincial, published_national=national)
    assert outcome(person("优秀供稿员", roles=(role("供稿员", node=node),)), "4.3") == expected


def test_rule_4_3_reads_the_node_of_the_contributor_role_only():
    good = org(articles_submitted=100, published_provincial=50)
    poor = org(articles_submitted=1, published_provincial=0, published_national=0)
    assert (
        outcome(person("优秀供稿员", roles=(role("管理员", node=good), role("供稿员", node=poor))), "4.3")
        == "fail"
    )


def test_rule_4_3_records_the_values_read_per_role():
    node = org(articles_submitted=29, published_provincial=15, published_national=2)
    (result,) = evaluate(shipped_rules(), [person("优秀供稿员", roles=(role("供稿员", node=node),))])
    values = result.rules["4.3"].values
    assert values["roles[0].node.articles_submitted"] == 29
    assert values["params.contributor_submitted_min"] == 30


@pytest.mark.parametrize(
    ("full_time", "is_station", "kind", "expected"),
    [(True, True, "审核员", "pass"), (False, True, "审核员", "fail"), (True, False, "审核员", "fail")]
    + [(True, True, "供稿员", "fail")],
)
def test_rule_5_1_full_time_reviewer_at_a_station(full_time, is_station, kind, expected):
    node = org(is_station=is_station)
    facts = person("优秀审核员", roles=(role(kind, is_full_time=full_time, node=node),))
    assert outcome(facts, "5.1") == expected


@pytest.mark.parametrize(
    ("reviewed", "provincial", "national", "expected"),
    [
        (199, 0, 0, "fail"),
        (200, 5, 9, "pass"),
        (200, 6, 2, "pass"),
        (200, 6, 3, "fail"),
        (200, 6, None, "missing"),
        (None, 0, 0, "missing"),
    ],
)
def test_rule_5_3_reviewed_200_and_errors_5_or_2(reviewed, provincial, national, expected):
    node = org(
        is_station=True,
        articles_reviewed=reviewed,
        bulletin_errors_provincial=provincial,
        bulletin_errors_national=national,
    )
    assert outcome(person("优秀审核员", roles=(role("审核员", node=node),)), "5.3") == expected


@pytest.mark.parametrize(
    ("assessments", "hours", "expected"),
    [
        (1, Decimal(5), "pass"),
        (0, Decimal(10), "fail"),
        (1, Decimal("4.5"), "fail"),
        (2, Decimal("5.0"), "pass"),
    ],
)
def test_rule_5_4_one_assessment_and_5_training_hours(assessments, hours, expected):
    facts = person("优秀审核员", roles=(role("审核员", assessments=assessments, training_hours=hours),))
    assert outcome(facts, "5.4") == expected


@pytest.mark.parametrize(
    ("rule_id", "category"), [("4.4", "优秀供稿员"), ("5.5", "优秀审核员"), ("6.5", "优秀管理员")]
)
def test_quota_references_are_listed_as_pass(rule_id, category):
    assert outcome(person(category), rule_id) == "pass"


@pytest.mark.parametrize(("members", "expected"), [(30, "fail"), (31, "pass"), (None, "missing")])
def test_rule_6_1_administrator_of_more_than_30(members, expected):
    node = org(members=members, staff=members)
    assert outcome(person("优秀管理员", roles=(role("管理员", node=node),)), "6.1") == expected


@pytest.mark.parametrize(
    ("members", "staff", "tagged", "daily", "expected"),
    [
        (80, 100, 20, Decimal("0.31"), "fail"),  # exactly 80 %: not 「超过」
        (81, 100, 20, Decimal("0.31"), "pass"),
        (4, 5, 20, Decimal("0.31"), "fail"),
        (801, 1000, 20, Decimal("0.31"), "pass"),
        (81, 100, 19, Decimal("0.31"), "fail"),
        (81, 100, 20, Decimal("0.30"), "fail"),  # exactly 30 %: not 「超过」
        (81, 100, 20, 0.3, "fail"),  # a float figure is read by its decimal text
        (81, 100, 20, None, "missing"),
    ],
)
def test_rule_6_3_registered_over_80_percent_tagged_all_daily_over_30(
    members, staff, tagged, daily, expected
):
    node = org(
        members=members, staff=staff, party_members=20, tagged_party_members=tagged, daily_active_rate=daily
    )
    assert outcome(person("优秀管理员", roles=(role("管理员", node=node),)), "6.3") == expected


@pytest.mark.parametrize(
    ("attachments", "decisions", "expected"),
    [(set(), {}, "missing"), ({"活动记录"}, {}, "manual"), ({"活动记录"}, {"6.4": True}, "pass")],
)
def test_rule_6_4_activity_evidence_then_reviewer(attachments, decisions, expected):
    facts = person("优秀管理员", attachments=frozenset(attachments), decisions=decisions)
    assert outcome(facts, "6.4") == expected


@pytest.mark.parametrize(("kinds", "expected"), [(["志愿者"], "pass"), (["审核员"], "fail")])
def test_rule_7_1_holds_volunteer_role(kinds, expected):
    assert outcome(person("优秀志愿者", roles=tuple(role(k) for k in kinds)), "7.1") == expected


@pytest.mark.parametrize(("annual", "expected"), [(4999, "fail"), (5000, "pass")])
def test_rule_7_2_annual_points_at_least_5000(annual, expected):
    assert outcome(person("优秀志愿者", learner=learner(annual_points=annual)), "7.2") == expected


@pytest.mark.parametrize(
    ("score", "decisions", "expected"),
    [
        (Decimal("60"), {}, "pass"),
        (Decimal("0"), {}, "pass"),
        (None, {}, "manual"),
        (None, {"7.3": False}, "fail"),
    ],
)
def test_rule_7_3_pass_when_scored_else_manual(score, decisions, expected):
    assert outcome(person("优秀志愿者", judges_score=score, decisions=decisions), "7.3") == expected


@pytest.mark.parametrize(("decision", "expected"), [(True, "pass"), (False, "fail")])
def test_rule_4_1_scope_is_settled_by_the_reviewer(decision, expected):
    facts = person("优秀供稿员", roles=(role("供稿员"),), decisions={"4.1": decision})
    assert outcome(facts, "4.1") == expected
