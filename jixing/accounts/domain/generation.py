"""The accounts the org tree implies: a 单位管理员 for every 单位, a 报送单位审核员 for every 报送单位.

An org that already has an account of that role (enabled or not) gets none: running it again after new
units were imported makes accounts for the new units only. The name comes from the 管理员 role of the
roles file held at that org (for a 报送单位, its 审核员 when it has no 管理员), looked up in the current
snapshot; the 学号 is kept on the account. The snapshot keeps only masked phone numbers, so such accounts
have none until someone types one. Without a role holder the account is named after its org.

Usernames: `dw-<组织编码>` for a unit's administrator, `bs-<组织编码>` for a reporting unit's reviewer
(单位, 报送 in pinyin initials), with `-2`, `-3` … when taken; characters a username may not hold become `-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jixing.accounts.domain.provisioning import IssuedAccount, NewAccount, create_accounts
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.orgs.domain.trees import orgs_in, running_tree_id
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.queries import current_snapshot
from jixing.people.enums import RoleKind
from jixing.people.models import Learner, Role

# Which role each level's org gets, the username prefix, and whose role in the roles file names it.
IMPLIED = {
    OrgLevel.UNIT: (UserRole.UNIT_ADMIN, "dw", (RoleKind.ADMINISTRATOR,)),
    OrgLevel.REPORTING_UNIT: (UserRole.REPORTING_REVIEWER, "bs", (RoleKind.ADMINISTRATOR, RoleKind.REVIEWER)),
}
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")


@dataclass(frozen=True)
class GenerationResult:
    created: list[IssuedAccount]
    existing: int  # orgs that already had their account

    @property
    def summary(self) -> str:
        return f"按组织架构生成账号：新建 {len(self.created)} 个，已有账号的组织 {self.existing} 个"


def _holders(orgs: list[Org]) -> dict[tuple[int, str], tuple[str, str]]:
    """(org id, role kind) → (学号, 姓名) of the first holder by 学号, named from the current snapshot."""
    kinds = {kind for _, _, kinds in IMPLIED.values() for kind in kinds}
    org_ids = {org.pk for org in orgs}
    roles = sorted(
        (r for r in Role.objects.filter(kind__in=kinds, org__level__in=list(IMPLIED))
         .values_list("org_id", "kind", "account_id") if r[0] in org_ids),
        key=lambda r: r[2],
    )  # fmt: skip
    snapshot = current_snapshot()
    names: dict[str, str] = {}
    if snapshot is not None:
        accounts = sorted({r[2] for r in roles})
        for start in range(0, len(accounts), 500):
            names.update(
                Learner.objects.filter(snapshot=snapshot, account_id__in=accounts[start : start + 500])
                .values_list("account_id", "name")
            )  # fmt: skip
    holders: dict[tuple[int, str], tuple[str, str]] = {}
    for org_id, kind, account in roles:
        holders.setdefault((org_id, kind), (account, names.get(account, "")))
    return holders


def missing_accounts() -> int:
    """How many accounts the tree implies and lacks (what 按组织架构生成账号 would make), in two queries."""
    have = set(
        User.objects.filter(role__in=[role for role, _, _ in IMPLIED.values()], org__isnull=False)
        .values_list("org_id", "role")
    )  # fmt: skip
    return sum(
        (pk, IMPLIED[OrgLevel(level)][0]) not in have
        for pk, level in orgs_in(running_tree_id()).filter(level__in=list(IMPLIED)).values_list("pk", "level")
    )


def implied_accounts() -> tuple[list[NewAccount], int]:
    """The accounts the tree implies and lacks, and how many orgs already have theirs."""
    orgs = list(orgs_in(running_tree_id()).filter(level__in=list(IMPLIED)).order_by("path"))
    have = set(
        User.objects.filter(role__in=[role for role, _, _ in IMPLIED.values()], org__isnull=False)
        .values_list("org_id", "role")
    )  # fmt: skip
    lacking = [org for org in orgs if (org.pk, IMPLIED[OrgLevel(org.level)][0]) not in have]
    holders = _holders(lacking)
    taken = set(User.objects.values_list("username", flat=True))
    planned = []
    for org in lacking:
        role, prefix, kinds = IMPLIED[OrgLevel(org.level)]
        holder = next((holders[(org.pk, k)] for k in kinds if (org.pk, k) in holders), None)
        username = _free_username(f"{prefix}-{_NOT_IN_USERNAME.sub('-', org.code)}"[:140], taken)
        taken.add(username)
        planned.append(
            NewAccount(
                username=username,
                full_name=(holder[1] if holder else "") or org.name,
                role=role,
                org=org,
                account_id=holder[0] if holder else "",
            )
        )
    return planned, len(orgs) - len(lacking)


def _free_username(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def generate_org_accounts(
    *, actor: Any = None, ip: str | None = None, limit: int | None = None
) -> GenerationResult:
    """Make the accounts the org tree implies and lacks (see the module's docstring), each with a random
    password to be changed at first login, returned for the slips and nowhere else. With `limit`, only
    the first `limit` of them in tree order (the page makes them in batches; press again for the next).

    Side effects, in one transaction: the accounts inserted; an audit event `accounts.generate` naming
    each new account (never its password) — also when none was needed."""
    with transaction.atomic():
        # Locked: two province admins pressing the button at once would make each unit's account twice.
        list(Org.objects.select_for_update().filter(level=OrgLevel.PROVINCE).values_list("pk", flat=True))
        planned, existing = implied_accounts()
        if limit is not None:
            planned = planned[:limit]
        created = create_accounts(planned)
        result = GenerationResult(created, existing)
        record_event(
            action=AuditAction.ACCOUNTS_GENERATE,
            actor=actor,
            summary=result.summary,
            after={
                "created": [{"username": a.username, "org": a.org_code, "role": a.role} for a in created],
                "existing": existing,
            },
            ip=ip,
        )
    return result
