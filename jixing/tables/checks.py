"""Checks of identity numbers in a cell: USCC, resident ID, mobile number (python-stdnum does the maths).

Each takes the stripped cell text and returns the compact form to store, or raises CellProblem.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

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


# Province-level codes (GB/T 2260), the first two digits of a resident ID number.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71",  # 台湾
        "81",  # 香港
        "82",  # 澳门
        # Residence permits for Taiwan residents (港澳台居民居住证, since 2018) carry 830000.
        "83",
        # 外国人永久居留身份证 issued since December 2023: 18 characters, check digit as GB 11643, "9" then
        # (as we read the 2023 rules) the issuing province's code, so "91…" for cards issued in 11–15
        # (Shanxi is 914…); cards from other provinces (92…–98…) are not accepted here yet.
        "91",
    }
)  # fmt: skip


def _area_codes() -> frozenset[str]:
    """Every 6-digit code in stdnum's area table (cn/loc.dat), whichever years it was in use."""
    codes: set[str] = set()

    def walk(prefix: str, entries: list[Any]) -> None:
        for length, low, high, _props, children in entries:
            for number in range(int(low), int(high) + 1):
                code = prefix + str(number).zfill(length)
                if len(code) == 6:
                    codes.add(code)
                elif len(code) < 6:
                    walk(code, children)

    walk("", numdb.get("cn/loc").prefixes)
    return frozenset(codes)


# Built once: the table answers "has any table ever known this code", never "did it exist in year Y" —
# people keep the code of the office that issued their number, and most districts are younger than
# their residents (140105 小店区 dates from 1997).
KNOWN_AREA_CODES: frozenset[str] = _area_codes()

UNKNOWN_AREA_WARNING = "身份证号中的地区码不在行政区划代码表中（已导入，请核对）"


def is_known_area(code6: str) -> bool:
    """Whether a 6-digit area code is in the table; an unknown one is a warning, never a refusal."""
    return code6 in KNOWN_AREA_CODES


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_SHANGHAI = ZoneInfo("Asia/Shanghai")
_EARLIEST_BIRTH = "19000101"


def normalise_id_number(value: str) -> str:
    """Full-width digits and letters made ASCII (NFKC), spaces (also U+3000) and '-' removed, upper case."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split()).replace("-", "").upper()


def _is_birth_date(yyyymmdd: str) -> bool:
    # Fixed-width digit strings compare like the dates they spell.
    if yyyymmdd < _EARLIEST_BIRTH:
        return False
    try:
        birth = datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return birth <= datetime.datetime.now(_SHANGHAI).date()


def check_id_number(value: str) -> str:
    """A resident ID number as GB 11643 defines it: 17 digits and a check digit (or X), a real birth date
    from 1900 to today, a province-level first two digits. The 6-digit area code is not refused here:
    callers warn about codes `is_known_area` does not know."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise CellProblem("身份证号应为 18 位")
    if not _ID_SHAPE.fullmatch(number):
        raise CellProblem("身份证号格式不正确")
    if number[-1] != ric.calc_check_digit(number):
        raise CellProblem("身份证号校验位不正确")
    if not _is_birth_date(number[6:14]):
        raise CellProblem("身份证号中的出生日期无效")
    if number[:2] not in PROVINCE_CODES:
        raise CellProblem("身份证号中的地区码无效")
    return number


# China's calling code as contact lists and phones export it: +86 or 0086 before the 11 digits.
_COUNTRY_CODE = re.compile(r"^(?:\+|00)86")


def check_mobile(value: str) -> str:
    """A mobile number as its 11 digits. Spaces (U+3000 too) and dashes between the digits, full-width
    digits (a Chinese input method) and a leading +86 or 0086 are what people and their tools write
    around the same number, so they are read, not refused."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    number = "".join(value.split()).replace("-", "")
    if len(number) > 11:
        number = _COUNTRY_CODE.sub("", number, count=1)
    if not _MOBILE.fullmatch(number):
        raise CellProblem("手机号应为以 1 开头的 11 位数字")
    return number
