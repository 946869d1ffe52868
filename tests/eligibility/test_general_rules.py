"""General rules decided per nomination (G.1, G.4, G.5, G.7–G.10) and a 学号 the snapshot does not have."""

import pytest

from jixing.eligibility import Facts, evaluate
from jixing.eligibility.outcomes import NOT_IN_SNAPSHOT
from tests.eligibility.build import (
    CATEGORIES,
    SNAPSHOT_RULES,
    later,
    learner,
    outcome,
    person,
    shipped_rules,
    unit_nomination,
)

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


def unknown_account(category: str, **fields) -> Facts:
    """A person nomination whose 学号 the snapshot does not have, as the application builds it: no row,
    hence no unit, rank in unit or person key; roles only if the roles file lists the 学号."""
    values = {
        "learner": None,
        "nominee_account": "A404",
        "person_key": None,
        "unit": None,
        "rank_in_unit": None,
    }
    return person(category, **(values | fields))


@pytest.mark.parametrize("category", PERSON_CATEGORIES)
@pytest.mark.parametrize("roles", ["none", "held"])
def test_unknown_account_makes_every_snapshot_rule_missing_with_the_reason(category, roles):
    facts = unknown_account(category, **({"roles": ()} if roles == "none" else {}))
    (unknown, known) = evaluate(shipped_rules(), [facts, person(category, id="N2", recommending_unit="U2")])
    decided = {rule_id: (r.outcome, r.reason) for rule_id, r in unknown.rules.items()}
    lacking = {rule_id for rule_id, d in decided.items() if d == ("missing", NOT_IN_SNAPSHOT)}
    assert lacking == SNAPSHOT_RULES[category]
    assert unknown.rules["G.4"].values == {"nominee_account": "A404"}
    # The rules that do not depend on the snapshot decide as for a learner the snapshot has.
    others = {
        rule_id: r.outcome for rule_id, r in known.rules.items() if rule_id not in SNAPSHOT_RULES[category]
    }
    assert {rule_id: decided[rule_id][0] for rule_id in others} == others
    assert (unknown.status, unknown.rank) == ("incomplete", None)


@pytest.mark.parametrize(
    ("category", "rule_id"),
    [("优秀供稿员", "4.1"), ("优秀审核员", "5.1"), ("优秀管理员", "6.1"), ("优秀志愿者", "7.1")],
)
def test_role_rule_fails_a_known_learner_without_the_role_but_lacks_data_for_an_unknown_account(
    category, rule_id
):
    (known,) = evaluate(shipped_rules(), [person(category, roles=())])
    assert (known.rules[rule_id].outcome, known.rules[rule_id].reason, known.status) == (
        "fail",
        "",
        "ineligible",
    )
    (unknown,) = evaluate(shipped_rules(), [unknown_account(category, roles=())])
    assert (unknown.rules[rule_id].outcome, unknown.status) == ("missing", "incomplete")


def test_unknown_account_still_takes_part_in_the_batch_rules_that_do_not_read_the_snapshot():
    first = person(id="N1", submitted_at=later(0))
    unknown = unknown_account("学员标兵", id="N2", submitted_at=later(1))  # same unit and category
    results = evaluate(shipped_rules(), [first, unknown])
    assert [(r.rules["G.2"].outcome, r.rules["G.3"].outcome) for r in results] == [
        ("pass", "pass"),
        ("missing", "missing"),
    ]
    assert [r.rules["G.6"].outcome for r in results] == ["pass", "fail"]  # 每校每项限保1个
    assert results[1].status == "ineligible"  # a `fail` outweighs `missing`


def test_snapshot_rule_without_any_account_is_missing_without_the_reason():
    (result,) = evaluate(shipped_rules(), [person(learner=None, nominee_account=None)])
    assert (result.rules["G.4"].outcome, result.rules["G.4"].values, result.rules["G.4"].reason) == (
        "missing",
        {"learner": None},
        "",
    )


@pytest.mark.parametrize("category", ["模范供稿单位", "模范学习组织"])
def test_unit_nominations_have_no_account_and_no_snapshot_reason(category):
    (result,) = evaluate(shipped_rules(), [unit_nomination(category)])
    assert [rule_id for rule_id, r in result.rules.items() if r.reason] == []


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
