"""Personal numbers never reach a log: a filter on every handler masks ID numbers and phone numbers.

Logs travel further than the database (to files, collectors, support tickets), so what the platform holds
encrypted must not leak there through an error message, a SQL parameter or a request path.
"""

from __future__ import annotations

import logging
import re
import unicodedata

# Every shape the importers accept (tables.checks): ID numbers of 18 characters (the last may be X) or 15
# digits, mobile numbers of 11 digits, possibly after +86/0086/86 — with spaces (also U+3000 and no-break),
# hyphens (also full-width) anywhere between the digits, and full-width digits. A run of digits with such
# separators is read in its groups, and each stretch of consecutive groups that spells a number is masked
# (the longest first), so that two numbers one space apart are both found, while a longer run of digits with
# no separator (a timestamp in ms, an order number) is another identifier and left alone.
_DIGIT = "0-9\uff10-\uff19"
_SEPARATOR = " \u00a0\u3000\\-\u2010-\u2015\uff0d"
_X = "Xx\uff38\uff58"  # an ID number's last character, typed after a separator too
_RUN = re.compile(
    rf"[+\uff0b]?[{_DIGIT}]+(?:[{_SEPARATOR}]+[{_DIGIT}]+)*(?:[{_SEPARATOR}]*[{_X}])?(?![{_DIGIT}])"
)
_GROUP = re.compile(rf"[+\uff0b]?[{_DIGIT}]+[{_X}]?|[{_X}]")
_ID_18 = re.compile(r"[0-9]{17}[0-9X]")
# A 15-digit number is an ID number only with a province's code and a birth date (YYMMDD) in place: runs of
# 15 digits are common enough (a date beside a phone) to need more than the length.
_ID_15 = re.compile(
    r"(?:[1-6][0-9]|71|8[1-3])[0-9]{4}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}"
)
_PHONE = re.compile(r"(\+?(?:0086|86))?(1[0-9]{10})")
_LONGEST = 4 + 18  # characters of digits a number may take: +0086 and a phone, or an ID number


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def _masked(digits: str) -> str | None:
    """The masked form of a number spelt by `digits` (ASCII, no separators), or None if it spells none."""
    if _ID_18.fullmatch(digits):
        return f"{digits[:4]}{'*' * 10}{digits[-4:]}"
    if phone := _PHONE.fullmatch(digits):  # before the 15-digit ID: 0086 and a phone are 15 digits too
        number = phone.group(2)
        return f"{phone.group(1) or ''}{number[:3]}****{number[-4:]}"
    if _ID_15.fullmatch(digits):
        return f"{digits[:4]}{'*' * 7}{digits[-4:]}"
    return None


def _mask_run(run: re.Match[str]) -> str:
    text = run.group(0)
    groups = list(_GROUP.finditer(text))
    spelt = [_ascii(g.group(0)) for g in groups]
    out, done, i = [], 0, 0
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):  # the longest stretch from group i that spells a number
            digits = "".join(spelt[i : j + 1])
            if len(digits) <= _LONGEST and (masked := _masked(digits)) is not None:
                out += [text[done : groups[i].start()], masked]
                done, i = groups[j].end(), j + 1
                break
        else:
            i += 1
    return "".join(out) + text[done:]


def mask_personal_numbers(text: str) -> str:
    """`140102199001011234` → `1401**********1234`, `138 1234 5678` → `138****5678`,
    `+8613812345678` → `+86138****5678`."""
    return _RUN.sub(_mask_run, text)


class PersonalDataFilter(logging.Filter):
    """Rewrites the record in place (message, traceback, stack) and always lets it through."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not silence the record
            message = str(record.msg)
        record.msg, record.args = mask_personal_numbers(message), None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the masked traceback is what gets written.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_numbers(record.stack_info)
        return True
