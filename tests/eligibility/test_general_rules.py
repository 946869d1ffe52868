"""General rules decided per nomination (G.1, G.4, G.5, G.7–G.10) and the no-snapshot-row case."""

import pytest

from jixing.eligibility import evaluate
from tests.eligibility.build import CATEGORIES, learner, outcome, person, shipped_rules, unit_nomination

PERSON_CATEGORIES = CATEGORIES[:7]


@pytest.mark.parametrize(
    ("attachments", "decisions", "expected"),
    [
        (set(), {}, "missing"),
        (set(), {"G.1": True}, "missing"),  # a confirmation does not replace the signed declaration
        ({"承诺书"}, {}, "manual"),
        ({"承诺书"}, {"G.1": True}, "pass"),
        ({"承诺书"}, {"G.1": False}, "fail"),
    ],
)
def test_rule_g_1_declaration_then_reviewer(attachments, decisions, expected):
    assert outcome(person(attachments=frozenset(attachments), decisions=decisions), "G.1") == expected


def test_rule_g_1_decision_is_marked_reviewed():
    (result,) = evaluate(shipped_rules(), [person(decisions={"G.1": True})])
    assert result.rules["G.1"].reviewed is True
    assert result.rules["G.4"].reviewed is False


@pytest.mark.parametrize(("staff", "expected"), [(False, "pass"), (True, "fail"), (None, "missing")])
def test_rule_g_4_platform_staff_excluded(staff, expected):
    assert outcome(person(learner=learner(is_platform_staff=staff)), "G.4") == expected


@pytest.mark.parametrize(
    ("shanxi", "real_name", "expected"),
    [
        (True, True, "pass"),
        (False, True, "fail"),
        (True, False, "fail"),
        (None, False, "fail"),
        (None, True, "missing"),
    ],
)
def test_rule_g_5_shanxi_number_and_real_name(shanxi, real_name, expected):
    assert outcome(person(learner=learner(is_shanxi_phone=shanxi, is_real_name=real_name)), "G.5") == expected


@pytest.mark.parametrize(
    ("typed_total", "typed_annual", "expected"),
    [
        (30000, 9000, "pass"),
        (30001, 9000, "warn"),
        (30000, 8999, "warn"),
        (None, 9000, "missing"),
        (1, None, "warn"),
    ],
)
def test_rule_g_9_typed_points_equal_snapshot(typed_total, typed_annual, expected):
    facts = person(typed_total_points=typed_total, typed_annual_points=typed_annual)
    assert outcome(facts, "G.9") == expected


def test_rule_g_9_shows_both_values_when_they_differ():
    (result,) = evaluate(shipped_rules(), [person(typed_total_points=30100)])
    assert result.rules["G.9"].values == {"typed_total_points": 30100, "learner.total_points": 30000}


@pytest.mark.parametrize(("attachments", "expected"), [({"场景照片"}, "pass"), ({"积分截图"}, "missing")])
def test_rule_g_10_scene_photo(attachments, expected):
    assert outcome(person(attachments=frozenset(attachments)), "G.10") == expected


@pytest.mark.parametrize("category", PERSON_CATEGORIES)
def test_no_snapshot_row_makes_every_snapshot_rule_missing(category):
    facts = person(category, learner=None, unit=None, rank_in_unit=None, person_key=None)
    (result,) = evaluate(shipped_rules(), [facts])
    snapshot_rules = {"G.4", "G.5", "G.9"} | {
        "学员标兵": {"1.1", "1.2", "1.3"},
        "优秀学员": {"2.1", "2.2", "2.3"},
        "挑战达人": {"3.2", "3.3", "3.4"},
        "优秀供稿员": {"4.2"},
        "优秀审核员": {"5.2"},
        "优秀管理员": {"6.2"},
        "优秀志愿者": {"7.2"},
    }[category]
    assert {rule_id for rule_id in snapshot_rules if result.rules[rule_id].outcome != "missing"} == set()
    assert result.rules["G.2"].outcome == "missing"
    assert result.status == "incomplete"


def test_no_snapshot_row_records_why():
    (result,) = evaluate(shipped_rules(), [person(learner=None)])
    assert result.rules["G.4"].values == {"learner": None}


@pytest.mark.parametrize("category", PERSON_CATEGORIES)
def test_person_categories_list_general_rules_but_not_g_7_g_8_in_a_batch(category):
    (result,) = evaluate(shipped_rules(), [person(category)])
    general = [rule_id for rule_id in result.rules if rule_id.startswith("G.")]
    assert general == ["G.1", "G.2", "G.3", "G.4", "G.5", "G.6", "G.9", "G.10"]


@pytest.mark.parametrize("category", ["模范供稿单位", "模范学习组织"])
def test_unit_categories_list_only_g_6_and_g_10_in_a_batch(category):
    (result,) = evaluate(shipped_rules(), [unit_nomination(category)])
    assert [rule_id for rule_id in result.rules if rule_id.startswith("G.")] == ["G.6", "G.10"]


def test_external_outcomes_of_g_7_and_g_8_are_taken_from_the_application():
    facts = person(external_outcomes={"G.7": "fail", "G.8": "pass"})
    (result,) = evaluate(shipped_rules(), [facts])
    assert (result.rules["G.7"].outcome, result.rules["G.8"].outcome, result.status) == (
        "fail",
        "pass",
        "ineligible",
    )


def test_external_outcome_that_is_no_outcome_is_refused():
    with pytest.raises(ValueError, match="规则“G.7”：外部给出的结果“ok”无效"):
        evaluate(shipped_rules(), [person(external_outcomes={"G.7": "ok"})])


def test_unknown_category_is_refused_with_its_name():
    with pytest.raises(ValueError, match="未知评选项目“学员标杆”"):
        evaluate(shipped_rules(), [person("学员标杆")])
