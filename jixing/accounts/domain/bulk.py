"""Importing the 账号 template: the staff's sign-in accounts, each with a random initial password.

A row whose 用户名 is new becomes an account; a row naming an existing account of the same 组织编码 and
角色 is left as it is (a file may be imported again after new rows were added to it: the accounts made
the first time keep their passwords). A 用户名 held by an account of another org or role is an error: who
an account is changes only through accounts.domain.access, audited field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from jixing.accounts.domain.provisioning import IssuedAccount, NewAccount, create_accounts
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.orgs.domain.trees import orgs_in, running_tree_id
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.tables import ACCOUNTS_TEMPLATE, ImportRefused, Problem, ProblemList, Row, read_table
from jixing.tables.reading import Source

__all__ = ["AccountImportResult", "ImportRefused", "import_accounts", "validate_account_rows"]

NO_ROWS = "文件中没有数据行"
# The org level each role's account must belong to.
ROLE_LEVELS = {
    UserRole.PROVINCE_ADMIN: OrgLevel.PROVINCE,
    UserRole.REPORTING_REVIEWER: OrgLevel.REPORTING_UNIT,
    UserRole.UNIT_ADMIN: OrgLevel.UNIT,
}
ROLE_BY_LABEL = {role.label: role for role in ROLE_LEVELS}
_username_validator = UnicodeUsernameValidator()


@dataclass(frozen=True)
class AccountImportResult:
    created: list[IssuedAccount]
    unchanged: int
    warnings: list[Problem] = field(default_factory=list)
    warnings_omitted: int = 0

    @property
    def summary(self) -> str:
        return f"账号导入完成：新建 {len(self.created)} 个，已存在未变化 {self.unchanged} 个"


def _valid_username(value: str) -> bool:
    try:
        _username_validator(value)
    except ValidationError:
        return False
    return True


def validate_account_rows(
    rows: list[Row], *, orgs: dict[str, Org], existing: dict[str, User], errors: ProblemList
) -> list[Row]:
    """Check the rows against themselves, the org tree and the stored accounts; add to `errors`. Returns
    the rows that make new accounts."""
    first: dict[str, int] = {}
    new: list[Row] = []
    for row in rows:
        username, org_code, label = row["username"], row["org_code"], row["role"]
        if username:
            if not _valid_username(username):
                errors.add(row.number, "用户名", username, "用户名只能包含汉字、字母、数字和 @ . + - _")
            elif username in first:
                errors.add(row.number, "用户名", username, f"用户名重复（与第 {first[username]} 行重复）")
            else:
                first[username] = row.number
        org = orgs.get(org_code) if org_code else None
        if org_code and org is None:
            errors.add(row.number, "组织编码", org_code, "组织编码不存在")
        role = ROLE_BY_LABEL.get(label) if label else None
        if org is not None and role is not None and org.level != ROLE_LEVELS[role]:
            errors.add(
                row.number,
                "角色",
                label,
                f"{label}只能属于{ROLE_LEVELS[role].label}组织，“{org.name}”是{org.level}",
            )
        user = existing.get(username) if username else None
        if user is None:
            new.append(row)
        elif org is not None and role is not None and (user.role != role or user.org_id != org.pk):
            where = user.org.name if user.org is not None else "无组织"
            errors.add(
                row.number,
                "用户名",
                username,
                f"用户名已被使用（{where}的{UserRole(user.role).label}），请换一个用户名",
            )
    return new


def import_accounts(
    file: Source, *, actor: Any = None, ip: str | None = None, max_new: int | None = None
) -> AccountImportResult:
    """Import a 账号 file: make an account for every new 用户名, with a random password to be changed at
    first login, returned (with the accounts) for the slips and nowhere else.

    Refused whole (ImportRefused, nothing stored) on any error: cells, duplicate 用户名, unknown
    组织编码, a role that does not suit its org's level, a 用户名 taken by another org's or role's account;
    more than `max_new` new accounts (the page's cap: their slips are built within one request).

    Side effects, in one transaction: the accounts inserted; an audit event `accounts.import` naming each
    new account (never its password)."""
    reader = read_table(file, ACCOUNTS_TEMPLATE)
    rows = reader.read_all()
    errors, warnings = reader.errors, reader.warnings
    if not reader.header_ok:
        raise ImportRefused(errors, warnings)
    if not rows and not errors:
        errors.add(None, "", "", NO_ROWS)
    codes = {row["org_code"] for row in rows if row["org_code"]}
    orgs = {org.code: org for org in _in_chunks(orgs_in(running_tree_id()), "code", codes)}
    with transaction.atomic():
        usernames = {row["username"] for row in rows if row["username"]}
        existing = {
            u.username: u for u in _in_chunks(User.objects.select_related("org"), "username", usernames)
        }
        new_rows = validate_account_rows(rows, orgs=orgs, existing=existing, errors=errors)
        if max_new is not None and len(new_rows) > max_new:
            errors.add(
                None, "", len(new_rows),
                f"网页一次最多新建 {max_new} 个账号（其账号单在本次下载中生成），本文件将新建 {len(new_rows)} 个："
                "请拆分为多个文件分批导入，或由运维人员用命令 jixing import-accounts 导入",
            )  # fmt: skip
        if errors:
            raise ImportRefused(errors, warnings)
        created = create_accounts(
            [
                NewAccount(
                    username=row["username"],
                    full_name=row["full_name"],
                    role=ROLE_BY_LABEL[row["role"]],
                    org=orgs[row["org_code"]],
                    phone=row["phone"],
                )
                for row in new_rows
            ]
        )
        result = AccountImportResult(created, len(rows) - len(created), warnings.sorted(), warnings.omitted)
        record_event(
            action=AuditAction.ACCOUNTS_IMPORT,
            actor=actor,
            summary=result.summary,
            after={"created": _listed(created), "unchanged": result.unchanged},
            ip=ip,
        )
    return result


def _listed(accounts: list[IssuedAccount]) -> list[dict[str, str]]:
    """What the audit event keeps of each new account: who, where, in what role — never the password."""
    return [{"username": a.username, "org": a.org_code, "role": a.role} for a in accounts]


def _in_chunks(queryset, field_name: str, values: set[str], size: int = 500) -> list:
    # Chunked: SQLite limits the number of parameters of one query.
    ordered = sorted(values)
    found: list = []
    for start in range(0, len(ordered), size):
        found.extend(queryset.filter(**{f"{field_name}__in": ordered[start : start + size]}))
    return found
