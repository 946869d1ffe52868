"""A modest per-address limit for the public forms (objections, receipt lookups), so that they cannot be
flooded or used to guess.

Counts attempts (accepted or not) in Django's cache for a fixed window from the first attempt. The cache
is shared by every app process (settings.CACHES: Redis, or the database's own table), so the limit holds
across workers and machines. Redis counts atomically; the database cache reads and writes the count, so two
attempts at the very same moment may count once — a limit against flooding, not an exact quota.
"""

from __future__ import annotations

from django.core.cache import cache

OBJECTIONS_PER_HOUR = 10
# Receipt lookups (the box, and unknown receipts opened by address): enough for anybody checking their
# own few receipts, far too few to guess one (24⁴·10⁴ receipts).
RECEIPT_LOOKUPS_PER_HOUR = 20


def allow(scope: str, address: str | None, *, limit: int, seconds: int) -> bool:
    """Count one attempt of `address` in `scope`; False once it exceeds `limit` within the window."""
    key = f"jixing:throttle:{scope}:{address or 'unknown'}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit
