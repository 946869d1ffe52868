"""A learner claims his own account: 学号, 姓名 and 身份证号 checked against the current snapshot.

The snapshot keeps no ID number, only its keyed hash (people.domain.identity.person_key): the number typed
is hashed the same way and the two hashes compared. Nothing typed is stored — neither the number nor the
name; a failed claim keeps only the 学号 and the address, for the throttle.

Every kind of mismatch (a 学号 the snapshot does not have, another name, another ID number, a row without
an ID number) gets the one message MISMATCH and counts as one failure: the page never tells which of the
three was wrong, so it cannot be used to learn whether a 学号 exists or whose it is. Only someone who typed
all three right learns that the 学号 already has an account (ALREADY_CLAIMED).

The throttle counts failures of the last 30 minutes (login's WINDOW) in ClaimFailure, as the login
throttle counts LoginFailure (domain/throttle.py), but in a table of its own so that learners claiming
behind one school gateway never lock that address out of logging in:

1. **学号 at one address**: 5 failures lock that 学号 at that address for 15 minutes;
2. **学号 from everywhere**: 10 failures lock the 学号 at every address for 15 minutes — guessing one
   person's ID number from many addresses gets no further than from one (the owner waits too, at most a
   quarter of an hour, or asks the unit);
3. **Address**: 30 failures, whatever the 学号, lock the address for 15 minutes (a class claiming in one
   computer room mistypes now and then; one address trying many 学号 does not get far).

Attempts refused by a lock are not counted and not checked. A successful claim clears its pair's failures.
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jixing.accounts.domain.throttle import KEEP, LOCK, WINDOW
from jixing.accounts.enums import UserRole
from jixing.accounts.models import ClaimFailure, User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.people.domain.identity import person_key
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner
from jixing.refusals import Refused

PAIR_MAX_FAILURES = 5
ACCOUNT_MAX_FAILURES = 10
ADDRESS_MAX_FAILURES = 30

MISMATCH = (
    "学号、姓名或身份证号与积分快照中的信息不一致，请核对后重新输入。如确认无误，请联系所在单位管理员。"
)
ALREADY_CLAIMED = "该学号已有账号，请用学号和密码登录。忘记密码或无法登录，请联系所在单位管理员。"


class ClaimRefused(Refused):
    """A claim refused: MISMATCH, ALREADY_CLAIMED or a lock's message (`locked` then says until when)."""

    def __init__(self, message: str, *, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class ClaimRequest:
    account_id: str
    name: str
    id_number: str  # as typed; normalised by the form (tables.checks.check_id_number)
    password: str


def normalise_account_id(account_id: str) -> str:
    # The snapshot's 学号 are stored as imported (digits, letters, '-' or '_'): blanks around do not count.
    return account_id.strip()[:64]


def normalise_name(name: str) -> str:
    """Full-width forms made plain (NFKC) and every blank removed: 「王 晓明」 is 「王晓明」."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _pair(account_id: str, ip: str | None) -> QuerySet[ClaimFailure]:
    failures = ClaimFailure.objects.filter(account_id=account_id.lower())
    return failures.filter(ip=ip) if ip else failures.filter(ip__isnull=True)


def _locked_until(failures: QuerySet[ClaimFailure], now: datetime, limit: int) -> datetime | None:
    found = failures.filter(at__gt=now - WINDOW, at__lte=now).aggregate(count=Count("id"), latest=Max("at"))
    latest = found["latest"]
    if found["count"] < limit or latest is None or latest + LOCK <= now:
        return None
    return latest + LOCK


def claim_lock(*, account_id: str, ip: str | None, now: datetime | None = None) -> datetime | None:
    """Until when a claim of `account_id` from `ip` is refused unchecked, if it is now."""
    now = now or timezone.now()
    account_id = normalise_account_id(account_id)
    locks = [
        _locked_until(_pair(account_id, ip), now, PAIR_MAX_FAILURES),
        _locked_until(ClaimFailure.objects.filter(account_id=account_id.lower()), now, ACCOUNT_MAX_FAILURES),
        _locked_until(ClaimFailure.objects.filter(ip=ip), now, ADDRESS_MAX_FAILURES) if ip else None,
    ]
    return max((until for until in locks if until is not None), default=None)


def lock_message(until: datetime) -> str:
    # Rounded up to the minute: "14:35 后" must never be a moment when the lock still holds.
    when = timezone.localtime(until + timedelta(seconds=59)).strftime("%H:%M")
    return f"核验未通过的次数过多，为保护学员信息，认领已暂停 15 分钟，请于 {when} 后再试。"


def _matches(learner: Learner | None, *, name: str, key: str) -> bool:
    if learner is None:
        return False
    # Both compared in full, in constant time for the hash: the answer takes as long whichever is wrong.
    same_key = hmac.compare_digest(learner.person_key, key)
    same_name = hmac.compare_digest(normalise_name(learner.name).encode(), normalise_name(name).encode())
    return same_key and same_name


def _existing_account(account_id: str) -> User | None:
    # The learner account of this 学号, or any account already named by it (username is unique).
    return (
        User.objects.filter(Q(role=UserRole.LEARNER, account_id=account_id) | Q(username__iexact=account_id))
        .order_by("pk")
        .first()
    )


def _refuse_claimed(existing: User, password: str) -> User:
    """The same person sending the same form twice (a double tap): the account the first request made,
    whose password is the one typed now, is his — let him in. Anyone else: ALREADY_CLAIMED."""
    if existing.role == UserRole.LEARNER and existing.is_active and existing.check_password(password):
        return existing
    raise ClaimRefused(ALREADY_CLAIMED)


def _fail(account_id: str, ip: str | None, now: datetime) -> NoReturn:
    """Count one failure (and drop rows older than a day) and write it to the audit chain — the 学号 only:
    never the name or the number that was typed."""
    with transaction.atomic():
        ClaimFailure.objects.filter(at__lt=now - KEEP).delete()
        ClaimFailure.objects.create(account_id=account_id.lower(), ip=ip, at=now)
        record_event(
            action=AuditAction.ACCOUNT_CLAIM_FAILED, summary=f"认领账号核验未通过：学号 {account_id}", ip=ip
        )
    until = claim_lock(account_id=account_id, ip=ip, now=now)
    if until is not None:  # this failure locks: say so now, not at the next try
        raise ClaimRefused(f"{MISMATCH}{lock_message(until)}", locked_until=until)
    raise ClaimRefused(MISMATCH)


def claim_account(*, request: ClaimRequest, ip: str | None, now: datetime | None = None) -> User:
    """Create the learner account of `request.account_id` once 学号, 姓名 and 身份证号 match one row of the
    current snapshot; its password is the one typed (validated by the form).

    The account: username and account_id the 学号, role LEARNER, org the learner's unit (his own node when
    the snapshot knows no unit), full_name the snapshot's name. Side effects: creates the user and writes
    ACCOUNT_CLAIMED in one transaction, clears this 学号's failures from this address. A mismatch counts a
    ClaimFailure and writes ACCOUNT_CLAIM_FAILED. Raises ClaimRefused: locked (nothing checked or counted),
    MISMATCH, or ALREADY_CLAIMED (after a full match only). Returns the existing account instead when it
    was made by this very claim a moment ago (a second tap of the button, the same password).
    """
    now = now or timezone.now()
    account_id = normalise_account_id(request.account_id)
    until = claim_lock(account_id=account_id, ip=ip, now=now)
    if until is not None:
        raise ClaimRefused(lock_message(until), locked_until=until)
    key = person_key(id_number=request.id_number, name="", phone="")
    snapshot = current_snapshot()
    learner = None
    if snapshot is not None and account_id:
        learner = (
            Learner.objects.filter(snapshot=snapshot, account_id=account_id)
            .select_related("org", "unit")
            .first()
        )
    if learner is None or not request.id_number.strip() or not _matches(learner, name=request.name, key=key):
        _fail(account_id, ip, now)
    existing = _existing_account(learner.account_id)
    if existing is not None:
        return _refuse_claimed(existing, request.password)
    org = learner.unit or learner.org
    try:
        with transaction.atomic():
            user = User(
                username=learner.account_id,
                account_id=learner.account_id,
                role=UserRole.LEARNER,
                org=org,
                full_name=learner.name,
            )
            user.set_password(request.password)
            user.save()
            record_event(
                action=AuditAction.ACCOUNT_CLAIMED,
                actor=user,
                target=user,
                summary=f"学员认领账号：{learner.name}（学号 {learner.account_id}），{org.name}",
                after={"username": user.username, "role": user.role, "org": org.code},
                ip=ip,
            )
    except IntegrityError:
        # The username was taken between the look above and the insert: a second request of the same
        # form (a double tap) that made the account first, or another claim of the same 学号.
        existing = _existing_account(learner.account_id)
        if existing is None:
            raise
        return _refuse_claimed(existing, request.password)
    _pair(account_id, ip).delete()
    return user
