"""Recognising one person across accounts (G.2, G.3) without comparing plain ID numbers."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

# Hex characters kept of the HMAC-SHA256: 128 bits tell any province's people apart (a collision among 10^8
# people has odds below 10^-20) at half the bytes a snapshot of millions of rows writes and indexes.
PERSON_KEY_LENGTH = 32


def person_key(*, id_number: str, name: str, phone: str) -> str:
    """Keyed hash (blind index) of the ID number, or of 姓名+手机号 when the number is absent.

    The two kinds are prefixed differently so that an ID number can never equal a name+phone pair.
    """
    id_number = id_number.strip().upper()
    material = f"id:{id_number}" if id_number else f"np:{name.strip()}|{phone.strip()}"
    digest = hmac.new(settings.BLIND_INDEX_KEY.encode(), material.encode(), hashlib.sha256).hexdigest()
    return digest[:PERSON_KEY_LENGTH]


def person_key_pads() -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer padded keys for BLIND_INDEX_KEY (RFC 2104), so that SQL engines with
    only a plain SHA-256 (DuckDB at import) compute the very `person_key` above for millions of rows."""
    key = settings.BLIND_INDEX_KEY.encode()
    if len(key) > hashlib.sha256().block_size:
        key = hashlib.sha256(key).digest()
    key = key.ljust(hashlib.sha256().block_size, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def person_key_sql(*, id_number: str, name: str, phone: str) -> str:
    """DuckDB expression of `person_key` over three stripped text expressions; parameters $ipad, $opad
    (from person_key_pads). tests/people/domain/test_identity.py checks it equals person_key."""
    material = (
        f"CASE WHEN {id_number} <> '' THEN 'id:' || {id_number} ELSE 'np:' || {name} || '|' || {phone} END"
    )
    return f"left(sha256($opad || unhex(sha256($ipad || encode({material})))), {PERSON_KEY_LENGTH})"
