"""Valid rows and one-cell mutations per template, for tests/imports/test_fuzz_rows.py (see fuzz.py).

Rows are real-shaped and synthetic: ID numbers with today's district codes, births from the 1950s on and a
correct GB 11643 check digit; mobiles of 11 digits; names with compound surnames and `·`. Each mutation
changes one cell (or the header, or a row's length) and says what the import must make of it. The org
codes are those of tests.factories.make_small_province.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from jixing.tables import LEARNERS_TEMPLATE, NOMINATIONS_TEMPLATE, ORGS_TEMPLATE, ROLES_TEMPLATE
from jixing.tables.checks import UNKNOWN_AREA_WARNING, is_known_area
from jixing.tables.columns import BEIJING
from jixing.tables.templates import EVIDENCE_KINDS
from tests.imports.fuzz import (
    FORMATS,
    Case,
    EmptyEffect,
    Mutation,
    duplicate_header,
    header_order,
    misspelt_header,
    ragged_long,
    ragged_short,
    required_empty,
)

NAMES = (
    "欧阳明月",
    "司马青云",
    "巴依卡·凯力迪别克",
    "诸葛文静",
    "上官婉清",
    "阿依古丽·买买提",
    "慕容秋水",
    "王小红",
    "李建国",
)
# Districts as they are coded today (小店区 dates from 1997, 平城区 from 2018): people born in the 1950s
# carry them when their number was issued there.
AREAS = tuple(a for a in ("140105", "140106", "140107", "140121", "140181", "140213", "140214", "110105",
                          "650102") if is_known_area(a))  # fmt: skip
UNKNOWN_AREAS = tuple(a for a in ("149901", "140199", "141199", "149999") if not is_known_area(a))
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

# make_small_province: unit-like nodes and the unit each one's learners belong to.
LEARNER_ORGS = {"TY-QX-S1": "TY-QX-S1", "TY-QX-S1-D1": "TY-QX-S1", "DT-S2": "DT-S2"}
FLAGS = {"是": True, "否": False, "Y": True, "n": False, "1": True, "0": False, "true": True, "FALSE": False}


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def id_numbers(draw: st.DrawFn, *, area: str | None = None, birth: str | None = None) -> str:
    """An 18-character resident ID with a correct check digit."""
    area = area or draw(st.sampled_from(AREAS))
    if birth is None:
        day = draw(st.dates(date(1950, 1, 1), date(2005, 12, 31)))
        birth = day.strftime("%Y%m%d")
    first17 = area + birth + draw(digits(3))
    return first17 + ric.calc_check_digit(first17 + "0")


def mobiles() -> st.SearchStrategy[str]:
    return st.builds(lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), digits(9))


def _flag(draw: st.DrawFn) -> tuple[str, bool]:
    text = draw(st.sampled_from(["", *FLAGS]))
    return text, FLAGS.get(text, False)


def _draw_case(
    draw: st.DrawFn, spec: Any, row: Any, empty: EmptyEffect, *, always: tuple[str, ...] = (), size: int = 4
) -> Case:
    """1 to `size` valid rows under a header of the needed columns and some others; the rows' cells of
    the columns left out are dropped and their expected values become what an absent column means."""
    count = draw(st.integers(1, size))
    cells, expected = [], []
    for index in range(count):
        c, e = row(draw, index)
        cells.append(c)
        expected.append(e)
    case = Case(spec, draw(header_order(spec, always)), cells, expected, fmt=draw(st.sampled_from(FORMATS)))
    for key in [c.key for c in spec.columns if c.key not in case.header]:
        for index, cells_of_row in enumerate(case.rows):
            del cells_of_row[key]
            empty(case, index, key, True)
    return case


def _pick(draw: st.DrawFn, case: Case) -> int:
    return draw(st.integers(0, len(case.rows) - 1))


def _set(case: Case, index: int, key: str, text: Any, **expected: Any) -> None:
    case.rows[index][key] = text
    case.expected[index].update(expected)


def _refuse_cell(
    draw: st.DrawFn, case: Case, key: str, text: Any, reason: str, index: int | None = None
) -> None:
    index = _pick(draw, case) if index is None else index
    case.rows[index][key] = text
    case.refuse(case.line(index), case.spec.column(key).header, reason)


# ------------------------------------------------------------------------------------- 积分快照 learners

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
    flags = [_flag(draw) for _ in range(3)]
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
    index = _pick(draw, case)
    if not case.rows[index]["id_number"]:
        _set(case, index, "id_number", number := draw(id_numbers()), id_number=number)
    return index


def _with_phone(draw: st.DrawFn, case: Case) -> int:
    index = _pick(draw, case)
    if not case.rows[index]["phone"]:
        _set(case, index, "phone", number := draw(mobiles()), phone=number)
    return index


def _id_check_digit(draw: st.DrawFn, case: Case) -> None:
    index = _with_id(draw, case)
    number = case.rows[index]["id_number"]
    wrong = draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
    _refuse_cell(draw, case, "id_number", number[:-1] + wrong, "校验位不正确", index)


def _id_birth_date(draw: st.DrawFn, case: Case) -> None:
    today = datetime.now(BEIJING).date()
    birth = draw(st.sampled_from(["19990230", "19870431", "20230229", "18991231", "19851300",
                                  (today + timedelta(days=2)).strftime("%Y%m%d")]))  # fmt: skip
    _refuse_cell(draw, case, "id_number", draw(id_numbers(birth=birth)), "出生日期无效")


def _id_province(draw: st.DrawFn, case: Case) -> None:
    area = draw(st.sampled_from(["990101", "200101", "000000", "390102"]))
    _refuse_cell(draw, case, "id_number", draw(id_numbers(area=area)), "地区码无效")


def _id_fifteen_digits(draw: st.DrawFn, case: Case) -> None:
    # The first-generation number (1984–2004): 6 area digits, a 2-digit year, no check digit.
    _refuse_cell(draw, case, "id_number", draw(st.sampled_from(AREAS)) + "560101" + draw(digits(3)), "18 位")


def _id_unknown_area(draw: st.DrawFn, case: Case) -> None:
    """GB 11643 does not refuse an area code no table knows (STACK.md): stored, with a masked warning."""
    index = _pick(draw, case)
    area = draw(st.sampled_from(UNKNOWN_AREAS))
    _set(case, index, "id_number", number := draw(id_numbers(area=area)), id_number=number)
    case.warn(case.line(index), "身份证号", UNKNOWN_AREA_WARNING)
    case.extras["masked_warning"] = area + "*" * 12


def _id_written_oddly(draw: st.DrawFn, case: Case) -> None:
    """Full-width digits (a Chinese input method), spaces or dashes between the parts, a lower-case x:
    stored as the canonical number (masked, and its person key the canonical number's)."""
    index = _pick(draw, case)
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
    _set(
        case, index, "id_number", text.replace("X", "x") if style != "full-width" else text, id_number=number
    )


def _phone_separators(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    number = draw(mobiles())
    text = draw(st.sampled_from([f"{number[:3]} {number[3:7]} {number[7:]}", f"{number[:3]}-{number[3:7]}-{number[7:]}",
                                 f"{number[:3]}-{number[3:]}", f" {number} "]))  # fmt: skip
    _set(case, index, "phone", text, phone=number)


def _phone_country_code(draw: st.DrawFn, case: Case) -> None:
    """+86, 0086 (and with a space after), as contact lists export them: stored as the 11 digits."""
    index = _pick(draw, case)
    number = draw(mobiles())
    prefix = draw(st.sampled_from(["+86", "+86 ", "0086", "0086 ", "+86-", "＋86"]))
    _set(case, index, "phone", prefix + number, phone=number)


def _phone_full_width(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    number = draw(mobiles())
    _set(case, index, "phone", number.translate(FULL_WIDTH), phone=number)


def _phone_wrong_length(draw: st.DrawFn, case: Case) -> None:
    number = draw(mobiles())
    text = draw(
        st.sampled_from([number[:-1], number + "5", "2" + number[1:], number[:3] + "****" + number[7:]])
    )
    _refuse_cell(draw, case, "phone", text, "手机号应为以 1 开头的 11 位数字")


def _no_contact(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
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
    _refuse_cell(draw, case, "org_code", draw(st.sampled_from(["TY-QX-S9", "ty-qx-s1", "S1 ", "未知单位"])).strip(),
                 "组织编码不存在")  # fmt: skip


def _points(draw: st.DrawFn, case: Case) -> None:
    key = draw(st.sampled_from(["total_points", "annual_points"]))
    text, reason = draw(st.sampled_from([("-5", "不能为负数"), ("12.5", "应为整数"), ("一万", "应为整数"),
                                         ("3000000000", "不能大于")]))  # fmt: skip
    _refuse_cell(draw, case, key, text, reason)


def _points_thousands(draw: st.DrawFn, case: Case) -> None:
    """12,345 as exports write it: 12345, in both point columns (so that annual ≤ total still holds)."""
    index = _pick(draw, case)
    total = draw(st.integers(1000, 2_000_000))
    _set(case, index, "total_points", f"{total:,}", total_points=total)
    _set(case, index, "annual_points", f"{total // 2:,}", annual_points=total // 2)


def _annual_over_total(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    total = draw(st.integers(0, 1000))
    _set(case, index, "total_points", str(total), total_points=total)
    _set(case, index, "annual_points", str(total + 1), annual_points=total + 1)
    case.warn(case.line(index), "年度积分", "年度积分大于总积分")


def _rank_zero(draw: st.DrawFn, case: Case) -> None:
    if "national_total_rank" not in case.header:
        case.header.append("national_total_rank")
        for row, expected in zip(case.rows, case.expected, strict=True):
            row["national_total_rank"], expected["national_total_rank"] = "", None
    _refuse_cell(draw, case, "national_total_rank", "0", "不能小于 1")


def _bad_flag(draw: st.DrawFn, case: Case) -> None:
    key = draw(st.sampled_from(["is_real_name", "is_shanxi_phone", "is_platform_staff"]))
    if key not in case.header:
        case.header.append(key)
        for row, expected in zip(case.rows, case.expected, strict=True):
            row[key], expected[key] = "", False
    _refuse_cell(draw, case, key, draw(st.sampled_from(["也许", "是的", "2", "yes"])), "应为 是/否")


def _name_empty(draw: st.DrawFn, case: Case) -> None:
    _refuse_cell(draw, case, "name", draw(st.sampled_from(["", " ", "\u3000"])), "不能为空")


LEARNER_MUTATIONS: dict[str, Mutation] = {
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
    case = _draw_case(
        draw, LEARNERS_TEMPLATE, lambda d, i: d(_learner_row(i)), _learner_empty, always=LEARNER_ALWAYS
    )
    case.label = mutation
    LEARNER_MUTATIONS[mutation](draw, case)
    return case


# ------------------------------------------------------------------------------------------ 组织架构 orgs

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
    kind = draw(
        st.sampled_from(["unit", "unit", "department", "update"] if index == 0 else ["unit", "department"])
    )
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
    cells["is_station"], expected["is_station"] = _flag(draw) if level == "单位" else ("否", False)
    cells["is_legal_entity"], expected["is_legal_entity"] = _flag(draw)
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


def _ensure_column(case: Case, key: str, empty: Any) -> None:
    """Put a column the header left out back in (empty in every row) so that a mutation can fill it."""
    if key not in case.header:
        case.header.append(key)
        for row, expected in zip(case.rows, case.expected, strict=True):
            row[key], expected[key] = "", empty


def _org_refusal(key: str, texts: list[str], reason: str) -> Mutation:
    def mutate(draw: st.DrawFn, case: Case) -> None:
        _ensure_column(case, key, ORGS_TEMPLATE.column(key).default)
        _refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason)

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
    index = _pick(draw, case)
    case.rows[index]["parent_code"] = ""
    case.refuse(case.line(index), "上级组织编码", "只有省级组织可以不填上级组织编码")


def _org_self_parent(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    row = case.rows[index]
    if not case.expected[index]["is_new"]:
        return _org_missing_parent(draw, case)
    row["parent_code"] = row["code"]
    row["level"] = (
        "部门"  # under itself: a department may hang under a department, so only the cycle is wrong
    )
    case.refuse(case.line(index), "上级组织编码", "循环")


def _org_counts_thousands(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    value = draw(st.integers(1000, 10**7))
    _ensure_column(case, "members", None)
    _set(case, index, "members", f"{value:,}", members=value)


def _org_tagged_over_party(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    for key in ("party_members", "tagged_party_members"):
        _ensure_column(case, key, None)
    party = draw(st.integers(0, 100))
    _set(case, index, "party_members", str(party), party_members=party)
    _set(case, index, "tagged_party_members", str(party + 1), tagged_party_members=party + 1)
    case.warn(case.line(index), "已标记党员数", "已标记党员数大于党员数")


def _org_spaces_around_code(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    case.rows[index]["code"] = f" {case.rows[index]['code']}\u3000"


ORG_MUTATIONS: dict[str, Mutation] = {
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
    case = _draw_case(draw, ORGS_TEMPLATE, lambda d, i: d(_org_row(i)), _org_empty)
    case.label = mutation
    ORG_MUTATIONS[mutation](draw, case)
    return case


# ------------------------------------------------------------------------------------------- 角色 roles

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
    full_time = _flag(draw)
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
        _ensure_column(case, key, ROLES_TEMPLATE.column(key).default)
        _refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason)

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
    index = _pick(draw, case)
    _ensure_column(case, "training_hours", Decimal(0))
    text, value = draw(
        st.sampled_from([("12.35", "12.4"), ("12.34", "12.3"), ("0.05", "0.1"), ("7.25", "7.3")])
    )
    _set(case, index, "training_hours", text, training_hours=Decimal(value))


def _role_volunteer_type_elsewhere(draw: st.DrawFn, case: Case) -> None:
    """A 志愿类型 on a role that is no volunteer's: stored as written, with a warning."""
    index = _pick(draw, case)
    row = case.rows[index]
    if row["kind"] == "志愿者":  # give it a kind its account does not hold at that org yet
        held = {
            r["kind"]
            for r in case.rows
            if (r["account_id"], r["org_code"]) == (row["account_id"], row["org_code"])
        }
        row["kind"] = case.expected[index]["kind"] = next(k for k in ROLE_KINDS if k not in held)
    _ensure_column(case, "volunteer_type", "")
    _set(case, index, "volunteer_type", "播音", volunteer_type="播音")
    case.warn(case.line(index), "志愿类型", "只有志愿者需要填写志愿类型")


def _role_unknown_account(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    _set(case, index, "account_id", "R99-不在快照", account_id="R99-不在快照")
    case.warn(case.line(index), "学号", "学号不在当前积分快照中")


ROLE_MUTATIONS: dict[str, Mutation] = {
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
    case = _draw_case(draw, ROLES_TEMPLATE, lambda d, i: d(_role_row(i, used)), _role_empty)
    case.label = mutation
    ROLE_MUTATIONS[mutation](draw, case)
    return case


# ------------------------------------------------------------------------------------- 申报 nominations

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
        _ensure_column(case, key, None)
        candidates = [i for i, e in enumerate(case.expected) if person is None or e["is_person"] == person]
        if not candidates:  # no row of that kind of category: make one
            index = _pick(draw, case)
            name = next(
                n
                for n, (is_person, _) in sorted(context_of(case)["categories"].items())
                if is_person == person
            )
            _nomination_set_category(case, index, name)
            candidates = [index]
        index = draw(st.sampled_from(candidates))
        _refuse_cell(draw, case, key, draw(st.sampled_from(texts)), reason, index)

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
    index = _pick(draw, case)
    rules = sorted(context["categories"][case.rows[index]["category"]][1])
    rule = draw(st.sampled_from(rules))
    for key in ("confirmed", "refused"):
        _ensure_column(case, key, None)
    case.rows[index]["confirmed"], case.rows[index]["refused"] = rule, f"{rule}；"
    case.refuse(case.line(index), "已否决", "同时出现在已确认和已否决中")


def _nomination_evidence_loosely(draw: st.DrawFn, case: Case) -> None:
    index = _pick(draw, case)
    _ensure_column(case, "evidence", [])
    _set(case, index, "evidence", " 承诺书 ；积分截图;; ", declared_evidence=["承诺书", "积分截图"])


def _nomination_unknown_account(draw: st.DrawFn, case: Case) -> None:
    """A nominee not in the current snapshot: stored without a name (the rules will say what is missing)."""
    persons = [i for i, e in enumerate(case.expected) if e["is_person"]]
    if not persons:
        return
    index = draw(st.sampled_from(persons))
    _set(case, index, "account_id", "Z404", nominee_account="Z404", nominee_name="")


def _nomination_out_of_scope(draw: st.DrawFn, case: Case) -> None:
    """A 太原 station entering its list: one row recommended by a 大同 unit is refused."""
    case.extras["scope"] = "TY"
    for row, expected in zip(case.rows, case.expected, strict=True):
        if RECOMMENDING[row["recommending_code"]] != "TY":
            row["recommending_code"] = expected["recommending_org"] = "TY-QX-S1"
            expected["reporting_unit"] = "TY"
    _refuse_cell(
        draw, case, "recommending_code", draw(st.sampled_from(["DT", "DT-S2"])), "不在本单位管辖范围内"
    )


def nomination_mutations(context: dict[str, Any]) -> dict[str, Mutation]:
    return {
        "valid": lambda draw, case: None,
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
    case = _draw_case(draw, NOMINATIONS_TEMPLATE, lambda d, i: d(_nomination_row(i, context)), _nomination_empty,
                      always=("account_id", "nominee_org_code"))  # fmt: skip
    case.label = mutation
    case.extras["context"] = context
    nomination_mutations(context)[mutation](draw, case)
    return case
