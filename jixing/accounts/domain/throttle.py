"""Login throttle: 5 failed passwords within 30 minutes lock an account, or an address, for 15 minutes.

Failures are rows in the database (LoginFailure), so every app process counts the same ones. The window
slides: a key is locked while it has at least 5 failures in the last 30 minutes and the newest of them is
under 15 minutes old. After the lock ends, failures still inside the 30-minute window count, so a
persistent guesser gets one try per 15 minutes until they age out; a patient user gets 5 fresh tries at
most 30 minutes after the last mistake.

Attempts refused by the lock are not counted (the password is not even checked), so hammering a locked
account does not extend its lock. A successful login clears its own account's failures only: the
address's failures against other accounts still count (someone who knows one password cannot use it to
reset the address counter while guessing another account's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from jixing.accounts.models import LoginFailure

MAX_FAILURES = 5
WINDOW = timedelta(minutes=30)
LOCK = timedelta(minutes=15)
# Rows older than this are of no use to the throttle; the audit log keeps every failure for good.
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class LoginLock:
    until: datetime
    by_address: bool  # locked because of the address's failures (not only the account's)


def normalise_username(username: str) -> str:
    # Case and surrounding blanks do not make another account to guess at.
    return username.strip().lower()[:150]


def _locked_until(failures, now: datetime) -> datetime | None:
    recent = failures.filter(at__gt=now - WINDOW, at__lte=now).aggregate(latest=Max("at"), count=Count("id"))
    if recent["count"] < MAX_FAILURES or recent["latest"] + LOCK <= now:
        return None
    return recent["latest"] + LOCK


def login_lock(*, username: str, ip: str | None, now: datetime | None = None) -> LoginLock | None:
    """The lock that stops this attempt now, if any: the account's or the address's, whichever ends later."""
    now = now or timezone.now()
    by_account = _locked_until(LoginFailure.objects.filter(username=normalise_username(username)), now)
    by_address = _locked_until(LoginFailure.objects.filter(ip=ip), now) if ip else None
    if by_account is None and by_address is None:
        return None
    if by_address is not None and (by_account is None or by_address > by_account):
        return LoginLock(until=by_address, by_address=True)
    return LoginLock(until=by_account, by_address=False)  # type: ignore[arg-type]


def record_login_failure(*, username: str, ip: str | None, now: datetime | None = None) -> None:
    """Count one failed password. Side effect: drops rows older than a day (a cheap, bounded prune)."""
    now = now or timezone.now()
    LoginFailure.objects.filter(at__lt=now - KEEP).delete()
    LoginFailure.objects.create(username=normalise_username(username), ip=ip, at=now)


def clear_login_failures(*, username: str) -> None:
    """After a successful login: the account's own failures no longer count, from any address."""
    LoginFailure.objects.filter(username=normalise_username(username)).delete()
