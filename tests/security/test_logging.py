import io
import logging
import re
import sys
import unicodedata
from datetime import date

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from jixing.security.logging import PersonalDataFilter, mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证 140102199001011234", "身份证 1401**********1234"),
        ("id=14010219900101123X,", "id=1401**********123X,"),
        ("电话13812345678。", "电话138****5678。"),
        ("合成号码 10012345678", "合成号码 100****5678"),
        ("ID140102199001011234phone13812345678", "ID1401**********1234phone138****5678"),
        # Longer runs of digits are other identifiers (timestamps, order numbers): left alone.
        ("1401021990010112345", "1401021990010112345"),
        ("138123456789", "138123456789"),
        ("申报 2026-TY-0001，学号 1234567", "申报 2026-TY-0001，学号 1234567"),
        # Every shape the importers accept: +86, separators anywhere, full-width digits, 15-digit IDs.
        ("+8613812345678", "+86138****5678"),
        ("0086 138 1234 5678", "0086138****5678"),
        ("138-1234-5678", "138****5678"),
        ("138 1234 5678 与 139-8765-4321", "138****5678 与 139****4321"),
        ("13812345678 13987654321", "138****5678 139****4321"),
        ("１３８１２３４５６７８", "138****5678"),
        ("140102 19900101 123x", "1401**********123X"),
        ("10000000000=11010120000101000 X", "100****0000=1101**********000X"),  # found by Hypothesis
        ("１４０１０２１９９００１０１１２３Ｘ", "1401**********123X"),
        ("旧证 140102900101123", "旧证 1401*******1123"),
        ("2026-12-04 13812345678", "2026-12-04 138****5678"),
    ],
)
def test_log_masking_hides_id_and_phone_numbers(text, masked):
    assert mask_personal_numbers(text) == masked


def _record(msg: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("jixing.test", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_log_masking_filter_rewrites_arguments_and_tracebacks():
    try:
        raise ValueError("重复的身份证号 140102199001011234")
    except ValueError:
        record = _record("导入 %s 失败：%s", "13812345678", "见下", exc_info=sys.exc_info())
    assert PersonalDataFilter().filter(record) is True
    formatted = logging.Formatter("%(message)s").format(record)
    assert formatted.splitlines()[0] == "导入 138****5678 失败：见下"
    assert "ValueError: 重复的身份证号 1401**********1234" in formatted
    assert "140102199001011234" not in formatted


def test_log_masking_is_on_every_configured_handler():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("personal_data" in h.get("filters", []) for h in handlers.values())
    # Django's own loggers write through ours, not through its default unfiltered handlers.
    for name in ("django", "django.server"):
        assert [type(f) for h in logging.getLogger(name).handlers for f in h.filters] == [PersonalDataFilter]


def test_log_masking_applies_to_what_the_console_writes():
    [console] = [
        h for h in logging.getLogger().handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    ]
    buffer = io.StringIO()
    previous = console.setStream(buffer)
    try:
        logging.getLogger("jixing.test").error("学员 %s 手机 %s", "140102199001011234", "13812345678")
    finally:
        console.setStream(previous)
    assert buffer.getvalue() == "学员 1401**********1234 手机 138****5678\n"


_SEPARATORS = st.sampled_from(["", "", " ", "-", "\u3000", "  ", "－"])
_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@st.composite
def _typed(draw, number: str) -> str:
    """`number` as a person may type it in a file the importers accept: separators anywhere, maybe
    full-width."""
    text = "".join(ch + draw(_SEPARATORS) for ch in number[:-1]) + number[-1]
    return text.translate(_FULL_WIDTH) if draw(st.booleans()) else text


_DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)


@st.composite
def _personal_number(draw) -> tuple[str, str]:
    """(the number's digits, as typed in a log line)."""
    kind = draw(st.sampled_from(["phone", "id18", "id15"]))
    if kind == "phone":
        number = "1" + draw(_DIGITS)
        prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086-", "86"]))
        return number, prefix + draw(_typed(number))
    area = draw(st.sampled_from(["110101", "140105", "140702", "410105", "650102"]))
    birth = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 12, 31)))
    serial = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    if kind == "id15":
        number = f"{area}{birth:%y%m%d}{serial}"
    else:
        number = f"{area}{birth:%Y%m%d}{serial}{draw(st.sampled_from('0123456789X'))}"
    return number, draw(_typed(number))


_AROUND = st.text(alphabet="学员手机号身份证：，。=() abc", max_size=8)
_APART = st.text(alphabet="学员手机号身份证：，。=()abc", min_size=1, max_size=8)  # not only separators


def _visible(masked: str) -> list[str]:
    """The digits a reader sees in each stretch of the masked line that holds no other character than
    digits and separators."""
    stretches = re.split(r"[^0-9X \-\u3000－]+", unicodedata.normalize("NFKC", masked).upper())
    return [re.sub(r"[^0-9X]", "", stretch) for stretch in stretches]


@given(_AROUND, _personal_number(), _APART, _personal_number(), _AROUND)
def test_every_number_the_importers_accept_is_masked_wherever_it_stands(
    before, first, between, second, after
):
    line = f"{before}{first[1]}{between}{second[1]}{after}"
    masked = mask_personal_numbers(line)
    for number, _typed_as in (first, second):
        assert not any(number in seen for seen in _visible(masked)), (line, masked)
