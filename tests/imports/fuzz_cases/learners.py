"""积分快照 (learners) files: valid rows and one-cell mutations, for tests/imports/test_fuzz_rows.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric

from jixing.tables import LEARNERS_TEMPLATE
from jixing.tables.checks import UNKNOWN_AREA_WARNING
from jixing.tables.columns import BEIJING
from tests.imports.fuzz_cases import (
    AREAS,
    FULL_WIDTH,
    LEARNER_ORGS,
    NAMES,
    UNKNOWN_AREAS,
    Case,
    Mutation,
    blank_lines,
    blank_lines_then_empty_key,
    digits,
    draw_case,
    duplicate_header,
    flag,
    id_numbers,
    misspelt_header,
    mobiles,
    pick,
    ragged_long,
    ragged_short,
    refuse_cell,
    required_empty,
    set_cell,
    unknown_columns,
)

LEARNER_ALWAYS = ("phone", "id_number")  # each row needs one of them: both columns are always in the file


@st.composite
def _learner_row(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    contact = draw(st.sampled_from(["both", "both", "phone", "id"]))
    phone = draw(mobiles()) if contact != "id" else ""
    id_number = draw(id_numbers()) if contact != "phone" else ""
    total = draw(st.integers(0, 200_000))
    annual = draw(st.integers(0, total))
    ranks = [draw(st.one_of(st.just(""), st.integers(1, 10**6).map(str))) for _ in range(2)]
    clearances = draw(st.one_of(st.just(""), st.integers(0, 300).map(str)))
    flags = [flag(draw) for _ in range(3)]
    cells = {
        "account_id": f"A{index:02d}{draw(digits(4))}",
        "name": draw(st.sampled_from(NAMES)),
        "phone": phone,
        "id_number": id_number,
        "org_code": draw(st.sampled_from(sorted(LEARNER_ORGS))),
        "total_points": str(total),
        "annual_points": str(annual),
        "national_total_rank": ranks[0],
        "national_annual_rank": ranks[1],
        "perfect_clearances": clearances,
        "is_real_name": flags[0][0],
        "is_shanxi_phone": flags[1][0],
        "is_platform_staff": flags[2][0],
    }
    expected = {
        **{k: cells[k] for k in ("account_id", "name", "phone", "id_number", "org_code")},
        "total_points": total,
        "annual_points": annual,
        "national_total_rank": int(ranks[0]) if ranks[0] else None,
        "national_annual_rank": int(ranks[1]) if ranks[1] else None,
        "perfect_clearances": int(clearances) if clearances else 0,
        "is_real_name": flags[0][1],
        "is_shanxi_phone": flags[1][1],
        "is_platform_staff": flags[2][1],
    }
    return cells, expected


def _learner_empty(case: Case, index: int, key: str, absent: bool) -> None:
    if required_empty(case, index, key):
        return
    expected = case.expected[index]
    expected[key] = LEARNERS_TEMPLATE.column(key).default
    if key in LEARNER_ALWAYS and not expected["phone"] and not expected["id_number"]:
        case.refuse(case.line(index), "手机号", "身份证号为空时手机号不能为空")


def _with_id(draw: st.DrawFn, case: Case) -> int:
    """A row that has an ID number (one is given it when it had only a phone)."""
    index = pick(draw, case)
    if not case.rows[index]["id_number"]:
        set_cell(case, index, "id_number", number := draw(id_numbers()), id_number=number)
    return index


def _with_phone(draw: st.DrawFn, case: Case) -> int:
    index = pick(draw, case)
    if not case.rows[index]["phone"]:
        set_cell(case, index, "phone", number := draw(mobiles()), phone=number)
    return index


def _id_check_digit(draw: st.DrawFn, case: Case) -> None:
    index = _with_id(draw, case)
    number = case.rows[index]["id_number"]
    wrong = draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
    refuse_cell(draw, case, "id_number", number[:-1] + wrong, "校验位不正确", index)


def _id_birth_date(draw: st.DrawFn, case: Case) -> None:
    today = datetime.now(BEIJING).date()
    birth = draw(st.sampled_from(["19990230", "19870431", "20230229", "18991231", "19851300",
                                  (today + timedelta(days=2)).strftime("%Y%m%d")]))  # fmt: skip
    refuse_cell(draw, case, "id_number", draw(id_numbers(birth=birth)), "出生日期无效")


def _id_province(draw: st.DrawFn, case: Case) -> None:
    area = draw(st.sampled_from(["990101", "200101", "000000", "390102"]))
    refuse_cell(draw, case, "id_number", draw(id_numbers(area=area)), "地区码无效")


def _id_fifteen_digits(draw: st.DrawFn, case: Case) -> None:
    # The first-generation number (1984–2004): 6 area digits, a 2-digit year, no check digit.
    refuse_cell(draw, case, "id_number", draw(st.sampled_from(AREAS)) + "560101" + draw(digits(3)), "18 位")


def _id_unknown_area(draw: st.DrawFn, case: Case) -> None:
    """GB 11643 does not refuse an area code no table knows (STACK.md): stored, with a masked warning."""
    index = pick(draw, case)
    area = draw(st.sampled_from(UNKNOWN_AREAS))
    set_cell(case, index, "id_number", number := draw(id_numbers(area=area)), id_number=number)
    case.warn(case.line(index), "身份证号", UNKNOWN_AREA_WARNING)
    case.extras["masked_warning"] = area + "*" * 12


def _id_written_oddly(draw: st.DrawFn, case: Case) -> None:
    """Full-width digits (a Chinese input method), spaces or dashes between the parts, a lower-case x:
    stored as the canonical number (masked, and its person key the canonical number's)."""
    index = pick(draw, case)
    number = draw(id_numbers())
    style = draw(st.sampled_from(["full-width", "spaces", "dashes", "ideographic-space"]))
    if number[-1] != "X" and draw(st.booleans()):  # a number ending in X, written as x
        for seq in range(1000):
            first17 = number[:14] + f"{seq:03d}"
            if ric.calc_check_digit(first17 + "0") == "X":
                number = first17 + "X"
                break
    text = {
        "full-width": number.translate(FULL_WIDTH),
        "spaces": f"{number[:6]} {number[6:14]} {number[14:]}",
        "dashes": f"{number[:6]}-{number[6:14]}-{number[14:]}",
        "ideographic-space": f"{number[:6]}\u3000{number[6:]}",
    }[style]
    set_cell(
        case, index, "id_number", text.replace("X", "x") if style != "full-width" else text, id_number=number
    )


def _phone_separators(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    number = draw(mobiles())
    text = draw(st.sampled_from([f"{number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
                                 f"{number[:3]}-{number[3:]}", f" {number} "]))  # fmt: skip
    set_cell(case, index, "phone", text, phone=number)


def _phone_country_code(draw: st.DrawFn, case: Case) -> None:
    """+86, 0086 (and with a space after), as contact lists export them: stored as the 11 digits."""
    index = pick(draw, case)
    number = draw(mobiles())
    prefix = draw(st.sampled_from(["+86", "+86 ", "0086", "0086 ", "+86-", "＋86"]))
    set_cell(case, index, "phone", prefix + number, phone=number)


def _phone_full_width(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    number = draw(mobiles())
    set_cell(case, index, "phone", number.translate(FULL_WIDTH), phone=number)


def _phone_wrong_length(draw: st.DrawFn, case: Case) -> None:
    number = draw(mobiles())
    text = draw(
        st.sampled_from([number[:-1], number + "5", "2" + number[1:], number[:3] + "****" + number[7:]])
    )
    refuse_cell(draw, case, "phone", text, "手机号应为以 1 开头的 11 位数字")


def _no_contact(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    case.rows[index]["phone"] = case.rows[index]["id_number"] = ""
    case.refuse(case.line(index), "手机号", "身份证号为空时手机号不能为空")


def _duplicate_account(draw: st.DrawFn, case: Case) -> None:
    if len(case.rows) == 1:  # a row pasted twice
        case.rows.append(dict(case.rows[0]))
        case.expected.append(dict(case.expected[0]))
    index = draw(st.integers(1, len(case.rows) - 1))
    first = draw(st.integers(0, index - 1))
    case.rows[index]["account_id"] = case.rows[first]["account_id"]
    case.refuse(case.line(index), "学号", f"学号重复（与第 {case.line(first)} 行重复）")


def _unknown_org(draw: st.DrawFn, case: Case) -> None:
    refuse_cell(draw, case, "org_code", draw(st.sampled_from(["TY-QX-S9", "ty-qx-s1", "S1 ", "未知单位"])).strip(),
                 "组织编码不存在")  # fmt: skip


def _points(draw: st.DrawFn, case: Case) -> None:
    key = draw(st.sampled_from(["total_points", "annual_points"]))
    text, reason = draw(st.sampled_from([("-5", "不能为负数"), ("12.5", "应为整数"), ("一万", "应为整数"),
                                         ("3000000000", "不能大于")]))  # fmt: skip
    refuse_cell(draw, case, key, text, reason)


def _points_thousands(draw: st.DrawFn, case: Case) -> None:
    """12,345 as exports write it: 12345, in both point columns (so that annual ≤ total still holds)."""
    index = pick(draw, case)
    total = draw(st.integers(1000, 2_000_000))
    set_cell(case, index, "total_points", f"{total:,}", total_points=total)
    set_cell(case, index, "annual_points", f"{total // 2:,}", annual_points=total // 2)


def _annual_over_total(draw: st.DrawFn, case: Case) -> None:
    index = pick(draw, case)
    total = draw(st.integers(0, 1000))
    set_cell(case, index, "total_points", str(total), total_points=total)
    set_cell(case, index, "annual_points", str(total + 1), annual_points=total + 1)
    case.warn(case.line(index), "年度积分", "年度积分大于总积分")


def _rank_zero(draw: st.DrawFn, case: Case) -> None:
    if "national_total_rank" not in case.header:
        case.header.append("national_total_rank")
        for row, expected in zip(case.rows, case.expected, strict=True):
            row["national_total_rank"], expected["national_total_rank"] = "", None
    refuse_cell(draw, case, "national_total_rank", "0", "不能小于 1")


def _bad_flag(draw: st.DrawFn, case: Case) -> None:
    key = draw(st.sampled_from(["is_real_name", "is_shanxi_phone", "is_platform_staff"]))
    if key not in case.header:
        case.header.append(key)
        for row, expected in zip(case.rows, case.expected, strict=True):
            row[key], expected[key] = "", False
    refuse_cell(draw, case, key, draw(st.sampled_from(["也许", "是的", "2", "yes"])), "应为 是/否")


def _name_empty(draw: st.DrawFn, case: Case) -> None:
    refuse_cell(draw, case, "name", draw(st.sampled_from(["", " ", "\u3000"])), "不能为空")


LEARNER_MUTATIONS: dict[str, Mutation] = {
    "blank_lines": blank_lines,
    "blank_lines_then_empty_key": blank_lines_then_empty_key,
    "unknown_columns": unknown_columns,
    "valid": lambda draw, case: None,
    "id_check_digit": _id_check_digit,
    "id_birth_date": _id_birth_date,
    "id_province": _id_province,
    "id_fifteen_digits": _id_fifteen_digits,
    "id_unknown_area": _id_unknown_area,
    "id_written_oddly": _id_written_oddly,
    "phone_separators": _phone_separators,
    "phone_country_code": _phone_country_code,
    "phone_full_width": _phone_full_width,
    "phone_wrong_length": _phone_wrong_length,
    "no_contact": _no_contact,
    "duplicate_account": _duplicate_account,
    "unknown_org": _unknown_org,
    "points": _points,
    "points_thousands": _points_thousands,
    "annual_over_total": _annual_over_total,
    "rank_zero": _rank_zero,
    "bad_flag": _bad_flag,
    "name_empty": _name_empty,
    "ragged_long": ragged_long,
    "ragged_short": lambda draw, case: ragged_short(draw, case, _learner_empty, LEARNER_ALWAYS),
    "duplicate_header": duplicate_header,
    "misspelt_header": lambda draw, case: misspelt_header(draw, case, _learner_empty),
}


@st.composite
def learner_files(draw: st.DrawFn, mutation: str) -> Case:
    case = draw_case(
        draw, LEARNERS_TEMPLATE, lambda d, i: d(_learner_row(i)), _learner_empty, always=LEARNER_ALWAYS
    )
    case.label = mutation
    LEARNER_MUTATIONS[mutation](draw, case)
    return case
