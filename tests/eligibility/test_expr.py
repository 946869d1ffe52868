"""The condition language: parsing, types, exact numbers, three-valued logic, recorded values."""

from decimal import Decimal

import pytest

from jixing.eligibility.compiler import BOOL, NUM, Ctx, compile_condition, param_value
from jixing.eligibility.expr import ExprError, parse
from tests.eligibility.build import learner, org, person, role

PARAMS = {
    "annual_min": param_value(7200),
    "ratio": param_value(0.80),
    "sectors": param_value(["党政机关", "事业单位"]),
    "label": param_value("新闻报道"),
}


def run(source, facts=None, want=(BOOL,)):
    ctx = Ctx()
    value = compile_condition(source, params=PARAMS, want=want).fn(facts or person(), ctx)
    return value, ctx.values


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3 == 7", True),
        ("(1 + 2) * 3 == 9", True),
        ("10 - 2 - 3 == 5", True),
        ("-2 + 5 == 3", True),
        ("0.1 + 0.2 == 0.3", True),  # exact decimals, not floats
        ("7 / 2 == 3.5", True),
        ("1 / 0 == 1", None),  # division by zero is unknown
        ("not 1 > 2", True),
        ("true and false or true", True),
        ("true and (false or false)", False),
        ("'a' in ['a', 'b']", True),
        ("'c' not in ['a', 'b']", True),
        ("null == null", True),
        ('"新闻报道" in attachments', True),
        ("params.label in attachments", True),
        ("'党政机关' in params.sectors", True),
    ],
)
def test_expr_evaluates_literals_and_operators(source, expected):
    assert run(source)[0] == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("learner.perfect_clearances > 1", None),
        ("not learner.perfect_clearances > 1", None),
        ("learner.perfect_clearances > 1 and false", False),
        ("learner.perfect_clearances > 1 and true", None),
        ("learner.perfect_clearances > 1 or true", True),
        ("learner.perfect_clearances > 1 or false", None),
        ("learner.perfect_clearances == null", True),
        ("learner.perfect_clearances != null", False),
        ("learner.perfect_clearances + 1 == 1", None),
        ("unit.members == null", False),
    ],
)
def test_expr_unknown_values_follow_three_valued_logic(source, expected):
    facts = person(learner=learner(perfect_clearances=None))
    assert run(source, facts)[0] == expected


def test_expr_compares_decimal_figures_exactly():
    node = org(members=801, staff=1000)
    assert run("unit.members > unit.staff * params.ratio", person(unit=node))[0] is True
    assert (
        run("unit.members > unit.staff * params.ratio", person(unit=org(members=800, staff=1000)))[0] is False
    )
    assert (
        run("unit.daily_active_rate == 0.5", person(unit=org(daily_active_rate=Decimal("0.500"))))[0] is True
    )


def test_expr_records_the_values_read():
    value, values = run(
        "learner.annual_points >= params.annual_min", person(learner=learner(annual_points=7199))
    )
    assert (value, values) == (False, {"learner.annual_points": 7199, "params.annual_min": 7200})


def test_expr_records_decimal_params_as_written():
    assert run("unit.members > unit.staff * params.ratio")[1]["params.ratio"] == Decimal("0.8")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("any(roles, kind == '管理员')", True),
        ("any(roles, kind == '供稿员')", False),
        ("all(roles, node.members > 30)", True),
        ("all(roles, node.members > 60)", False),
        ("count(roles) == 2", True),
        ("count(roles, kind == '志愿者') == 1", True),
        ("count(where(roles, kind == '管理员')) == 1", True),
        ("max(roles, node.members) == 50", True),
        ("min(roles, node.members) == 40", True),
        ("max(where(roles, kind == '供稿员'), node.members) == null", True),
        ("all(where(roles, kind == '供稿员'), node.members > 1000)", True),
    ],
)
def test_expr_list_functions(source, expected):
    roles = (role("管理员", node=org(members=50)), role("志愿者", node=org(members=40)))
    assert run(source, person(roles=roles))[0] == expected


def test_expr_list_functions_are_three_valued():
    roles = (role("管理员", node=org(members=None)), role("管理员", node=org(members=50)))
    facts = person(roles=roles)
    assert run("any(roles, node.members > 30)", facts)[0] is True
    assert run("any(roles, node.members > 60)", facts)[0] is None
    assert run("all(roles, node.members > 60)", facts)[0] is False
    assert run("count(roles, node.members > 30) >= 1", facts)[0] is None
    assert run("max(roles, node.members) > 1", facts)[0] is None


def test_expr_records_reads_inside_lists_by_element():
    roles = (role("志愿者", node=org(members=40)), role("管理员", node=org(members=50)))
    _, values = run("any(roles, kind == '管理员' and node.members > 30)", person(roles=roles))
    assert values == {"roles[0].kind": "志愿者", "roles[1].kind": "管理员", "roles[1].node.members": 50}


def test_expr_order_terms_may_be_numbers():
    assert (
        run("unit.members / unit.staff", person(unit=org(members=1, staff=3)), want=(NUM, BOOL))[0] * 3 == 1
    )


@pytest.mark.parametrize(
    ("source", "position", "reason"),
    [
        ("learner.annual_points >= ", 26, "语法错误"),
        ("learner.annual_points >=> 1", 25, "语法错误"),
        ("1 < 2 < 3", 7, "比较不能连写"),
        ("(1 < 2", 7, "语法错误"),
        ("'abc", 1, "没有结束引号"),
        ("a # b", 3, "无法识别的字符"),
        ("learner.", 9, "字段名"),
    ],
)
def test_expr_syntax_errors_name_the_position(source, position, reason):
    with pytest.raises(ExprError) as error:
        parse(source)
    assert (error.value.pos + 1, reason in error.value.reason) == (position, True)
    assert f"第 {position} 个字符处" in error.value.reason


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("learner.annual_pointz > 1", "未知名称“learner.annual_pointz”"),
        ("learner.annual_points.x > 1", "不是记录"),
        ("params.nope > 1", "未知参数“nope”"),
        ("learner.annual_points", "结果应为真假值"),
        ("learner.annual_points > 'x'", "不能用“>”比较"),
        ("'a' > 'b'", "不能用“>”比较"),
        ("learner.is_real_name + 1 == 2", "应为数值"),
        ("1 and true", "应为真假值"),
        ("sum(roles) > 1", "未知函数“sum”"),
        ("any(attachments, kind == 'x')", "应为记录列表"),
        ("any(roles, learner.annual_points > 1)", "未知名称“learner”"),
        ("any(roles)", "需要 2 个参数"),
        ("1 in attachments", "右边应为与左边同类的列表"),
        ("learner == unit", "不能用“==”比较"),
        ("[1, 'a'] == null", "类型必须一致"),
        ("'a' in [unit.sector]", "只能由常量组成"),
    ],
)
def test_expr_type_errors_are_found_at_compile_time(source, reason):
    with pytest.raises(ExprError, match=reason):
        compile_condition(source, params=PARAMS)


def test_param_values_refuse_unusable_types():
    with pytest.raises(ValueError, match="不是整数"):
        param_value({"a": 1})
