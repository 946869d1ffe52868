"""Login throttle: slow the guesser down without locking the owner out everywhere.

Three limits, all counted over the failures of the last 30 minutes (WINDOW):

1. **Account at one address** (the pair): 5 failures of one account from one address lock that account *at
   that address* for 15 minutes. The same account from any other address is not locked, so a guesser who
   knows a username cannot keep its owner out.
2. **Address**: 20 failures from one address, whatever the accounts, lock the address for 15 minutes
   (one address trying a common password on many accounts). Higher than the pair's 5, because an office's
   people often share one address behind its gateway.
3. **Account from everywhere** (the slow-down): once an account has 5 failures from all addresses together,
   every address that has itself failed on it must wait before its next try — 15 seconds after its latest
   failure, doubling with each further failure of the account, at most 15 minutes. Guessing from many
   addresses thus gets slower the more it guesses. An address that has not failed on the account (the owner
   on another network) is never made to wait, so the owner always gets tries.

Failures are rows in the database (LoginFailure), so every app process counts the same ones. The limits
slide: a pair or address is locked while it has enough failures in the window and the newest is under 15
minutes old; after that, failures still inside the window count, so a persistent guesser gets one try per
15 minutes until they age out.

Attempts refused by a limit are not counted (the password is not even checked), so hammering does not
extend a lock. A successful login clears the failures of its own pair only: it does not unlock a guesser's
address, and the account's failures from elsewhere still slow the guessers down.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from jixing.accounts.models import LoginFailure

WINDOW = timedelta(minutes=30)
LOCK = timedelta(minutes=15)
PAIR_MAX_FAILURES = 5
ADDRESS_MAX_FAILURES = 20
ACCOUNT_FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=15)
# Rows older than this are of no use to the throttle; the audit log keeps every failure for good.
KEEP = timedelta(days=1)


class LockKind(enum.StrEnum):
    PAIR = "pair"  # this account from this address
    ADDRESS = "address"  # this address, for every account
    SLOWED = "slowed"  # this account is being guessed at from several addresses: wait between tries


@dataclass(frozen=True)
class LoginLock:
    until: datetime
    kind: LockKind


def normalise_username(username: str) -> str:
    # Case and surrounding blanks do not make another account to guess at.
    return username.strip().lower()[:150]


def _pair(username: str, ip: str | None) -> QuerySet[LoginFailure]:
    failures = LoginFailure.objects.filter(username=normalise_username(username))
    # Requests without a usable address share one "address": they are still counted, never exempt.
    return failures.filter(ip=ip) if ip else failures.filter(ip__isnull=True)


def _recent(failures: QuerySet[LoginFailure], now: datetime) -> tuple[int, datetime | None]:
    found = failures.filter(at__gt=now - WINDOW, at__lte=now).aggregate(count=Count("id"), latest=Max("at"))
    return found["count"], found["latest"]


def _locked_until(failures: QuerySet[LoginFailure], now: datetime, limit: int) -> datetime | None:
    count, latest = _recent(failures, now)
    if count < limit or latest is None or latest + LOCK <= now:
        return None
    return latest + LOCK


def slow_down_wait(account_failures: int) -> timedelta:
    """How long an address that failed on an account waits after its latest failure, given the account's
    failures from all addresses in the window: nothing up to 5, then 15 s doubling up to 15 minutes."""
    if account_failures < ACCOUNT_FREE_FAILURES:
        return timedelta(0)
    doublings = min(account_failures - ACCOUNT_FREE_FAILURES, 16)  # 15 s × 2^16 is far past the cap
    return min(FIRST_WAIT * 2**doublings, LOCK)


def _slowed_until(username: str, ip: str | None, now: datetime) -> datetime | None:
    _, pair_latest = _recent(_pair(username, ip), now)
    if pair_latest is None:  # this address has not failed on the account: never made to wait
        return None
    account_count, _ = _recent(LoginFailure.objects.filter(username=normalise_username(username)), now)
    until = pair_latest + slow_down_wait(account_count)
    return until if until > now else None


def login_lock(*, username: str, ip: str | None, now: datetime | None = None) -> LoginLock | None:
    """What stops this attempt now, if anything: the pair's lock, the address's lock or the account's
    slow-down, whichever ends last."""
    now = now or timezone.now()
    found = [
        LoginLock(until=until, kind=kind)
        for kind, until in (
            (LockKind.PAIR, _locked_until(_pair(username, ip), now, PAIR_MAX_FAILURES)),
            (
                LockKind.ADDRESS,
                _locked_until(LoginFailure.objects.filter(ip=ip), now, ADDRESS_MAX_FAILURES) if ip else None,
            ),
            (LockKind.SLOWED, _slowed_until(username, ip, now)),
        )
        if until is not None
    ]
    return max(found, key=lambda lock: lock.until, default=None)


def record_login_failure(*, username: str, ip: str | None, now: datetime | None = None) -> None:
    """Count one failed password. Side effect: drops rows older than a day (a cheap, bounded prune)."""
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lt=now - KEEP).delete()
    LoginFailure.objects.create(username=normalise_username(username), ip=ip, at=now)


def clear_login_failures(*, username: str, ip: str | None) -> None:
    """After a successful login: this account's failures from this address no longer count. Its failures
    from other addresses stay (a guesser's locked address stays locked), and so do this address's failures
    on other accounts."""
    _pair(username, ip).delete()


def forget_login_failures(username: str) -> None:
    """After the account's password was reset: its failures from every address no longer count (they were
    guesses at the old password). Other accounts' failures, and so the address limit, are untouched."""
    LoginFailure.objects.filter(username=normalise_username(username)).delete()
