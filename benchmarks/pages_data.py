"""The campaign benchmarks/pages.py times pages on: a province's nominations over an imported 积分快照,
planned here and written in bulk by benchmarks/pages_rows.py as the product's own functions write them.

`build(...)` runs in a child process with Django set up, after migrate, import_orgs and import_snapshot:

1. The campaign: install_campaign(read_definition("shanxi-2022")) as tests/factories.make_campaign does,
   its windows shifted so that now falls in 审核报送, when every page measured is in use.
2. Who nominates whom: units by weight (√ of their learners, a fifth of it for units no person category
   accepts), one nomination per unit and category (G.6); person categories nominate one of the unit's
   five best learners (rank stored by the import), mostly one the snapshot's checks pass.
3. 角色 through people.domain.imports.import_roles: the role of each nominee of 4–7, the roles a
   nominated unit of 8–9 needs, and 1–3 more among every unit's best learners.
4. Accounts: a province admin with a confirmed TOTP device, a reviewer per reporting unit, an admin per
   unit (bulk rows with unusable passwords: the benchmark logs in with force_login).
5. The nominations (pages_rows.py). Each row holds what start_nomination writes (number
   "<year>-<报送单位编码>-<seq>" in creation order, recommending and reporting unit, creator, nominee) and
   what the form then adds: a draft has its typed values in draft_data too; a sent-up one has its columns,
   declarations, evidence (Attachment rows, no files) and submitted_at. States: most 已申报, ~12 % drafts, ~5 % returned, ~1 % rejected; a
   third of the reporting units (never the reviewer's) have submitted their 推荐总表 — the best of each
   category up to the quota are 已报送, with list entries and a sealed scan — and the reviewer's unit has
   picked categories 1 and 2 on its open list.
6. The audit chain those steps write (create, attachment_add, submit, content, return/reject, list.pick,
   list.scan_add, recommend, list.submit), hashed and linked as record_event does, and the notices of
   returned, rejected and recommended nominations.

Nothing is evaluated here: pages.py times the whole-campaign evaluation next, in a process of its own.
"""

from __future__ import annotations

import csv
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pages_rows import (
    BATCH,
    append_to_chain,
    nomination_events,
    write_attachments,
    write_lists,
    write_nominations,
    write_notices,
)

CATEGORY_WEIGHTS = {1: 20, 2: 20, 3: 12, 4: 6, 5: 5, 6: 5, 7: 10, 8: 10, 9: 12}
ROLE_OF_CATEGORY = {4: "供稿员", 5: "审核员", 6: "管理员", 7: "志愿者"}
NATIONAL_RANK_OF_CATEGORY = {1: 0, 2: 1}  # 1.3 reads the national total rank, 2.3 the annual one
ROLE_KINDS = ["供稿员", "审核员", "管理员", "志愿者", "班子成员"]
# Shares of the states other than 已申报 (recommended ones are chosen from the 已申报 afterwards).
STATE_SHARES = (("draft", 0.12), ("returned", 0.05), ("rejected", 0.01))
SUBMITTED_LISTS_SHARE = 1 / 3
REVIEWER_PICKED_CATEGORIES = (1, 2)
TOP_LEARNERS = 5


@dataclass
class Top:
    """One of a unit's best learners in the snapshot."""

    account: str
    name: str
    org_id: int
    total: int
    annual: int
    clean: bool  # passes the snapshot's checks (national ranks, real name, Shanxi phone, not staff)
    national_ranks: tuple[int | None, int | None]  # total, annual


@dataclass
class Planned:
    category: Any
    unit: Any  # the recommending unit (an Org)
    learner: Top | None
    state: str
    created_at: datetime
    submitted_at: datetime | None = None
    screened_at: datetime | None = None  # returned, rejected or recommended then
    creator_id: int | None = None
    number: str = ""
    row: Any = None  # the Nomination once written
    attachments: list[tuple[Any, datetime]] = field(default_factory=list)  # (Attachment, uploaded then)
    reason: str = ""  # of a return or rejection


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


# --- best learners and their roles ------------------------------------------------------------------


def top_learners(snapshot) -> dict[int, list[Top]]:
    """Each unit's best learners by total points (rank stored by the import), best first."""
    from jixing.people.models import Learner

    fields = [
        "unit_id",
        "account_id",
        "name",
        "org_id",
        "total_points",
        "annual_points",
        "rank_by_total",
        "national_total_rank",
        "national_annual_rank",
        "is_real_name",
        "is_shanxi_phone",
        "is_platform_staff",
    ]
    rows = (
        Learner.objects.filter(snapshot=snapshot, rank_by_total__lte=TOP_LEARNERS, unit__isnull=False)
        .values_list(*fields)
        .iterator(chunk_size=10_000)
    )
    by_unit: dict[int, list[tuple[int, Top]]] = defaultdict(list)
    for unit_id, account, name, org_id, total, annual, rank, national_total, national_annual, *flags in rows:
        real_name, shanxi_phone, staff = flags
        clean = None not in (national_total, national_annual) and real_name and shanxi_phone and not staff
        top = Top(account, name, org_id, total, annual, clean, (national_total, national_annual))
        by_unit[unit_id].append((rank, top))
    return {unit: [top for _, top in sorted(tops, key=lambda t: t[0])] for unit, tops in by_unit.items()}


def _role_row(rng: random.Random, account: str, org_code: str, kind: str, *, strong: bool) -> list[Any]:
    """A 角色 row; `strong`: the figures a nominee of the role's category usually brings."""
    full_time = kind == "审核员" and (strong or rng.random() < 0.3)
    return [
        account,
        org_code,
        kind,
        "是" if full_time else "否",
        rng.randint(2, 6) if strong else rng.randint(0, 3),
        f"{rng.uniform(20, 80) if strong else rng.uniform(0, 30):.1f}",
        rng.choice(["审读", "播音", "其他"]) if kind == "志愿者" else "",
    ]


def import_roles_file(
    rng: random.Random, planned: list[Planned], tops: dict[int, list[Top]], *, folder: Path
) -> None:
    """Roles through import_roles: those the nominees of 4–7 hold (审核员 at the nearest station above
    them), a 供稿员, 管理员 and 班子成员 in each unit nominated in 8–9, and 1–3 more among the best
    learners of every unit."""
    from jixing.orgs.models import Org
    from jixing.people.domain.imports import import_roles
    from jixing.tables import ROLES_TEMPLATE

    orgs = {
        pk: (code, path, station)
        for pk, code, path, station in Org.objects.values_list("id", "code", "path", "is_station")
    }

    def station_above(org_id: int) -> str:
        ids = [int(part) for part in orgs[org_id][1].strip("/").split("/")]
        return next((orgs[pk][0] for pk in reversed(ids) if orgs[pk][2]), orgs[org_id][0])

    rows: dict[tuple[str, str, str], list[Any]] = {}
    for item in planned:
        kind = ROLE_OF_CATEGORY.get(item.category.number)
        if kind and item.learner:
            org = station_above(item.learner.org_id) if kind == "审核员" else orgs[item.learner.org_id][0]
            rows[(item.learner.account, org, kind)] = _role_row(
                rng, item.learner.account, org, kind, strong=True
            )
        elif not item.category.is_person:
            for learner, kind in zip(
                tops.get(item.unit.pk, []), ("班子成员", "供稿员", "管理员"), strict=False
            ):
                org = orgs[learner.org_id][0]
                rows[(learner.account, org, kind)] = _role_row(rng, learner.account, org, kind, strong=True)
    for learners in tops.values():
        for learner in rng.sample(learners, min(len(learners), rng.randint(1, 3))):
            kind, org = rng.choice(ROLE_KINDS), orgs[learner.org_id][0]
            rows.setdefault(
                (learner.account, org, kind), _role_row(rng, learner.account, org, kind, strong=False)
            )
    path = folder / "roles.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([column.header for column in ROLES_TEMPLATE.columns])
        writer.writerows(rows.values())
    import_roles(str(path))


# --- campaign and accounts ------------------------------------------------------------------------------


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def install_in_screening(now: datetime):
    """The shanxi-2022 campaign with its windows moved so that `now` is 2½ days into 审核报送."""
    from jixing.campaigns.domain.definitions import install_campaign, read_definition

    definition = read_definition("shanxi-2022")
    screen = next(phase for phase in definition["phases"] if phase["key"] == "screen")
    shift = now - (_moment(screen["starts_at"]) + timedelta(days=2, hours=12))
    return install_campaign(definition, shift=timedelta(minutes=shift // timedelta(minutes=1)))


def create_accounts(*, root, reporting_units, units, now: datetime) -> dict[str, Any]:
    """The province admin (with a TOTP device), a reviewer per reporting unit, an admin per unit."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jixing.accounts.enums import UserRole
    from jixing.accounts.models import User

    def user(username: str, role: str, org, full_name: str) -> Any:
        return User(
            username=username,
            password=make_password(None),
            role=role,
            org=org,
            full_name=full_name,
            password_changed_at=now,
        )

    rows = [user("bench-province", UserRole.PROVINCE_ADMIN, root, "省平台管理员")]
    rows += [
        user(f"review-{o.code}", UserRole.REPORTING_REVIEWER, o, f"{o.name}审核员") for o in reporting_units
    ]
    rows += [user(f"unit-{o.code}", UserRole.UNIT_ADMIN, o, f"{o.name[:50]}管理员") for o in units]
    User.objects.bulk_create(rows, batch_size=BATCH)
    by_name = dict(User.objects.values_list("username", "id"))
    province = User.objects.get(username="bench-province")
    TOTPDevice.objects.create(user=province, name="基准测试", confirmed=True)
    return {
        "province": province,
        "reviewers": {o.pk: by_name[f"review-{o.code}"] for o in reporting_units},
        "unit_admins": {o.pk: by_name[f"unit-{o.code}"] for o in units},
    }


# --- who nominates whom, when, in which state ----------------------------------------------------------


def _targets(total: int) -> dict[int, int]:
    weight_sum = sum(CATEGORY_WEIGHTS.values())
    targets = {number: total * weight // weight_sum for number, weight in CATEGORY_WEIGHTS.items()}
    targets[1] += total - sum(targets.values())
    return targets


def _weighted_sample(rng: random.Random, items: list[int], weight: dict[int, float], k: int) -> list[int]:
    """k distinct items, each drawn with probability ∝ its weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(items, key=lambda item: rng.random() ** (1 / weight[item]), reverse=True)
    return keyed[:k]


def _nominee(rng: random.Random, learners: list[Top], taken: set[str], number: int) -> Top:
    """Mostly the unit's best learner the snapshot's checks pass (in 学员标兵 and 优秀学员 one in the
    national top 500,000 when there is one) and who is not nominated yet."""
    fresh = [t for t in learners if t.account not in taken] or learners
    clean = [t for t in fresh if t.clean]
    if number in NATIONAL_RANK_OF_CATEGORY:
        ranked = [t for t in clean if (t.national_ranks[NATIONAL_RANK_OF_CATEGORY[number]] or 0) <= 500_000]
        clean = ranked or clean
    return clean[0] if clean and rng.random() < 0.85 else rng.choice(fresh)


def plan_nominations(
    rng: random.Random,
    *,
    count: int,
    campaign,
    tops: dict[int, list[Top]],
    units: dict[int, Any],
    learners_per_unit: dict[int, int],
    windows: dict[str, datetime],
) -> list[Planned]:
    """Who nominates whom in which category, in which state, when (no rows written). Units nominate
    by weight √learners, a fifth as often when they are not a legal entity of 30 learners or more."""
    categories = {c.number: c for c in campaign.categories.all()}
    weight = {
        u: (math.sqrt(learners_per_unit.get(u, 0)) + 1)
        * (1 if org.is_legal_entity and (org.members or 0) >= 30 else 0.2)
        for u, org in units.items()
    }
    person_units = [unit for unit in units if tops.get(unit)]
    taken: dict[int, set[str]] = defaultdict(set)
    apply_start, apply_end = windows["apply_start"], windows["apply_end"]
    screen_start, now = windows["screen_start"], windows["now"]
    planned = []
    for number, target in _targets(count).items():
        category = categories[number]
        pool = person_units if category.is_person else list(units)
        for unit_id in _weighted_sample(rng, pool, weight, min(target, len(pool))):
            learner = None
            if category.is_person:
                learner = _nominee(rng, tops[unit_id], taken[unit_id], number)
                taken[unit_id].add(learner.account)
            u = rng.random()
            state = next((s for s, share in STATE_SHARES if (u := u - share) < 0), "submitted")
            # Most forms are started and sent in the last days before the deadline.
            created = apply_start + (apply_end - timedelta(hours=2) - apply_start) * rng.random() ** 0.4
            item = Planned(category, units[unit_id], learner, state, created)
            if state != "draft":
                item.submitted_at = min(
                    created + timedelta(hours=rng.uniform(0.2, 72)), apply_end - timedelta(minutes=5)
                )
                if state in ("returned", "rejected"):
                    item.screened_at = _between(rng, max(item.submitted_at, screen_start), now)
            planned.append(item)
    return planned


def number_and_creators(
    planned: list[Planned], *, year: int, accounts: dict[str, Any], reporting: dict
) -> None:
    """Numbers in creation order per reporting unit (next_number), and who started each form."""
    sequence: dict[int, int] = defaultdict(int)
    for item in sorted(planned, key=lambda p: p.created_at):
        reporting_id = item.unit.reporting_unit_id
        sequence[reporting_id] += 1
        item.number = f"{year}-{reporting[reporting_id].code}-{sequence[reporting_id]:04d}"
        if item.category.recommender == "reporting_unit":
            item.creator_id = accounts["reviewers"][reporting_id]
        else:
            item.creator_id = accounts["unit_admins"][item.unit.pk]


def choose_lists(
    rng: random.Random,
    planned: list[Planned],
    *,
    reviewer_unit: int,
    seats: dict[tuple[int, int], int],
    now: datetime,
    screen_start: datetime,
) -> dict[int, dict[str, Any]]:
    """Submitted lists (a third of the other reporting units) and the reviewer's open list: per reporting
    unit its picks per category, best snapshot points first, within the quota; picked on lists already
    sent up become 已报送."""
    sent_up: dict[int, dict[int, list[Planned]]] = defaultdict(lambda: defaultdict(list))
    for item in planned:
        if item.state == "submitted":
            sent_up[item.unit.reporting_unit_id][item.category.pk].append(item)
    others = sorted(set(sent_up) - {reviewer_unit})
    submitting = set(rng.sample(others, round(len(others) * SUBMITTED_LISTS_SHARE)))
    lists: dict[int, dict[str, Any]] = {}
    for reporting_id, by_category in sent_up.items():
        if reporting_id not in submitting and reporting_id != reviewer_unit:
            continue
        picked_at = _between(rng, screen_start, now - timedelta(hours=6))
        entry = {"submitted": reporting_id in submitting, "picked_at": picked_at, "picks": {}}
        entry["submitted_at"] = _between(rng, picked_at + timedelta(hours=1), now)
        for category_id, items in by_category.items():
            if reporting_id == reviewer_unit and items[0].category.number not in REVIEWER_PICKED_CATEGORIES:
                continue
            items.sort(key=lambda p: (-(p.learner.total if p.learner else rng.random()), p.number))
            picks = items[: seats.get((reporting_id, category_id), 0)]
            for item in picks:
                if entry["submitted"]:
                    item.state, item.screened_at = "recommended", entry["submitted_at"]
            if picks:
                entry["picks"][category_id] = picks
        lists[reporting_id] = entry
    return lists


# --- the whole build ------------------------------------------------------------------------------------


def search_learner(learners_path: str, unit) -> dict[str, str]:
    """学号, name and phone of a learner of `unit`'s subtree, read from the file (the snapshot keeps only
    masked phones), so that the unit admin and the province search for someone who is there."""
    from jixing.orgs.models import Org
    from jixing.people.models import Learner
    from jixing.tables import LEARNERS_TEMPLATE

    codes = set(Org.objects.filter(path__startswith=unit.path).values_list("code", flat=True))
    keys = [column.key for column in LEARNERS_TEMPLATE.columns]
    account_at, name_at, phone_at, org_at = (
        keys.index(k) for k in ("account_id", "name", "phone", "org_code")
    )
    with open(learners_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            if (
                row[org_at] in codes
                and row[phone_at]
                and Learner.objects.filter(account_id=row[account_at]).exists()
            ):
                return {"account": row[account_at], "name": row[name_at], "phone": row[phone_at]}
    raise LookupError(f"no learner of {unit.code} with a phone number in {learners_path}")


def _county_of(unit, reporting_unit) -> str:
    """What the province types to find a county's nominations: the county's own name ("绛县" of
    "运城市绛县"), which the names of its units begin with; a 省直 unit's first four characters."""
    from jixing.orgs.enums import OrgLevel

    if unit.parent.level != OrgLevel.COUNTY:
        return unit.name[:4]
    return unit.parent.name.removeprefix(reporting_unit.name)


def build(*, learners_path: str, nominations: int, seed: int, folder: str) -> dict[str, Any]:
    """Write the whole data set; returns its counts, the seconds of each step and what pages.py requests."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from jixing.campaigns.models import Quota
    from jixing.nominations.models import Nomination
    from jixing.orgs.enums import OrgLevel
    from jixing.orgs.models import Org
    from jixing.people.domain.queries import current_snapshot
    from jixing.people.models import Role, SnapshotUnit

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[label] = now - clock
        clock = now

    snapshot = current_snapshot()
    tops = top_learners(snapshot)
    lap("best learners")
    now = timezone.now()
    campaign = install_in_screening(now)
    phases = {p.key: p for p in campaign.phases.all()}
    windows = {
        "apply_start": phases["apply"].starts_at,
        "apply_end": phases["apply"].ends_at,
        "screen_start": phases["screen"].starts_at,
        "now": now,
    }
    root = Org.objects.get(level=OrgLevel.PROVINCE)
    reporting = {o.pk: o for o in Org.objects.filter(level=OrgLevel.REPORTING_UNIT).order_by("path")}
    units = {o.pk: o for o in Org.objects.filter(level=OrgLevel.UNIT).exclude(reporting_unit=None)}
    learners_per_unit = dict(
        SnapshotUnit.objects.filter(snapshot=snapshot).values_list("unit_id", "learners")
    )
    planned = plan_nominations(
        rng,
        count=nominations,
        campaign=campaign,
        tops=tops,
        units=units,
        learners_per_unit=learners_per_unit,
        windows=windows,
    )
    import_roles_file(rng, planned, tops, folder=Path(folder))
    lap("roles")
    with transaction.atomic():
        accounts = create_accounts(
            root=root, reporting_units=list(reporting.values()), units=list(units.values()), now=now
        )
        number_and_creators(planned, year=campaign.year, accounts=accounts, reporting=reporting)
        per_reporting = defaultdict(int)
        for item in planned:
            per_reporting[item.unit.reporting_unit_id] += 1
        reviewer_unit = max(per_reporting, key=per_reporting.__getitem__)
        seats = {
            (q.reporting_unit_id, q.category_id): q.seats for q in Quota.objects.filter(campaign=campaign)
        }
        lists = choose_lists(
            rng,
            planned,
            reviewer_unit=reviewer_unit,
            seats=seats,
            now=now,
            screen_start=windows["screen_start"],
        )
        forms = {c["number"]: c for c in campaign.definition["categories"]}
        write_nominations(rng, planned, campaign=campaign, forms=forms, now=now)
        attachments = write_attachments(rng, planned, forms=forms)
        entries, events = write_lists(rng, lists, campaign=campaign, reviewers=accounts["reviewers"])
        events += nomination_events(rng, planned, forms=forms, reviewers=accounts["reviewers"])
        chained = append_to_chain(events, rng)
        notices = write_notices(rng, planned, unit_admins=accounts["unit_admins"], now=now)
    lap("nominations")
    if connection.vendor == "postgresql":
        # What autovacuum's analyze does within a minute of bulk writes like these.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        lap("analyze")

    biggest_unit = units[max((u for u in learners_per_unit if u in units), key=learners_per_unit.__getitem__)]
    reviewer = reporting[reviewer_unit]
    detail = next(
        p
        for p in sorted(planned, key=lambda p: p.number)
        if p.unit.reporting_unit_id == reviewer_unit and p.category.number == 1 and p.row.state == "submitted"
    )
    search = search_learner(learners_path, biggest_unit)
    lap("targets")
    states = dict(Nomination.objects.order_by().values_list("state").annotate(n=Count("id")))
    return {
        "seconds": seconds,
        "counts": {
            "nominations": len(planned),
            "states": states,
            "attachments": attachments,
            "roles": Role.objects.count(),
            "list_entries": entries,
            "lists": len(lists),
            "submitted_lists": sum(1 for plan in lists.values() if plan["submitted"]),
            "audit_events": chained,
            "notifications": notices,
            "users": len(reporting) + len(units) + 1,
            "units_nominating": len({p.unit.pk for p in planned}),
        },
        "province": "bench-province",
        "reviewer": f"review-{reviewer.code}",
        "reviewer_unit": f"{reviewer.name} ({per_reporting[reviewer_unit]:,} nominations)",
        "unit_admin": f"unit-{biggest_unit.code}",
        "unit": f"{biggest_unit.name} ({learners_per_unit[biggest_unit.pk]:,} learners)",
        "detail_pk": detail.row.pk,
        "detail": f"{detail.number} ({detail.category.name}, {len(detail.attachments)} attachments)",
        "nomination_filter": {"state": "submitted", "q": _county_of(detail.unit, reviewer)},
        "search": search,
    }
