"""Accounts made in bulk — from a 账号 file (bulk.py) or from the org tree (generation.py) — and their
initial passwords.

An initial password is random (12 characters of 54, about 69 bits), handed over once on an account slip
(jixing/documents/account_slips.py) and must be changed at first login (User.must_change_password, which
AccountGateMiddleware enforces). It is never stored, logged or put in an audit event.

Why a cheaper Argon2 for it: Argon2 with Django's parameters (time 2, 100 MiB, 8 lanes) costs 50–500 ms
a hash, so 2,000 accounts would take minutes. A password of 69 random bits needs no slow hash to resist
guessing (2^69 guesses at a microsecond each is millions of years), and it lives only until the first
login: it is hashed with Argon2id at time 1, 1 MiB, 1 lane (about 1.5 ms). The stored hash still names
its parameters, so Django's own Argon2 hasher verifies it and — its parameters being below the current
ones — rehashes the password with the full parameters at the first successful login
(Argon2PasswordHasher.must_update); the password the user then chooses is hashed in full too.
benchmarks/accounts_import.py measures both.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.db import transaction
from django.utils import timezone

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.orgs.models import Org

# No 0/O/o, 1/I/l/L, U/V/u/v lookalikes: the password is read off paper and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZabcdefghjkmnpqrstwxyz23456789"
LENGTH = 12
BATCH_SIZE = 500


class InitialPasswordHasher(Argon2PasswordHasher):
    """Argon2id with light parameters, for random one-time passwords only (see the module's docstring).
    Its algorithm name is Django's `argon2`: no setting names it, and the product's hasher verifies it."""

    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1


INITIAL_HASHER = InitialPasswordHasher()


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def hash_initial_password(raw: str) -> str:
    """The light Argon2 hash when the product hashes with Argon2; otherwise (tests use MD5) the default."""
    if isinstance(get_hasher("default"), Argon2PasswordHasher):
        return make_password(raw, hasher=INITIAL_HASHER)
    return make_password(raw)


@dataclass(frozen=True)
class IssuedAccount:
    """An account with the password just given to it: what an account slip prints. `password` exists
    only in this object (in memory) and on the slip."""

    username: str
    password: str
    full_name: str
    role: str  # UserRole value
    org_code: str
    org_name: str
    reporting_unit: str  # the name of the 报送单位 above the org, or the province's for province accounts

    @property
    def role_label(self) -> str:
        return UserRole(self.role).label


@dataclass(frozen=True)
class NewAccount:
    """An account to create: who, where, in what role."""

    username: str
    full_name: str
    role: str
    org: Org
    phone: str = ""
    account_id: str = ""


def reporting_unit_names(orgs: Sequence[Org]) -> dict[int, str]:
    """For each org's id, the name its slips are grouped under: its 报送单位, else the root's (province)."""
    ids = {org.reporting_unit_id for org in orgs if org.reporting_unit_id} | {
        int(org.path.strip("/").split("/")[0]) for org in orgs if org.path
    }
    names = dict(Org.objects.filter(pk__in=ids).values_list("pk", "name"))
    out = {}
    for org in orgs:
        if org.reporting_unit_id:
            out[org.pk] = names[org.reporting_unit_id]
        else:
            root = int(org.path.strip("/").split("/")[0]) if org.path else org.pk
            out[org.pk] = names.get(root, org.name)
    return out


def issue(user: User, password: str, *, group: str) -> IssuedAccount:
    assert user.org is not None
    return IssuedAccount(
        username=user.username,
        password=password,
        full_name=user.full_name,
        role=user.role,
        org_code=user.org.code,
        org_name=user.org.name,
        reporting_unit=group,
    )


def create_accounts(accounts: Sequence[NewAccount]) -> list[IssuedAccount]:
    """Insert the accounts, each with a new random password that must be changed at first login, and
    return them with their passwords (for the slips), in the order given.

    Call inside the caller's transaction, which writes the audit event. Bulk-inserted: User.save() is
    not called, so password_changed_at is set here."""
    now = timezone.now()
    groups = reporting_unit_names([a.org for a in accounts])
    passwords = [new_password() for _ in accounts]
    users = [
        User(
            username=a.username,
            full_name=a.full_name,
            role=a.role,
            org=a.org,
            phone=a.phone,
            account_id=a.account_id,
            password=hash_initial_password(password),
            password_changed_at=now,
            date_joined=now,
            must_change_password=True,
        )
        for a, password in zip(accounts, passwords, strict=True)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    return [
        issue(user, password, group=groups[a.org.pk])
        for user, password, a in zip(users, passwords, accounts, strict=True)
    ]


def record_password_change(user: User, *, ip: str | None = None) -> None:
    """The user has chosen a new password (the change-password page has saved it): they are no longer
    held to change it. Side effects: must_change_password cleared; an audit event `password_changed`."""
    with transaction.atomic():
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        record_event(action=AuditAction.PASSWORD_CHANGED, actor=user, target=user, summary="修改密码", ip=ip)
