"""Writing the demo province into the database: one transaction that replaces the previous demo.

The demo owns the database it fills: it recognises its own earlier run by the demo campaign
(shanxi-2022-demo). It then replaces the org tree and everything that hangs off it (snapshots with their
learners, roles, nominations with their attachments and decisions, the reporting units' lists, the 公示
with its entries and objections, the approval, certificates and their batches, quotas) and keeps everything else:
campaign rows are updated in place, accounts keep their ids (sessions survive), accounts made by hand keep
their place in the tree (re-attached by org code), and the audit chain keeps its events and gets the
new run's: every workflow step's and one "demo.loaded". A database whose orgs were not made by the demo
is refused unless `force` is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Field, Max, Model, ProtectedError

from jixing.accounts.models import User
from jixing.announcements.models import (
    Announcement,
    AnnouncementEntry,
    Approval,
    Certificate,
    CertificateBatch,
    Objection,
)
from jixing.audit.domain.events import record_event
from jixing.campaigns.domain.staleness import mark_stale
from jixing.campaigns.models import Campaign
from jixing.demo.accounts import DEMO_PASSWORD, VOLUNTEER_MANAGER_USERNAME
from jixing.demo.phases import DEMO_SLUG, DemoWindows, install_campaigns
from jixing.demo.placeholders import PLACEHOLDERS, evidence_name
from jixing.demo.plan import ORG_MODEL_FIELDS, Province
from jixing.demo.publication import settle_lists, write_outcomes
from jixing.demo.timeline import Timeline
from jixing.demo.workflow import return_planned, send_up
from jixing.nominations.models import Attachment, Nomination, RecommendationList, RuleDecision
from jixing.orgs.domain.tree import derive_tree_fields
from jixing.orgs.models import Org
from jixing.people.domain.identity import person_key
from jixing.people.domain.snapshots.figures import refresh_figures
from jixing.people.masking import mask_id_number, mask_phone
from jixing.people.models import Learner, Role, Snapshot

SNAPSHOT_NAME = "2023年1月3日10时基准积分"
SNAPSHOT_TAKEN_AT = datetime(2023, 1, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
BATCH = 2000


class DemoDataRefused(Exception):
    """The database holds data the demo did not make; the message says what and how to proceed."""


@dataclass(slots=True)
class Loaded:
    campaign: Campaign
    users: dict[str, User]
    counts: dict[str, int]


def check_database(*, force: bool) -> None:
    orgs = Org.objects.count()
    if orgs and not force and not Campaign.objects.filter(slug=DEMO_SLUG).exists():
        raise DemoDataRefused(
            f"数据库中已有 {orgs} 个组织，且不是演示数据生成的。演示数据会替换整个组织树及其下的学员、角色和申报。"
            "如确需覆盖，请加 --force；或设置 JIXING_DATA_DIR 使用另一个数据库。"
        )


def _reset() -> dict[int, str]:
    """Delete the previous tree and what hangs off it; returns each attached account's org code."""
    attached = dict(User.objects.filter(org__isnull=False).values_list("pk", "org__code"))
    User.objects.filter(org__isnull=False).update(org=None)
    # What hangs off the nominations and protects them: certificates, the 公示 and its objections, the
    # lists. (A certificate batch's zip holds the previous run's certificates: it goes with them.)
    CertificateBatch.objects.all().delete()
    Certificate.objects.all().delete()
    Objection.objects.all().delete()
    AnnouncementEntry.objects.all().delete()
    Announcement.objects.all().delete()
    Approval.objects.all().delete()
    RecommendationList.objects.all().delete()  # with its entries and scans (their files: placeholders)
    Nomination.objects.all().delete()
    Role.objects.all().delete()
    Snapshot.objects.all().delete()
    # The tree protects itself (parent → PROTECT): cut the links first, then delete it whole.
    Org.objects.update(parent=None, unit=None, reporting_unit=None)
    Org.objects.all().delete()
    return attached


def _create_orgs(province: Province) -> dict[str, int]:
    """Insert the whole tree in one bulk insert, its derived fields (path, unit, reporting_unit) already
    filled: ids are given here rather than by the database, so the derived fields can be computed first
    (a bulk_update of them afterwards took most of the run). The table is empty after _reset, so the ids
    start again at 1 and the same seed gives the same ids; the sequence is then moved past them."""
    start = (Org.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    ids = {plan.code: start + index for index, plan in enumerate(province.orgs)}
    orgs = [
        Org(
            id=ids[p.code],
            parent_id=ids.get(p.parent_code or ""),
            **{f: getattr(p, f) for f in ORG_MODEL_FIELDS},
        )
        for p in province.orgs
    ]
    derive_tree_fields(orgs)
    Org.objects.bulk_create(orgs, batch_size=BATCH)  # parents come before children in the plan
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Org]):
            cursor.execute(statement)
    return ids


def _create_users(province: Province, ids: dict[str, int], attached: dict[int, str]) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every demo account
    users: dict[str, User] = {}
    for plan in province.users:
        user = User.objects.filter(username=plan.username).first() or User(username=plan.username)
        user.role, user.org_id, user.full_name = plan.role, ids[plan.org_code], plan.full_name
        user.account_id, user.is_staff, user.is_superuser = plan.account_id, plan.is_staff, plan.is_superuser
        user.is_active, user.password = True, password
        user.save()
        users[plan.username] = user
        attached.pop(user.pk, None)
    for pk, code in attached.items():  # accounts made by hand go back to their node, if it still exists
        if code in ids:
            User.objects.filter(pk=pk).update(org_id=ids[code])
    return users


def _create_people(province: Province, ids: dict[str, int], importer: User) -> Snapshot:
    snapshot = Snapshot.objects.create(
        name=SNAPSHOT_NAME,
        taken_at=SNAPSHOT_TAKEN_AT,
        imported_by=importer,
        source_name=f"jixing demo-data --seed {province.seed}",
        row_count=len(province.learners),
        is_current=True,
    )
    # Written as an import writes them, by a plain INSERT of tuples: 30,000 model instances through
    # bulk_create took half of a 申报推荐 demo's time. unit and the ranks in unit are left for
    # refresh_figures, as the import derives them.
    fields = [
        "snapshot", "person_key", "org", "account_id", "name", "phone_masked", "id_masked", "total_points",
        "annual_points", "national_total_rank", "national_annual_rank", "perfect_clearances", "is_real_name",
        "is_shanxi_phone", "is_platform_staff",
    ]  # fmt: skip
    rows = (
        (
            snapshot.pk,
            person_key(id_number=p.id_number, name=p.name, phone=p.phone),
            ids[p.org_code],
            p.account_id,
            p.name,
            # As an import would: masked forms only (the full synthetic numbers are in the template files).
            mask_phone(p.phone),
            mask_id_number(p.id_number),
            p.total_points,
            p.annual_points,
            p.national_total_rank,
            p.national_annual_rank,
            p.perfect_clearances,
            p.is_real_name,
            p.is_shanxi_phone,
            p.is_platform_staff,
        )
        for p in province.learners
    )
    _insert_rows(Learner, fields, rows)
    refresh_figures(snapshot)  # units and ranks in unit, as an import derives them
    roles = (
        Role(
            account_id=r.account_id,
            org_id=ids[r.org_code],
            kind=r.kind,
            is_full_time=r.is_full_time,
            assessments=r.assessments,
            training_hours=r.training_hours,
            volunteer_type=r.volunteer_type,
        )
        for r in province.roles
    )
    _bulk(Role, roles)
    return snapshot


def _insert_rows(model: type[Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """INSERT `rows` (tuples of `fields`' values, in that order) into `model`'s table, BATCH at a time."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(model, f)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(sql, batch)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, f"{model.__name__}.{name} has no column"
    return field.column


def _bulk(model: type[Model], rows) -> None:
    batch: list[Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model._default_manager.bulk_create(batch)
            batch = []
    model._default_manager.bulk_create(batch)


def _create_nominations(
    province: Province,
    campaign: Campaign,
    ids: dict[str, int],
    users: dict[str, User],
) -> tuple[dict[str, int], dict[str, Nomination]]:
    """Every nomination as a draft (the model's default state) with what its form holds; its state
    comes only from the workflow (workflow.send_up, publication.write_outcomes)."""
    categories = {c.number: c for c in campaign.categories.all()}
    nominations = []
    for plan in province.nominations:
        creator = users.get(plan.created_by or "")
        nominations.append(
            Nomination(
                campaign=campaign,
                category=categories[plan.category_number],
                number=plan.number,
                nominee_account=plan.nominee_account,
                nominee_name=plan.nominee_name,
                nominee_org_id=ids.get(plan.nominee_org_code or ""),
                recommending_org_id=ids[plan.recommending_code],
                reporting_unit_id=ids[plan.reporting_code],
                summary=plan.summary,
                typed_total_points=plan.typed_total_points,
                typed_annual_points=plan.typed_annual_points,
                judges_score=plan.judges_score,
                # Plan 7.3: the demo's scores are the volunteer-group manager's, as if given on his page.
                judges_comment="" if plan.judges_score is None else "工作成效突出，按时完成审读任务",
                judges_scored_by=None if plan.judges_score is None else users.get(VOLUNTEER_MANAGER_USERNAME),
                judges_scored_at=None if plan.judges_score is None else plan.submitted_at,
                activity_count=plan.activity_count,
                warn_reason=plan.warn_reason,
                created_by=creator,
                self_applied=plan.self_applied,
                declarations=plan.declarations,
            )
        )
    Nomination.objects.bulk_create(nominations, batch_size=500)
    org_names = {plan.code: plan.name for plan in province.orgs}
    attachments, decisions = [], []
    for plan, row in zip(province.nominations, nominations, strict=True):
        subject = plan.nominee_name or org_names.get(plan.nominee_org_code or "", "")
        for index, kind in enumerate(plan.attachments):
            file = PLACEHOLDERS[kind]
            attachments.append(
                Attachment(
                    nomination=row,
                    kind=kind,
                    file=evidence_name(plan.number, index, kind),
                    original_name=f"{kind}-{subject}.{file.extension}",
                    size=file.size,
                    sha256=file.sha256,
                    uploaded_by=row.created_by,
                    content_type=file.content_type,
                )
            )
        judge = users.get(plan.decided_by or "")
        for rule_id, holds in [(r, True) for r in plan.confirmed] + [(r, False) for r in plan.refused]:
            comment = "材料齐全，经审核符合要求" if holds else "印证材料不足，经审核不符合要求"
            decisions.append(
                RuleDecision(nomination=row, rule_id=rule_id, holds=holds, comment=comment, decided_by=judge)
            )
    Attachment.objects.bulk_create(attachments, batch_size=BATCH)
    RuleDecision.objects.bulk_create(decisions, batch_size=BATCH)
    counts = {"nominations": len(nominations), "attachments": len(attachments), "decisions": len(decisions)}
    return counts, {row.number: row for row in nominations}


def load_province(
    province: Province,
    *,
    definition: dict,
    windows: DemoWindows,
    timeline: Timeline,
    force: bool = False,
    phase_label: str = "",
) -> Loaded:
    """Replace the demo data with `province`, in one transaction.

    Side effects: deletes the previous org tree and everything hanging off it (see the module's note),
    creates orgs, the snapshot, roles, accounts and nominations (as drafts), installs the historical and
    the demo campaign (windows moved by `windows.shift`); then runs the campaign as far as `timeline` has
    got through the domain's own functions, each at a moment inside its shifted window (workflow.py:
    sending up, returning, rejecting; publication.py: the reporting units' lists, the province's choice,
    the 公示, the approval, the commendation) — with their checks, audit events and notices. Marks the
    demo campaign's eligibility results stale (the first page that shows them computes them) and records
    a "demo.loaded" audit event. Raises DemoDataRefused when the database holds orgs the demo did not
    make and `force` is false; what a domain function raises if the product refuses a planned step.
    """
    with transaction.atomic():
        check_database(force=force)
        try:
            attached = _reset()
        except ProtectedError as exc:
            raise DemoDataRefused(f"旧的演示数据仍被其他数据引用，无法替换：{exc.protected_objects}") from exc
        ids = _create_orgs(province)
        _, campaign = install_campaigns(definition, shift=windows.shift)
        users = _create_users(province, ids, attached)
        _create_people(province, ids, users["province"])
        counts, rows = _create_nominations(province, campaign, ids, users)
        send_up(province, rows=rows, users=users, windows=windows)
        settle_lists(province, campaign=campaign)
        return_planned(province, rows=rows, users=users, windows=windows)
        counts.update(write_outcomes(province, timeline, campaign=campaign, rows=rows, users=users))
        counts.update(orgs=len(ids), learners=len(province.learners), roles=len(province.roles))
        # Eligibility results are computed by the background refresh this queues (the worker of make demo).
        mark_stale(campaign)
        record_event(
            action="demo.loaded",
            target=campaign,
            summary=(
                f"载入演示数据：种子 {province.seed}，学员 {len(province.learners)}，"
                f"申报 {counts['nominations']}，当前阶段 {phase_label}"
            ),
        )
    return Loaded(campaign=campaign, users=users, counts=counts)
