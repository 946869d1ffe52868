"""组织架构 (orgs) files over tests.factories.make_small_province's tree: new units and departments, an update
of the stored school; valid rows and one-cell mutations, for tests/imports/test_fuzz_rows.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import uscc

from jixing.tables import ORGS_TEMPLATE
from tests.imports.fuzz_cases import (
    AREAS,
    Case,
    Mutation,
    blank_lines,
    blank_lines_then_empty_key,
    digits,
    draw_case,
    duplicate_header,
    ensure_column,
    flag,
    misspelt_header,
    pick,
    ragged_long,
    ragged_short,
    refuse_cell,
    required_empty,
    set_cell,
    unknown_columns,
)

UNCHANGED = "<unchanged>"  # an updated org's field that the file does not carry: as stored before
# make_small_province's nodes a new one may hang under, with the unit and reporting unit it then has.
UNIT_PARENTS = {"TY-QX": "TY", "DT": "DT", "TY": "TY"}
DEPARTMENT_PARENTS = {"TY-QX-S1": "TY", "DT-S2": "DT"}
UNIT_NAMES = (
    "清徐县第二中学",
    "太原市小店区人民医院",
    "大同市平城区文化和旅游局",
    "山西晋阳湖科技有限公司",
    "清徐县老陈醋研究所",
)
DEPARTMENT_NAMES = ("办公室", "高三年级组", "党政办公室", "信息中心", "工会")


def uscc_numbers() -> st.SearchStrategy[str]:
    def build(area: str, code: str) -> str:
        first17 = "91" + area + code
        return first17 + uscc.calc_check_digit(first17)

    return st.builds(build, st.sampled_from(AREAS), digits(9))


@st.composite
def _org_row(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    kind = draw(st.sampled_from(["update", "unit", "department"] if index == 0 else ["unit", "department"]))
    if kind == "update":  # the stored school, renamed and its figures given
        code, parent, level, unit, reporting = "TY-QX-S1", "TY-QX", "单位", "TY-QX-S1", "TY"
        name = draw(st.sampled_from(UNIT_NAMES))
    elif kind == "unit":
        code = f"U{index}-{draw(digits(3))}"
        parent = draw(st.sampled_from(sorted(UNIT_PARENTS)))
        level, unit, reporting, name = "单位", code, UNIT_PARENTS[parent], draw(st.sampled_from(UNIT_NAMES))
    else:
        code = f"D{index}-{draw(digits(3))}"
        parent = draw(st.sampled_from(sorted(DEPARTMENT_PARENTS)))
        level, unit, reporting = "部门", parent, DEPARTMENT_PARENTS[parent]
        name = draw(st.sampled_from(DEPARTMENT_NAMES))
    cells: dict[str, Any] = {"code": code, "name": name, "parent_code": parent, "level": level}
    expected: dict[str, Any] = {
        **cells,
        "unit_code": unit,
        "reporting_code": reporting,
        "is_new": kind != "update",
    }
    # A 部门 is no 通讯站 (a station counts as its own unit, which would take the department out of its unit).
    cells["is_station"], expected["is_station"] = flag(draw) if level == "单位" else ("否", False)
    cells["is_legal_entity"], expected["is_legal_entity"] = flag(draw)
    cells["uscc"] = expected["uscc"] = draw(st.one_of(st.just(""), uscc_numbers()))
    cells["sector"] = expected["sector"] = draw(
        st.sampled_from(["", "事业单位", "企业", "中小学", "党政机关"])
    )
    counts = ("members", "staff", "articles_submitted", "published_provincial", "published_national",
              "articles_reviewed", "bulletin_errors_provincial", "bulletin_errors_national")  # fmt: skip
    for key in counts:
        value = draw(st.one_of(st.none(), st.integers(0, 100_000)))
        cells[key], expected[key] = ("" if value is None else str(value)), value
    party = draw(st.integers(0, 5000))
    tagged = draw(st.integers(0, party))
    cells["party_members"], cells["tagged_party_members"] = str(party), str(tagged)
    expected["party_members"], expected["tagged_party_members"] = party, tagged
    percent = draw(st.one_of(st.none(), st.integers(0, 100)))
    if percent is None:
        cells["daily_active_rate"], expected["daily_active_rate"] = "", None
    else:
        forms = [str(Decimal(percent) / 100), f"{percent}%", f"{percent}％"] + (
            [str(percent)] if percent > 1 else []
        )
        cells["daily_active_rate"] = draw(st.sampled_from(forms))
        expected["daily_active_rate"] = Decimal(percent) / 100
    return cells, expected


def _org_empty(case: Case, index: int, key: str, absent: bool) -> None:
    if required_empty(case, index, key):
        return
    if absent and not case.expected[index]["is_new"]:
        case.expected[index][key] = UNCHANGED  # an update leaves the fields the file does not carry
    else:
        case.expected[index][key] = ORGS_TEMPLATE.column(key).default


def _org_refusal(key: str, texts: list[str], reason: str) -> Mutation:
    def mutate(draw: st.DrawFn, case: Case) -> None:
        ensure_column(case, key, ORGS_TEMPLATE.column(key).default)
        refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason)

    return mutate


def _org_duplicate_code(draw: st.DrawFn, case: Case) -> None:
    if len(case.rows) == 1:
        case.rows.append(dict(case.rows[0]))
        case.expected.append(dict(case.expected[0]))
    index = draw(st.integers(1, len(case.rows) - 1))
    first = draw(st.integers(0, index - 1))
    case.rows[index]["code"] = case.rows[first]["code"]
    case.refuse(case.line(index), "组织编码", f"组织编码重复（与第 {case.line(first)} 行重复）")


def _pick_new(draw: st.DrawFn, case: Case) -> int:
    """A row of a new org: none has children (the stored school has one, which a change of level concerns)."""
    new = [i for i, e in enumerate(case.expected) if e["is_new"]]
    if not new:
        case.rows[0]["code"] = case.expected[0]["code"] = case.expected[0]["unit_code"] = "U0-NEW"
        case.expected[0]["is_new"] = True
        new = [0]
    return draw(st.sampled_from(new))


def _org_wrong_parent_level(draw: st.DrawFn, case: Case) -> None:
    index = _pick_new(draw, case)
    case.rows[index]["level"] = "部门"
    case.rows[index]["parent_code"] = draw(st.sampled_from(["TY-QX", "DT"]))
    case.refuse(case.line(index), "上级组织编码", "只能挂在")


def _org_second_province(draw: st.DrawFn, case: Case) -> None:
    index = _pick_new(draw, case)
    case.rows[index]["level"], case.rows[index]["parent_code"] = "省级", ""
    case.refuse(case.line(index), "层级", "只能有一个省级组织")


def _org_missing_parent(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    case.rows[index]["parent_code"] = ""
    case.refuse(case.line(index), "上级组织编码", "只有省级组织可以不填上级组织编码")


def _org_self_parent(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    row = case.rows[index]
    if not case.expected[index]["is_new"]:
        return _org_missing_parent(draw, case)
    row["parent_code"] = row["code"]
    row["level"] = (
        "部门"  # under itself: a department may hang under a department, so only the cycle is wrong
    )
    case.refuse(case.line(index), "上级组织编码", "循环")


def _org_counts_thousands(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    value = draw(st.integers(1000, 10**7))
    ensure_column(case, "members", None)
    set_cell(case, index, "members", f"{value:,}", members=value)


def _org_tagged_over_party(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    for key in ("party_members", "tagged_party_members"):
        ensure_column(case, key, None)
    party = draw(st.integers(0, 100))
    set_cell(case, index, "party_members", str(party), party_members=party)
    set_cell(case, index, "tagged_party_members", str(party + 1), tagged_party_members=party + 1)
    case.warn(case.line(index), "已标记党员数", "已标记党员数大于党员数")


def _org_spaces_around_code(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    case.rows[index]["code"] = f" {case.rows[index]['code']}\u3000"


ORG_MUTATIONS: dict[str, Mutation] = {
    "blank_lines": blank_lines,
    "blank_lines_then_empty_key": blank_lines_then_empty_key,
    "unknown_columns": unknown_columns,
    "valid": lambda draw, case: None,
    "duplicate_code": _org_duplicate_code,
    "unknown_parent": _org_refusal("parent_code", ["TY-QX-X", "ty", "山西"], "上级组织编码不存在"),
    "bad_level": _org_refusal("level", ["地市级", "单位 部门", "学校"], "应为以下之一"),
    "wrong_parent_level": _org_wrong_parent_level,
    "uscc_check_digit": lambda draw, case: _org_refusal(
        "uscc", [(n := draw(uscc_numbers()))[:-1] + ("0" if n[-1] != "0" else "1")], "校验位不正确"
    )(draw, case),
    "uscc_length": _org_refusal("uscc", ["91140100MA0K", "911401001234567890X"], "18 位"),
    "negative_count": _org_refusal("staff", ["-1", "-300"], "不能为负数"),
    "rate_over": _org_refusal("daily_active_rate", ["150%", "101", "250％"], "不能超过 100%"),
    "bad_flag": _org_refusal("is_station", ["通讯站", "是否", "2"], "应为 是/否"),
    "name_empty": _org_refusal("name", ["", " "], "不能为空"),
    "second_province": _org_second_province,
    "missing_parent": _org_missing_parent,
    "self_parent": _org_self_parent,
    "counts_thousands": _org_counts_thousands,
    "tagged_over_party": _org_tagged_over_party,
    "spaces_around_code": _org_spaces_around_code,
    "ragged_long": ragged_long,
    "ragged_short": lambda draw, case: ragged_short(draw, case, _org_empty, ("parent_code",)),
    "duplicate_header": duplicate_header,
    "misspelt_header": lambda draw, case: misspelt_header(draw, case, _org_empty),
}


@st.composite
def org_files(draw: st.DrawFn, mutation: str) -> Case:
    case = draw_case(draw, ORGS_TEMPLATE, lambda d, i: d(_org_row(i)), _org_empty)
    case.label = mutation
    ORG_MUTATIONS[mutation](draw, case)
    return case
