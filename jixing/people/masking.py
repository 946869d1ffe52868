"""Masked forms of personal numbers: what every page shows unless a role needs the whole value.

Masking keeps the ends people recognise a number by (an ID's area code and last digits, a phone's network
prefix and last four digits), enough to tell namesakes apart and to confirm "is that you?" on the phone,
while the middle — birth date, subscriber number — is never shown.
"""

from __future__ import annotations


def _mask(value: str, *, head: int, tail: int) -> str:
    value = value.strip()
    if len(value) <= head + tail:
        # Too short to keep both ends without showing nearly all of it: hide it whole.
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """`14010019900101123X` → `1401**********123X`: first 4 and last 4 characters; empty stays empty."""
    return _mask(value, head=4, tail=4)


def mask_phone(value: str) -> str:
    """`10012345678` → `100****5678`: first 3 and last 4 digits; empty stays empty."""
    return _mask(value, head=3, tail=4)
