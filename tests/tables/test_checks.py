import random

import pytest
from stdnum.cn import ric

from jixing.tables import CellProblem
from jixing.tables.checks import check_id_number, check_mobile, check_uscc
from tests.files import id_number


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


def test_check_id_number_accepts_a_valid_number_with_lower_case_x():
    number = next(n for n in (id_number(f"1401001990010112{i}") for i in range(10)) if n.endswith("X"))
    assert check_id_number(number.lower()) == number


def test_check_id_number_refuses_each_kind_of_bad_number():
    good = id_number("14010019900101123")
    bad_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert _problem(check_id_number, bad_digit) == "身份证号校验位不正确"
    assert _problem(check_id_number, good[:-1]) == "身份证号应为 18 位"
    assert _problem(check_id_number, "14010019900101A23X") == "身份证号格式不正确"
    assert _problem(check_id_number, id_number("14010019901301123")) == "身份证号中的出生日期无效"
    assert _problem(check_id_number, id_number("99999919900101123")) == "身份证号中的地区码无效"


def test_check_id_number_agrees_with_stdnum_validate():
    # The check caches the area lookup; it must still accept exactly what ric.validate accepts.
    draw = random.Random(7)
    areas = ["140100", "140105", "140202", "141000", "110101", "999999", "140000", "142701"]
    for _ in range(500):
        base = f"{draw.choice(areas)}{draw.randint(1930, 2010)}{draw.randint(1, 12):02d}{draw.randint(1, 28):02d}{draw.randint(0, 999):03d}"
        number = id_number(base)
        try:
            check_id_number(number)
            ours = True
        except CellProblem:
            ours = False
        assert ours == ric.is_valid(number), number


def test_check_mobile_accepts_eleven_digits_from_1_and_strips_separators():
    assert check_mobile("100-0000 0001") == "10000000001"
    assert _problem(check_mobile, "23800000001") == "手机号应为以 1 开头的 11 位数字"
    assert _problem(check_mobile, "1000000000") == "手机号应为以 1 开头的 11 位数字"
    assert _problem(check_mobile, "1.38E+10") == "手机号应为以 1 开头的 11 位数字"
