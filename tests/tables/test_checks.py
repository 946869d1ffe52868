import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixing.tables import CellProblem
from jixing.tables.checks import (
    KNOWN_AREA_CODES,
    PROVINCE_CODES,
    UNKNOWN_AREA_WARNING,
    check_id_number,
    check_mobile,
    check_uscc,
    is_known_area,
    normalise_id_number,
)
from tests.files import id_number

# Today's Shanxi district codes, several younger than the people who carry them, and two abolished ones.
SHANXI_AREAS = [
    "140105",  # 小店区 (1997)
    "140106",  # 迎泽区
    "140107",  # 杏花岭区
    "140702",  # 榆次区
    "140703",  # 太谷区 (2019)
    "141002",  # 尧都区
    "140213",  # 平城区 (2018)
    "140214",  # 云冈区 (2018)
    "140215",  # 云州区 (2018)
    "140403",  # 潞州区 (2019)
    "140404",  # 上党区 (2019)
    "140405",  # 屯留区 (2019)
    "140406",  # 潞城区 (2019)
    "140202",  # 大同 城区 (abolished 2018)
    "140402",  # 长治 城区 (abolished 2019)
]
_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]


def make_id(area6: str, yyyymmdd: str, seq3: str) -> str:
    """A resident ID number with the GB 11643 check digit, computed here independently of stdnum."""
    body = f"{area6}{yyyymmdd}{seq3}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _today() -> datetime.date:
    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _problem(check, value):
    with pytest.raises(CellProblem) as info:
        check(value)
    return str(info.value)


def test_check_uscc_accepts_a_valid_code_and_compacts_it():
    assert check_uscc("9111 0000 6000 3734 1L") == "91110000600037341L"


def test_check_uscc_refuses_a_wrong_check_digit_length_or_letter():
    assert _problem(check_uscc, "91110000600037341X") == "统一社会信用代码校验位不正确"
    assert _problem(check_uscc, "9111000060003734") == "统一社会信用代码应为 18 位"
    assert _problem(check_uscc, "9111000060003734IL") == "统一社会信用代码格式不正确"


def test_make_id_agrees_with_the_tests_helper_and_a_published_example():
    assert make_id("140100", "19900101", "123") == id_number("14010019900101123")
    assert make_id("360426", "19910101", "007") == "360426199101010071"


def test_check_id_number_accepts_a_valid_number_with_lower_case_x():
    number = next(n for n in (id_number(f"1401001990010112{i}") for i in range(10)) if n.endswith("X"))
    assert check_id_number(number.lower()) == number


@pytest.mark.parametrize("area", SHANXI_AREAS)
@pytest.mark.parametrize("birth", ["19500101", "19550614", "19681231", "19850302", "19970701", "20060228"])
def test_check_id_number_accepts_todays_and_abolished_district_codes_whatever_the_birth_year(area, birth):
    number = make_id(area, birth, "042")
    assert check_id_number(number) == number


def test_check_id_number_refuses_each_kind_of_bad_number():
    good = id_number("14010019900101123")
    bad_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert _problem(check_id_number, bad_digit) == "身份证号校验位不正确"
    assert _problem(check_id_number, good[:-1]) == "身份证号应为 18 位"
    assert _problem(check_id_number, good + "1") == "身份证号应为 18 位"
    assert _problem(check_id_number, "") == "身份证号应为 18 位"
    assert _problem(check_id_number, "14010019900101A23X") == "身份证号格式不正确"
    assert _problem(check_id_number, "1401001990010112X3") == "身份证号格式不正确"
    assert _problem(check_id_number, "14010019900101\u066123X") == "身份证号格式不正确"
    assert _problem(check_id_number, id_number("14010019901301123")) == "身份证号中的出生日期无效"
    assert _problem(check_id_number, make_id("140105", "19900230", "123")) == "身份证号中的出生日期无效"
    assert _problem(check_id_number, id_number("99999919900101123")) == "身份证号中的地区码无效"
    assert _problem(check_id_number, make_id("000000", "19900101", "123")) == "身份证号中的地区码无效"


def test_check_id_number_orders_its_checks_length_format_digit_date_province():
    # A number wrong in several ways is refused for the first of them.
    assert _problem(check_id_number, "9999991990130112") == "身份证号应为 18 位"
    assert _problem(check_id_number, "99999919901301A230") == "身份证号格式不正确"
    bad_date_and_area = make_id("999999", "19901301", "123")
    wrong_digit = bad_date_and_area[:-1] + ("1" if bad_date_and_area[-1] == "0" else "0")
    assert _problem(check_id_number, wrong_digit) == "身份证号校验位不正确"
    assert _problem(check_id_number, bad_date_and_area) == "身份证号中的出生日期无效"


def test_check_id_number_birth_dates_run_from_1900_to_today_in_shanghai():
    assert check_id_number(make_id("140105", "19000101", "001")) == make_id("140105", "19000101", "001")
    assert _problem(check_id_number, make_id("140105", "18991231", "001")) == "身份证号中的出生日期无效"
    today = _today()
    assert check_id_number(make_id("140105", f"{today:%Y%m%d}", "001"))
    tomorrow = today + datetime.timedelta(days=1)
    assert (
        _problem(check_id_number, make_id("140105", f"{tomorrow:%Y%m%d}", "001"))
        == "身份证号中的出生日期无效"
    )
    assert check_id_number(make_id("140105", "20000229", "001"))
    assert _problem(check_id_number, make_id("140105", "19000229", "001")) == "身份证号中的出生日期无效"


def test_normalise_id_number_makes_full_width_ascii_and_drops_spaces_and_dashes():
    assert normalise_id_number("１４０１０５　１９８５０３０２\u3000０４２ｘ") == "14010519850302042X"
    assert normalise_id_number(" 140105-19850302-042x ") == "14010519850302042X"
    assert normalise_id_number("１４０１０５－１９８５０３０２－０４２Ｘ") == "14010519850302042X"


def test_check_id_number_accepts_full_width_and_spaced_input_and_returns_the_compact_number():
    number = make_id("140105", "19850302", "042")
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert check_id_number(wide) == number
    assert check_id_number(f"{number[:6]}\u3000{number[6:14]} {number[14:]}") == number
    assert check_id_number(f"{number[:6]}-{number[6:14]}-{number[14:]}") == number


def test_check_id_number_accepts_an_unknown_area_in_a_real_province_and_is_known_area_says_so():
    number = make_id("149999", "19850302", "042")
    assert check_id_number(number) == number
    assert not is_known_area("149999")
    assert UNKNOWN_AREA_WARNING == "身份证号中的地区码不在行政区划代码表中（已导入，请核对）"


def test_known_area_codes_come_from_stdnums_table_regardless_of_year():
    # python-stdnum 2.2 knows every one of these, including the 2018/2019 districts and the abolished 城区.
    assert all(is_known_area(code) for code in SHANXI_AREAS)
    assert is_known_area("140105")
    assert is_known_area("110103")  # 崇文区, abolished 2010
    assert not is_known_area("999999")
    assert len(KNOWN_AREA_CODES) > 3000
    assert all(len(code) == 6 and code.isdigit() for code in KNOWN_AREA_CODES)
    assert {code[:2] for code in KNOWN_AREA_CODES} <= PROVINCE_CODES


def test_province_codes_are_gb_t_2260_and_the_permit_prefixes():
    assert PROVINCE_CODES == {
        *"11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46".split(),
        *"50 51 52 53 54 61 62 63 64 65 71 81 82 83 91".split(),
    }


def _either_number_or_problem(value: str) -> None:
    try:
        number = check_id_number(value)
    except CellProblem:
        return
    assert len(number) == 18


@given(st.text(max_size=30))
def test_check_id_number_on_any_text_returns_a_number_or_a_cell_problem(value):
    _either_number_or_problem(value)


@given(st.text(alphabet="0123456789Xx１２ -", min_size=18, max_size=18))
def test_check_id_number_on_id_shaped_text_returns_a_number_or_a_cell_problem(value):
    _either_number_or_problem(value)


real_shaped = st.builds(
    make_id,
    st.sampled_from([*SHANXI_AREAS, "110101", "310104", "440305", "650102", "149999", "830000", "810000"]),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=_today()).map(lambda d: f"{d:%Y%m%d}"),
    st.integers(0, 999).map(lambda n: f"{n:03d}"),
)


@given(real_shaped)
def test_check_id_number_accepts_every_real_shaped_number(number):
    assert check_id_number(number) == number


@given(real_shaped, st.sampled_from("0123456789X"))
def test_check_id_number_refuses_a_real_shaped_number_with_another_check_digit(number, digit):
    if digit == number[-1]:
        digit = "0" if number[-1] == "X" else "X"
    assert _problem(check_id_number, number[:-1] + digit) == "身份证号校验位不正确"


def test_check_mobile_accepts_eleven_digits_from_1_and_strips_separators():
    assert check_mobile("100-0000 0001") == "10000000001"
    assert _problem(check_mobile, "23800000001") == "手机号应为以 1 开头的 11 位数字"
    assert _problem(check_mobile, "1000000000") == "手机号应为以 1 开头的 11 位数字"
    assert _problem(check_mobile, "1.38E+10") == "手机号应为以 1 开头的 11 位数字"


def test_check_mobile_reads_the_country_code_and_full_width_digits():
    # Found by tests/imports/test_fuzz_rows.py: contact lists export +86/0086 and input methods type
    # full-width digits; the ID column already read full-width digits, the phone column refused them.
    for written in ("+8613912345678", "+86 139 1234 5678", "0086-139-1234-5678", "＋86１３９１２３４５６７８",
                    "１３９\u3000１２３４\u3000５６７８"):  # fmt: skip
        assert check_mobile(written) == "13912345678", written
    for wrong in ("8613912345678", "+8623912345678", "+86139123456789", "+85213912345678", "0013912345678"):
        assert _problem(check_mobile, wrong) == "手机号应为以 1 开头的 11 位数字", wrong
