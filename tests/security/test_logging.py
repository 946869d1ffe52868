import io
import logging
import sys

import pytest
from django.conf import settings

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
