"""申报 (nominations) files for a campaign of shanxi-2022's categories: valid rows and one-cell mutations, for
tests/imports/test_fuzz_rows.py."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from jixing.tables import NOMINATIONS_TEMPLATE
from jixing.tables.templates import EVIDENCE_KINDS
from tests.imports.fuzz_cases import (
    Case,
    Mutation,
    blank_lines,
    blank_lines_then_empty_key,
    digits,
    draw_case,
    duplicate_header,
    ensure_column,
    misspelt_header,
    pick,
    ragged_long,
    ragged_short,
    refuse_cell,
    required_empty,
    set_cell,
    unknown_columns,
)

# The reporting unit of each node a nomination may be recommended by; nominee units (unit-like nodes).
RECOMMENDING = {"TY": "TY", "TY-QX": "TY", "TY-QX-S1": "TY", "TY-QX-S1-D1": "TY", "DT": "DT", "DT-S2": "DT"}
NOMINEE_UNITS = ("TY-QX-S1", "DT-S2", "TY-QX")
EXISTING_NUMBER = "N-2022-0001"  # stored before the import (the test's fixture)
TIMES = (
    ("", None),
    ("2023-01-08T10:00:00+08:00", datetime(2023, 1, 8, 2, tzinfo=UTC)),
    ("2023-01-08 10:00", datetime(2023, 1, 8, 2, tzinfo=UTC)),  # no offset: Beijing time
    ("2023-01-09T01:30:00Z", datetime(2023, 1, 9, 1, 30, tzinfo=UTC)),
)


@st.composite
def _nomination_row(
    draw: st.DrawFn, index: int, context: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`context`: categories (name → (is_person, rule ids)), accounts (学号 → name in the snapshot)."""
    category = draw(st.sampled_from(sorted(context["categories"])))
    is_person, rules = context["categories"][category]
    account = draw(st.sampled_from(sorted(context["accounts"]))) if is_person else ""
    nominee_org = "" if is_person else draw(st.sampled_from(NOMINEE_UNITS))
    recommending = draw(st.sampled_from(sorted(RECOMMENDING)))
    evidence = draw(st.lists(st.sampled_from(EVIDENCE_KINDS), unique=True, max_size=4))
    judged = draw(st.lists(st.sampled_from(sorted(rules)), unique=True, max_size=3)) if rules else []
    split = draw(st.integers(0, len(judged)))
    confirmed, refused = judged[:split], judged[split:]
    figures = {k: draw(st.one_of(st.none(), st.integers(0, 10**6))) for k in
               ("activity_count", "typed_total_points", "typed_annual_points")}  # fmt: skip
    score = draw(st.one_of(st.none(), st.integers(0, 10000)))
    submitted_text, submitted_at = draw(st.sampled_from(TIMES))
    cells = {
        "number": f"N{index}-{draw(digits(4))}",
        "category": category,
        "account_id": account,
        "nominee_org_code": nominee_org,
        "recommending_code": recommending,
        "evidence": draw(st.sampled_from([";", "；"])).join(evidence),
        **{k: "" if v is None else str(v) for k, v in figures.items()},
        "judges_score": "" if score is None else str(Decimal(score) / 100),
        "confirmed": ";".join(confirmed),
        "refused": "；".join(refused),
        "submitted_at": submitted_text,
    }
    expected = {
        "number": cells["number"],
        "category": category,
        "nominee_account": account,
        "nominee_name": context["accounts"].get(account, "")
        if is_person
        else context["org_names"][nominee_org],
        "nominee_org": nominee_org or None,
        "recommending_org": recommending,
        "reporting_unit": RECOMMENDING[recommending],
        "state": "submitted" if submitted_at else "draft",
        "submitted_at": submitted_at,
        "declared_evidence": evidence,
        **figures,
        "judges_score": None if score is None else Decimal(score) / 100,
        "decisions": {(r, True) for r in confirmed} | {(r, False) for r in refused},
        "is_person": is_person,
    }
    return cells, expected


def _nomination_empty(case: Case, index: int, key: str, absent: bool) -> None:
    line, expected = case.line(index), case.expected[index]
    if required_empty(case, index, key):
        if key == "category" and case.refusal:  # no category, so no nominee it must name
            case.refusal = {r for r in case.refusal if not (r[0] == line and r[2].startswith("须填写"))}
        return
    if (line, "项目", "不能为空") in (case.refusal or set()):
        return
    if key == "account_id" and expected["is_person"]:
        case.refuse(case.line(index), "学号", "须填写学号")
    elif key == "nominee_org_code" and not expected["is_person"]:
        case.refuse(case.line(index), "被推荐组织编码", "须填写被推荐组织编码")
    elif key == "evidence":
        expected["declared_evidence"] = []
    elif key in ("confirmed", "refused"):
        expected["decisions"] = {d for d in expected["decisions"] if d[1] != (key == "confirmed")}
    elif key == "submitted_at":
        expected["submitted_at"], expected["state"] = None, "draft"
    elif key not in ("account_id", "nominee_org_code"):
        expected[key] = NOMINATIONS_TEMPLATE.column(key).default


def _nomination_refusal(key: str, texts: list[str], reason: str, *, person: bool | None = None) -> Mutation:
    def mutate(draw: st.DrawFn, case: Case) -> None:
        ensure_column(case, key, None)
        candidates = [i for i, e in enumerate(case.expected) if person is None or e["is_person"] == person]
        if not candidates:  # no row of that kind of category: make one
            index = pick(draw, case)
            name = next(
                n
                for n, (is_person, _) in sorted(context_of(case)["categories"].items())
                if is_person == person
            )
            _nomination_set_category(case, index, name)
            candidates = [index]
        index = draw(st.sampled_from(candidates))
        refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason, index)

    return mutate


def context_of(case: Case) -> dict[str, Any]:
    return case.extras["context"]


def _nomination_set_category(case: Case, index: int, name: str) -> None:
    """Make row `index` a nomination in category `name`, its nominee and judged rules to suit."""
    context, row, expected = context_of(case), case.rows[index], case.expected[index]
    is_person = context["categories"][name][0]
    account = sorted(context["accounts"])[0] if is_person else ""
    org = "" if is_person else NOMINEE_UNITS[0]
    row.update(category=name, account_id=account, nominee_org_code=org)
    for key in ("confirmed", "refused"):
        if key in row:
            row[key] = ""
    expected.update(category=name, is_person=is_person, nominee_account=account, nominee_org=org or None,
                    nominee_name=context["accounts"][account] if is_person else context["org_names"][org],
                    decisions=set())  # fmt: skip


def _nomination_duplicate_number(draw: st.DrawFn, case: Case) -> None:
    if len(case.rows) == 1:
        case.rows.append(dict(case.rows[0]))
        case.expected.append(dict(case.expected[0]))
    index = draw(st.integers(1, len(case.rows) - 1))
    first = draw(st.integers(0, index - 1))
    case.rows[index]["number"] = case.rows[first]["number"]
    case.refuse(case.line(index), "申报编号", f"申报编号重复（与第 {case.line(first)} 行重复）")


def _nomination_rule_in_both(draw: st.DrawFn, case: Case, context: dict[str, Any]) -> None:
    index = pick(draw, case)
    rules = sorted(context["categories"][case.rows[index]["category"]][1])
    rule = draw(st.sampled_from(rules))
    for key in ("confirmed", "refused"):
        ensure_column(case, key, None)
    case.rows[index]["confirmed"], case.rows[index]["refused"] = rule, f"{rule}；"
    case.refuse(case.line(index), "已否决", "同时出现在已确认和已否决中")


def _nomination_evidence_loosely(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    ensure_column(case, "evidence", [])
    set_cell(case, index, "evidence", " 承诺书 ；积分截图;; ", declared_evidence=["承诺书", "积分截图"])


def _nomination_unknown_account(draw: st.DrawFn, case: Case) -> None:
    """A nominee not in the current snapshot: stored without a name (the rules will say what is missing)."""
    persons = [i for i, e in enumerate(case.expected) if e["is_person"]]
    if not persons:
        return
    index = draw(st.sampled_from(persons))
    set_cell(case, index, "account_id", "Z404", nominee_account="Z404", nominee_name="")


def _nomination_out_of_scope(draw: st.DrawFn, case: Case) -> None:
    """A 太原 station entering its list: one row recommended by a 大同 unit is refused."""
    case.extras["scope"] = "TY"
    for row, expected in zip(case.rows, case.expected, strict=True):
        if RECOMMENDING[row["recommending_code"]] != "TY":
            row["recommending_code"] = expected["recommending_org"] = "TY-QX-S1"
            expected["reporting_unit"] = "TY"
    refuse_cell(
        draw, case, "recommending_code", draw(st.sampled_from(["DT", "DT-S2"])), "不在本单位管辖范围内"
    )


def nomination_mutations(context: dict[str, Any]) -> dict[str, Mutation]:
    return {
        "valid": lambda draw, case: None,
        "blank_lines": blank_lines,
        "blank_lines_then_empty_key": blank_lines_then_empty_key,
        "unknown_columns": unknown_columns,
        "unknown_category": _nomination_refusal("category", ["学员 标兵", "优秀学习者", "1"], "应为以下之一"),
        "person_without_account": _nomination_refusal("account_id", ["", " "], "须填写学号", person=True),
        "unit_without_org": _nomination_refusal(
            "nominee_org_code", [""], "须填写被推荐组织编码", person=False
        ),
        "unknown_nominee_org": _nomination_refusal(
            "nominee_org_code", ["TY-QX-S9"], "组织编码不存在", person=False
        ),
        "nominee_not_a_unit": _nomination_refusal(
            "nominee_org_code", ["TY-QX-S1-D1"], "应为单位或通讯站", person=False
        ),  # fmt: skip
        "unknown_recommending": _nomination_refusal("recommending_code", ["XX", "ty-qx"], "组织编码不存在"),
        "recommending_above_reporting_units": _nomination_refusal(
            "recommending_code", ["P"], "不属于任何报送单位"
        ),
        "duplicate_number": _nomination_duplicate_number,
        "existing_number": _nomination_refusal("number", [EXISTING_NUMBER], "申报编号已存在"),
        "unknown_evidence": _nomination_refusal("evidence", ["承诺书;自拍", "视频"], "未知材料类型"),
        "inapplicable_rule": _nomination_refusal("confirmed", ["9.9", "G.99;G.4x"], "不适用于"),
        "rule_in_both": lambda draw, case: _nomination_rule_in_both(draw, case, context),
        "bad_time": _nomination_refusal(
            "submitted_at", ["2023-13-01", "1月8日", "2023/01/08 10:00"], "应为时间"
        ),
        "bad_score": _nomination_refusal("judges_score", ["优", "八十"], "应为数字"),
        "score_too_high": _nomination_refusal("judges_score", ["10000", "99999.5"], "不能大于"),
        "negative_activities": _nomination_refusal("activity_count", ["-2"], "不能为负数"),
        "evidence_written_loosely": _nomination_evidence_loosely,
        "unknown_account": _nomination_unknown_account,
        "out_of_scope": _nomination_out_of_scope,
        "ragged_long": ragged_long,
        "ragged_short": lambda draw, case: ragged_short(draw, case, _nomination_empty, ()),
        "duplicate_header": duplicate_header,
        "misspelt_header": lambda draw, case: misspelt_header(draw, case, _nomination_empty),
    }


NOMINATION_MUTATION_NAMES = sorted(nomination_mutations({}))


@st.composite
def nomination_files(draw: st.DrawFn, mutation: str, context: dict[str, Any]) -> Case:
    case = draw_case(draw, NOMINATIONS_TEMPLATE, lambda d, i: d(_nomination_row(i, context)), _nomination_empty,
                      always=("account_id", "nominee_org_code"))  # fmt: skip
    case.label = mutation
    case.extras["context"] = context
    nomination_mutations(context)[mutation](draw, case)
    return case
