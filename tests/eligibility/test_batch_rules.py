"""Rules across the nominations of a batch: G.2 (one account), G.3 (one award), G.6 (one per unit)."""

from jixing.eligibility import evaluate
from tests.eligibility.build import later, learner, person, shipped_rules, unit_nomination


def outcomes(facts_list, rule_id):
    return {r.id: r.rules[rule_id].outcome.value for r in evaluate(shipped_rules(), facts_list)}


def test_rule_g_6_keeps_the_earliest_submitted_per_unit_and_category():
    batch = [
        person(id="B", recommending_unit="U1", submitted_at=later(5)),
        person(id="A", recommending_unit="U1", submitted_at=later(1), person_key="P2"),
        person(id="C", recommending_unit="U1", submitted_at=None, person_key="P3"),  # a draft comes last
        person(id="D", recommending_unit="U2", submitted_at=later(9), person_key="P4"),
        person("优秀学员", id="E", recommending_unit="U1", submitted_at=later(9), person_key="P5"),
    ]
    assert outcomes(batch, "G.6") == {"A": "pass", "B": "fail", "C": "fail", "D": "pass", "E": "pass"}


def test_rule_g_6_does_not_count_withdrawn_or_rejected():
    batch = [
        person(id="A", submitted_at=later(1), released=True),
        person(id="B", submitted_at=later(2), person_key="P2"),
    ]
    assert outcomes(batch, "G.6") == {"A": "pass", "B": "pass"}


def test_rule_g_6_applies_to_unit_categories():
    batch = [unit_nomination(id="A", submitted_at=later(3)), unit_nomination(id="B", submitted_at=later(2))]
    assert outcomes(batch, "G.6") == {"A": "fail", "B": "pass"}


def test_rule_g_6_names_the_nomination_kept():
    batch = [person(id="A", submitted_at=later(1)), person(id="B", submitted_at=later(2), person_key="P2")]
    (_, second) = evaluate(shipped_rules(), batch)
    assert second.rules["G.6"].values == {"recommending_unit": "U1", "count": 2, "earliest": "A"}


def test_rule_g_2_fails_accounts_other_than_that_of_the_earliest_nomination():
    batch = [
        person(id="A", nominee_account="X2", learner=learner(account="X2"), submitted_at=later(3)),
        person(
            "优秀学员", id="B", nominee_account="X1", learner=learner(account="X1"), submitted_at=later(1)
        ),
        person(
            "挑战达人", id="C", nominee_account="X1", learner=learner(account="X1"), submitted_at=later(7)
        ),
        person(id="D", person_key="P9", nominee_account="X3", submitted_at=later(0), recommending_unit="U9"),
    ]
    assert outcomes(batch, "G.2") == {"A": "fail", "B": "pass", "C": "pass", "D": "pass"}


def test_rule_g_2_ignores_a_withdrawn_earlier_nomination():
    batch = [
        person(id="A", nominee_account="X2", submitted_at=later(1), released=True),
        person("优秀学员", id="B", nominee_account="X1", submitted_at=later(2)),
    ]
    assert outcomes(batch, "G.2") == {"A": "pass", "B": "pass"}


def test_rule_g_3_warns_each_nomination_of_a_person_in_several_categories():
    batch = [
        person(id="A"),
        person("挑战达人", id="B", recommending_unit="U2"),
        person(id="C", person_key="P2", recommending_unit="U3"),
    ]
    assert outcomes(batch, "G.3") == {"A": "warn", "B": "warn", "C": "pass"}


def test_rule_g_3_selecting_one_fails_the_others():
    batch = [
        person(id="A"),
        person("挑战达人", id="B", recommending_unit="U2", selected=True),
        person("优秀学员", id="C", recommending_unit="U3"),
    ]
    assert outcomes(batch, "G.3") == {"A": "fail", "B": "pass", "C": "fail"}


def test_rule_g_3_same_category_twice_is_not_a_second_award():
    batch = [person(id="A"), person(id="B", recommending_unit="U2")]
    assert outcomes(batch, "G.3") == {"A": "pass", "B": "pass"}


def test_rule_g_3_without_person_key_is_missing():
    assert outcomes([person(id="A", person_key=None)], "G.3") == {"A": "missing"}


def test_batch_statuses_follow_the_cross_nomination_outcomes():
    batch = [person(id="A", submitted_at=later(1)), person(id="B", submitted_at=later(2), person_key="P2")]
    assert {r.id: r.status.value for r in evaluate(shipped_rules(), batch)} == {
        "A": "needs_review",
        "B": "ineligible",
    }
