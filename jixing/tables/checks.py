"""Checks of identity numbers in a cell: USCC, resident ID, mobile number (python-stdnum does the maths).

Each takes the stripped cell text and returns the compact form to store, or raises CellProblem.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from jixing.tables.columns import CellProblem

_MOBILE = re.compile(r"1[0-9]{10}")


def check_uscc(value: str) -> str:
    try:
        return uscc.validate(value)
    except InvalidLength:
        raise CellProblem("统一社会信用代码应为 18 位") from None
    except InvalidChecksum:
        raise CellProblem("统一社会信用代码校验位不正确") from None
    except ValidationError:
        raise CellProblem("统一社会信用代码格式不正确") from None


@lru_cache(maxsize=65536)
def _known_place(area: str, year: str) -> bool:
    # The area-code table lookup is the slow part of ric.validate; a snapshot repeats a few thousand
    # (area, year) pairs millions of times. Any number with that area and year answers the same.
    try:
        ric.get_birth_place(f"{area}{year}0101000")
    except ValidationError:
        return False
    return True


def check_id_number(value: str) -> str:
    """A GB 11643 resident ID: 18 characters, check digit, birth date and area code (as ric.validate)."""
    number = ric.compact(value)
    try:
        if len(number) != 18:
            raise InvalidLength()
        if not number[:-1].isdigit() or not number[:-1].isascii():
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        ric.get_birth_date(number)
    except InvalidLength:
        raise CellProblem("身份证号应为 18 位") from None
    except InvalidChecksum:
        raise CellProblem("身份证号校验位不正确") from None
    except InvalidComponent:
        raise CellProblem("身份证号中的出生日期无效") from None
    except ValidationError:
        raise CellProblem("身份证号格式不正确") from None
    if not _known_place(number[:6], number[6:10]):
        raise CellProblem("身份证号中的地区码无效")
    return number


def check_mobile(value: str) -> str:
    number = value.replace(" ", "").replace("-", "")
    if not _MOBILE.fullmatch(number):
        raise CellProblem("手机号应为以 1 开头的 11 位数字")
    return number
