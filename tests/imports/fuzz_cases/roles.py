"""角色 (roles) files: valid rows and one-cell mutations, for tests/imports/test_fuzz_rows.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from jixing.tables import ROLES_TEMPLATE
from tests.imports.fuzz_cases import (
    Case,
    Mutation,
    blank_lines,
    blank_lines_then_empty_key,
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

ROLE_ACCOUNTS = ("R01", "R02", "R03", "R04")  # in the current snapshot (the test's fixture)
ROLE_ORGS = ("TY", "DT", "TY-QX", "TY-QX-S1", "DT-S2")
ROLE_KINDS = ("供稿员", "审核员", "管理员", "志愿者", "班子成员")


@st.composite
def _role_row(
    draw: st.DrawFn, index: int, used: set[tuple[str, str, str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    triple = draw(
        st.tuples(
            st.sampled_from(ROLE_ACCOUNTS), st.sampled_from(ROLE_ORGS), st.sampled_from(ROLE_KINDS)
        ).filter(lambda t: t not in used)
    )
    used.add(triple)
    account, org, kind = triple
    full_time = flag(draw)
    assessments = draw(st.one_of(st.none(), st.integers(0, 50)))
    tenths = draw(st.one_of(st.none(), st.integers(0, 99_999)))
    hours = (
        ""
        if tenths is None
        else draw(st.sampled_from([str(Decimal(tenths) / 10), f"{Decimal(tenths) / 10:,}"]))
    )
    volunteer = draw(st.sampled_from(["", "审读", "播音", "其他"])) if kind == "志愿者" else ""
    cells = {
        "account_id": account, "org_code": org, "kind": kind, "is_full_time": full_time[0],
        "assessments": "" if assessments is None else str(assessments), "training_hours": hours,
        "volunteer_type": volunteer,
    }  # fmt: skip
    expected = {
        "account_id": account, "org_code": org, "kind": kind, "is_full_time": full_time[1],
        "assessments": assessments or 0, "training_hours": Decimal(tenths or 0) / 10, "volunteer_type": volunteer,
    }  # fmt: skip
    return cells, expected


def _role_empty(case: Case, index: int, key: str, absent: bool) -> None:
    if not required_empty(case, index, key):
        case.expected[index][key] = ROLES_TEMPLATE.column(key).default


def _role_refusal(key: str, texts: list[str], reason: str) -> Mutation:
    def mutate(draw: st.DrawFn, case: Case) -> None:
        ensure_column(case, key, ROLES_TEMPLATE.column(key).default)
        refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason)

    return mutate


def _role_duplicate(draw: st.DrawFn, case: Case) -> None:
    if len(case.rows) == 1:
        case.rows.append(dict(case.rows[0]))
        case.expected.append(dict(case.expected[0]))
    index = draw(st.integers(1, len(case.rows) - 1))
    first = draw(st.integers(0, index - 1))
    for key in ("account_id", "org_code", "kind"):
        case.rows[index][key] = case.rows[first][key]
    if case.rows[index]["kind"] != "志愿者" and case.rows[index].get("volunteer_type"):
        case.rows[index]["volunteer_type"] = ""
    case.refuse(case.line(index), "角色", f"重复（与第 {case.line(first)} 行重复）")


def _role_hours_rounded(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    ensure_column(case, "training_hours", Decimal(0))
    text, value = draw(
        st.sampled_from([("12.35", "12.4"), ("12.34", "12.3"), ("0.05", "0.1"), ("7.25", "7.3")])
    )
    set_cell(case, index, "training_hours", text, training_hours=Decimal(value))


def _role_volunteer_type_elsewhere(draw: st.DrawFn, case: Case) -> None:
    """A 志愿类型 on a role that is no volunteer's: stored as written, with a warning."""
    index = pick(draw, case)
    row = case.rows[index]
    if row["kind"] == "志愿者":  # give it a kind its account does not hold at that org yet
        held = {
            r["kind"]
            for r in case.rows
            if (r["account_id"], r["org_code"]) == (row["account_id"], row["org_code"])
        }
        row["kind"] = case.expected[index]["kind"] = next(k for k in ROLE_KINDS if k not in held)
    ensure_column(case, "volunteer_type", "")
    set_cell(case, index, "volunteer_type", "播音", volunteer_type="播音")
    case.warn(case.line(index), "志愿类型", "只有志愿者需要填写志愿类型")


def _role_unknown_account(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    set_cell(case, index, "account_id", "R99-不在快照", account_id="R99-不在快照")
    case.warn(case.line(index), "学号", "学号不在当前积分快照中")


ROLE_MUTATIONS: dict[str, Mutation] = {
    "blank_lines": blank_lines,
    "blank_lines_then_empty_key": blank_lines_then_empty_key,
    "unknown_columns": unknown_columns,
    "valid": lambda draw, case: None,
    "unknown_kind": _role_refusal("kind", ["编辑", "审核", "志愿 者"], "应为以下之一"),
    "unknown_org": _role_refusal("org_code", ["TY-QX-S9", "dt"], "组织编码不存在"),
    "duplicate_role": _role_duplicate,
    "hours_not_a_number": _role_refusal("training_hours", ["十二", "12小时", "1.2.3"], "应为数字"),
    "hours_negative": _role_refusal("training_hours", ["-1", "-0.5"], "不能为负数"),
    "hours_too_many": _role_refusal("training_hours", ["100000", "1e6"], "不能大于"),
    "bad_volunteer_type": _role_refusal("volunteer_type", ["唱歌", "审读;播音"], "应为以下之一"),
    "account_empty": _role_refusal("account_id", ["", "\u3000"], "不能为空"),
    "assessments_fraction": _role_refusal("assessments", ["1.5", "两次"], "应为整数"),
    "hours_rounded": _role_hours_rounded,
    "volunteer_type_elsewhere": _role_volunteer_type_elsewhere,
    "unknown_account": _role_unknown_account,
    "ragged_long": ragged_long,
    "ragged_short": lambda draw, case: ragged_short(draw, case, _role_empty, ()),
    "duplicate_header": duplicate_header,
    "misspelt_header": lambda draw, case: misspelt_header(draw, case, _role_empty),
}


@st.composite
def role_files(draw: st.DrawFn, mutation: str) -> Case:
    used: set[tuple[str, str, str]] = set()
    case = draw_case(draw, ROLES_TEMPLATE, lambda d, i: d(_role_row(i, used)), _role_empty)
    case.label = mutation
    ROLE_MUTATIONS[mutation](draw, case)
    return case
