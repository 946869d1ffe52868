"""The demo's sign-in accounts: one per role at least, each with a readable, fixed demo password.

`province` (省平台管理员, also Django admin), one 报送单位审核员 per reporting unit (`taiyuan`, `datong`, …,
`szjg`, `jygw`, …), `school` (单位管理员 of a middle school in 太原's 清徐县), `learner` (申报人, the
school's top learner, who has a draft of his own) and `volunteers` (志愿者工作群管理人员, who scores the
优秀志愿者 nominations: plan 7.3).
"""

from __future__ import annotations

import unicodedata

from jixing.accounts.enums import UserRole
from jixing.demo.places import CITIES, COMMITTEES, PROVINCE_CODE
from jixing.demo.plan import LearnerPlan, OrgPlan, RolePlan, UserPlan
from jixing.orgs.enums import OrgLevel, Sector
from jixing.people.enums import RoleKind

DEMO_PASSWORD = "jixing-demo-2022"
DEMO_URL = "http://127.0.0.1:8000"
VOLUNTEER_MANAGER_USERNAME = "volunteers"
REPORTING_USERNAMES: dict[str, str] = {c.code: c.username for c in CITIES} | {
    c.code: c.username for c in COMMITTEES
}


def school_unit(orgs: list[OrgPlan]) -> OrgPlan:
    """The `school` account's unit: the first middle school of 太原's first county (清徐县) with 30+
    members, else any school of 太原."""
    schools = [o for o in orgs if o.level == OrgLevel.UNIT and o.sector == Sector.SCHOOL]
    for prefix in ("1401-01-", "1401-"):
        fitting = [o for o in schools if o.code.startswith(prefix) and (o.members or 0) >= 30]
        if fitting:
            return fitting[0]
    return schools[0]


def top_learner(learners: list[LearnerPlan]) -> LearnerPlan | None:
    """First of a unit by total points, then annual points (category 1's key); ties by account."""
    return min(learners, key=lambda p: (-p.total_points, -p.annual_points, p.account_id), default=None)


def build_users(
    orgs: list[OrgPlan],
    roles: list[RolePlan],
    grouped: dict[str, list[LearnerPlan]],
    *,
    featured: LearnerPlan | None,
) -> list[UserPlan]:
    """Accounts named after what they are; a reviewer's or admin's account is one of the role holders."""
    by_account = {p.account_id: p for people in grouped.values() for p in people}
    holder: dict[tuple[str, str], str] = {}
    for role in roles:
        holder.setdefault((role.org_code, role.kind), role.account_id)
    users = [
        UserPlan(
            username="province",
            role=UserRole.PROVINCE_ADMIN,
            org_code=PROVINCE_CODE,
            full_name="省平台管理员",
            is_staff=True,
            is_superuser=True,
        )
    ]
    for org in orgs:
        if org.level != OrgLevel.REPORTING_UNIT:
            continue
        reviewer = by_account.get(holder.get((org.code, RoleKind.REVIEWER), ""))
        users.append(
            UserPlan(
                username=REPORTING_USERNAMES[org.code],
                role=UserRole.REPORTING_REVIEWER,
                org_code=org.code,
                full_name=reviewer.name if reviewer else org.name,
                account_id=reviewer.account_id if reviewer else "",
            )
        )
    school = school_unit(orgs)
    admin = by_account.get(holder.get((school.code, RoleKind.ADMINISTRATOR), ""))
    users.append(
        UserPlan(
            username="school",
            role=UserRole.UNIT_ADMIN,
            org_code=school.code,
            full_name=admin.name if admin else school.name,
            account_id=admin.account_id if admin else "",
        )
    )
    if featured is not None:
        users.append(
            UserPlan(
                username="learner",
                role=UserRole.LEARNER,
                org_code=featured.org_code,
                full_name=featured.name,
                account_id=featured.account_id,
            )
        )
    # Last, so that the accounts before it are as they were; a made-up name, not a role holder.
    users.append(
        UserPlan(
            username=VOLUNTEER_MANAGER_USERNAME,
            role=UserRole.VOLUNTEER_MANAGER,
            org_code=PROVINCE_CODE,
            full_name="志愿者工作群管理员（演示）",
        )
    )
    return users


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table(rows: list[tuple[str, str, str, str]]) -> str:
    """A plain-text table that lines up with Chinese characters (two columns wide each)."""
    header = ("账号", "角色", "组织", "密码")
    table = [header, *rows]
    widths = [max(_width(row[i]) for row in table) for i in range(4)]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
