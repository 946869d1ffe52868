"""Compiling rules files: the shipped one, malformed ones (refused with the rule id), rules as data."""

import copy
import shutil
import subprocess
import sys
import tomllib

import pytest

from jixing.eligibility import compile_definition
from tests.eligibility.build import (
    CATEGORIES,
    DEFINITION,
    learner,
    org,
    outcome,
    person,
    role,
    rules_file,
    shipped_rules,
)

SPEC_RULE_IDS = [f"G.{n}" for n in range(1, 11)] + [
    "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "5.5", "6.1", "6.2", "6.3", "6.4", "6.5",
    "7.1", "7.2", "7.3", "8.1", "8.2", "8.3", "8.4", "9.1", "9.2", "9.3", "9.4",
]  # fmt: skip


def test_shipped_rules_compile_with_every_spec_rule_id_in_order():
    assert list(shipped_rules().rules) == SPEC_RULE_IDS


def test_shipped_rules_quote_the_plan_for_every_rule():
    plan_rules = {rule.id: rule.wording for rule in shipped_rules().rules.values()}
    assert [rule_id for rule_id, wording in plan_rules.items() if not wording] == []


def test_shipped_rules_apply_general_rules_per_spec():
    rules = shipped_rules().rules
    person_categories, unit_categories = set(CATEGORIES[:7]), set(CATEGORIES[7:])
    for rule_id in ("G.1", "G.2", "G.3", "G.4", "G.5", "G.9"):
        assert rules[rule_id].categories == person_categories
    for rule_id in ("G.6", "G.7", "G.8", "G.10"):
        assert rules[rule_id].categories == person_categories | unit_categories
    assert rules["9.4"].categories == {"模范学习组织"}


def test_shipped_definition_compiles_when_read_by_the_campaigns_app():
    from jixing.campaigns.domain.definitions import read_definition

    assert read_definition("shanxi-2022")["rules_file"]["params"]["annual_points_min"] == 7200


def test_copied_rules_file_with_a_changed_threshold_changes_the_outcome(tmp_path):
    folder = tmp_path / "shanxi-2023"
    shutil.copytree(DEFINITION, folder)
    path = folder / "rules.toml"
    text = path.read_text(encoding="utf-8").replace("annual_points_min = 7200", "annual_points_min = 8000")
    path.write_text(text, encoding="utf-8")
    with path.open("rb") as fh:
        changed = compile_definition(tomllib.load(fh), categories=CATEGORIES)
    facts = person("挑战达人", learner=learner(annual_points=7500))
    assert (outcome(facts, "3.3"), outcome(facts, "3.3", changed)) == ("pass", "fail")


def test_changed_ratio_parameter_is_still_exact():
    data = rules_file()
    data["params"]["admin_registered_ratio_over"] = "0.75"  # a string is a string, not a number
    with pytest.raises(ValueError, match="规则“6.3”"):
        compile_definition(data, categories=CATEGORIES)
    data["params"]["admin_registered_ratio_over"] = 0.75
    changed = compile_definition(data, categories=CATEGORIES)

    def admin(members):
        return person("优秀管理员", roles=(role("管理员", node=org(members=members, staff=100)),))

    assert (outcome(admin(75), "6.3", changed), outcome(admin(76), "6.3", changed)) == ("fail", "pass")


def rule(data, rule_id):
    return next(r for r in data["rules"] if r["id"] == rule_id)


def broken(change):
    data = copy.deepcopy(rules_file())
    change(data)
    with pytest.raises(ValueError) as error:
        compile_definition(data, categories=CATEGORIES)
    return str(error.value)


def test_unknown_name_is_refused_with_rule_id():
    def change(data):
        rule(data, "3.3")["checks"][0]["require"] = "learner.anual_points >= params.annual_points_min"

    assert broken(change) == (
        "规则“3.3”：第 1 步检查的条件：第 1 个字符处（“learner.anual_points”）：未知名称“learner.anual_points”"
        "（此处可用：total_points、annual_points、national_total_rank、national_annual_rank、"
        "perfect_clearances、is_real_name、is_shanxi_phone、is_platform_staff）"
    )


def test_syntax_error_is_refused_with_rule_id_and_position():
    def change(data):
        rule(data, "1.2")["checks"][0]["require"] = "unit.is_legal_entity and and unit.members >= 30"

    assert (
        broken(change)
        == "规则“1.2”：第 1 步检查的条件：第 26 个字符处语法错误：应为数值、字符串、名称或“(”，实为“and”"
    )


def test_unknown_parameter_is_refused_with_rule_id():
    def change(data):
        del data["params"]["activities_min"]

    assert "规则“9.4”：第 1 步检查的条件：" in broken(change)
    assert "未知参数“activities_min”" in broken(change)


def test_unknown_outcome_is_refused_with_rule_id():
    def change(data):
        rule(data, "9.4")["checks"][1]["otherwise"] = "absent"

    assert (
        broken(change)
        == "规则“9.4”：第 2 步检查：未知结果“absent”（不满足时可用：fail、warn、manual、missing）"
    )


def test_pass_is_not_an_outcome_for_a_rule_that_does_not_hold():
    def change(data):
        rule(data, "G.6")["otherwise"] = "pass"

    assert broken(change).startswith("规则“G.6”：未知结果“pass”")


def test_duplicate_id_is_refused():
    def change(data):
        data["rules"].append(copy.deepcopy(rule(data, "2.2")))

    assert broken(change) == "规则“2.2”：id 重复"


def test_unknown_category_is_refused_with_rule_id():
    def change(data):
        rule(data, "7.1")["categories"] = ["优秀志愿者们"]

    assert broken(change) == "规则“7.1”：未知评选项目或项目组“优秀志愿者们”"


def test_unknown_batch_check_is_refused():
    def change(data):
        rule(data, "G.2")["batch"] = "one_phone_per_person"

    assert broken(change).startswith("规则“G.2”：未知批量规则“one_phone_per_person”")


def test_unreachable_check_is_refused():
    def change(data):
        rule(data, "8.4")["checks"].append({"require": "true", "otherwise": "fail"})

    assert broken(change) == "规则“8.4”：第 2 步检查永远不会执行：前一步没有 require，总是给出结果"


def test_misspelt_field_is_refused():
    def change(data):
        rule(data, "1.1")["wordng"] = "x"

    assert broken(change) == "规则“1.1”：未知字段“wordng”"


def test_rule_without_wording_is_refused():
    def change(data):
        del rule(data, "5.1")["wording"]

    assert broken(change) == "规则“5.1”：缺少 wording（方案原文）"


def test_rule_with_two_kinds_is_refused():
    def change(data):
        rule(data, "1.4")["external"] = True

    assert broken(change) == "规则“1.4”：应恰好有 checks、batch、external、informational 之一"


def test_rule_without_id_is_refused_with_its_position():
    def change(data):
        del data["rules"][2]["id"]

    assert broken(change) == "第 3 条规则缺少 id"


def test_category_without_ordering_key_is_refused():
    def change(data):
        del data["categories"]["优秀审核员"]

    assert broken(change) == '评选项目“优秀审核员”缺少排序键（[categories."优秀审核员"] order = …）'


def test_ordering_key_of_unknown_category_is_refused():
    def change(data):
        data["categories"]["优秀干部"] = {"order": [{"desc": "learner.total_points"}]}

    assert broken(change).startswith("排序键：未知评选项目“优秀干部”")


def test_ordering_term_must_be_a_number_or_truth_value():
    def change(data):
        data["categories"]["挑战达人"]["order"] = [{"desc": "unit.sector"}]

    assert broken(change) == "评选项目“挑战达人”的排序键第 1 项：条件的结果应为数值或真假值，实为字符串"


def test_unusable_parameter_is_refused_with_its_name():
    def change(data):
        data["params"]["org_members_min"] = {"min": 30}

    assert broken(change).startswith("参数“org_members_min”：")


def test_group_with_unknown_category_is_refused():
    def change(data):
        data["groups"]["person"].append("优秀干部")

    assert broken(change) == "项目组“person”：未知评选项目“优秀干部”"


def test_campaign_with_a_category_the_rules_do_not_order_is_refused():
    with pytest.raises(ValueError, match="评选项目“优秀干部”缺少排序键"):
        compile_definition(rules_file(), categories=[*CATEGORIES, "优秀干部"])


def test_importing_the_engine_does_not_import_django():
    code = (
        "import sys, jixing.eligibility; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_shipped_rules_ask_reviewers_the_plan_words_no_data_decide():
    confirms = {rule.id: rule.confirms for rule in shipped_rules().rules.values() if rule.confirms}
    assert confirms == {
        "4.1": "省委各部委、省各委办厅局、省属高校企业本级机关供稿员，或直接向各市委宣传部通讯站供稿的专兼职供稿员",
        "9.2": "组织架构规范、党员干部全覆盖",
        "9.3": "有相关工作制度",
    }


def test_confirms_on_a_rule_the_data_decide_alone_is_refused():
    def change(data):
        rule(data, "9.1")["confirms"] = "组织架构规范"

    assert (
        broken(change)
        == '规则“9.1”：有 confirms 的规则，最后一步应为 { otherwise = "manual" }（由审核人确认）'
    )


def test_confirms_on_a_batch_rule_is_refused():
    def change(data):
        rule(data, "G.2")["confirms"] = "一人一个学号"

    assert broken(change) == "规则“G.2”：confirms 只用于 checks 规则"


def test_empty_confirms_is_refused():
    def change(data):
        rule(data, "9.3")["confirms"] = "  "

    assert broken(change) == "规则“9.3”：confirms 应为需审核人确认的方案原文"
