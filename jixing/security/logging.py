"""Personal numbers never reach a log: a filter on every handler masks ID numbers and phone numbers.

Logs travel further than the database (to files, collectors, support tickets), so what the platform holds
encrypted must not leak there through an error message, a SQL parameter or a request path.
"""

from __future__ import annotations

import logging
import re

# 18-character resident ID numbers (17 digits and a check digit that may be X) and 11-digit mobile numbers,
# not when they are part of a longer run of digits (those are other identifiers, e.g. timestamps in ms).
_ID_NUMBER = re.compile(r"(?<!\d)(\d{4})\d{10}(\d{3}[0-9Xx])(?!\d)")
_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_personal_numbers(text: str) -> str:
    """`140102199001011234` → `1401**********1234`, `13812345678` → `138****5678`."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


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
