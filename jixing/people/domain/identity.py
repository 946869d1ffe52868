"""Recognising one person across accounts (G.2, G.3) without comparing plain ID numbers."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def person_key(*, id_number: str, name: str, phone: str) -> str:
    """Keyed hash (blind index) of the ID number, or of 姓名+手机号 when the number is absent.

    The two kinds are prefixed differently so that an ID number can never equal a name+phone pair.
    """
    id_number = id_number.strip().upper()
    material = f"id:{id_number}" if id_number else f"np:{name.strip()}|{phone.strip()}"
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), material.encode(), hashlib.sha256).hexdigest()
