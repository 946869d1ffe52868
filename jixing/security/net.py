"""The address a request came from, as far as this deployment can trust it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, or — behind JIXING_PROXY_COUNT trusted reverse proxies — the address the outermost of
    them received the request from. Only the proxies' own entries of X-Forwarded-For are believed: anything
    further left was written by the client and could be forged to dodge the per-address login throttle."""
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.JIXING_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # With N proxies, the last N-1 entries were appended by inner proxies; the one before is the client as
    # seen by the outermost proxy. REMOTE_ADDR is the innermost proxy itself.
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote
