"""Importing the 积分快照 (learners of a baseline snapshot) and 角色 templates."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import mark_stale
from jixing.orgs.models import Org
from jixing.people.domain.identity import person_key
from jixing.people.enums import RoleKind
from jixing.people.masking import mask_id_number, mask_phone
from jixing.people.models import Learner, Role, Snapshot
from jixing.tables import LEARNERS_TEMPLATE, ROLES_TEMPLATE, ImportRefused, Problem, ProblemList, read_table
from jixing.tables.reading import Source

__all__ = [
    "ImportRefused",
    "RoleImportResult",
    "SnapshotImportResult",
    "default_taken_at",
    "import_roles",
    "import_snapshot",
]

BATCH_SIZE = 5000
NO_ROWS = "文件中没有数据行"
UNKNOWN_ORG = "组织编码不存在"
# Stored as read. 手机号 and 身份证号 are not among them: only their masked forms and the keyed hash are kept.
LEARNER_FIELDS = [
    "account_id",
    "name",
    "total_points",
    "annual_points",
    "national_total_rank",
    "national_annual_rank",
    "perfect_clearances",
    "is_real_name",
    "is_shanxi_phone",
    "is_platform_staff",
]
# Every column written by the bulk path, in the order of _learner_values.
LEARNER_COLUMNS = ["snapshot", "org", "phone_masked", "id_masked", "person_key", *LEARNER_FIELDS]
ROLE_FIELDS = ["account_id", "kind", "is_full_time", "assessments", "training_hours", "volunteer_type"]


@dataclass(frozen=True)
class SnapshotImportResult:
    snapshot: Snapshot
    rows: int
    warnings: list[Problem] = field(default_factory=list)
    warnings_omitted: int = 0

    @property
    def summary(self) -> str:
        return f"积分快照“{self.snapshot.name}”导入完成：{self.rows} 名学员，已设为当前快照"


@dataclass(frozen=True)
class RoleImportResult:
    created: int
    replaced: int
    warnings: list[Problem] = field(default_factory=list)
    warnings_omitted: int = 0

    @property
    def summary(self) -> str:
        return f"角色导入完成：共 {self.created} 条（替换了原有的 {self.replaced} 条）"


def default_taken_at() -> datetime:
    """The time a snapshot is taken at when nobody says: the current campaign's baseline, else now."""
    campaign = current_campaign()
    return campaign.baseline_at if campaign is not None else timezone.now()


def source_name(file: Source) -> str:
    if isinstance(file, str | os.PathLike):
        return Path(file).name
    return Path(getattr(file, "name", "") or "").name


def import_snapshot(
    file: Source, *, name: str, taken_at: datetime, actor: Any = None, filename: str = ""
) -> SnapshotImportResult:
    """Import a 积分快照 file as a new Snapshot and make it the current one.

    Validation (the file is refused whole on any error, nothing stored): cell types; 学号 unique in the
    file; 组织编码 known; 身份证号 checked by GB 11643 (check digit, birth date, area code); 手机号 is 11
    digits starting with 1. 手机号 may be empty only when 身份证号 is present: with both empty, G.2/G.3
    would recognise a person by the name alone and merge namesakes.

    Personal numbers: each row keeps the masked 手机号 and 身份证号 and the keyed hash that recognises the
    person (person_key); the full numbers are never stored, logged or kept in memory past their row.

    Side effects, in one transaction: a Snapshot and its Learner rows (inserted in batches while
    reading); only when every row is in does the snapshot become current, the previous one ceasing to
    be — a snapshot becomes current only when complete. An audit event is written with it.
    """
    if timezone.is_naive(taken_at):
        raise ValueError("taken_at must be timezone-aware")
    reader = read_table(file, LEARNERS_TEMPLATE)
    errors, warnings = reader.errors, reader.warnings
    if not reader.header_ok:
        raise ImportRefused(errors, warnings)
    org_ids: dict[str, int] = dict(Org.objects.values_list("code", "id"))
    without_unit = set(Org.objects.filter(unit__isnull=True).values_list("code", flat=True))
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            name=name,
            taken_at=taken_at,
            imported_by=actor if getattr(actor, "pk", None) else None,
            source_name=(filename or source_name(file))[:255],
        )
        first_row: dict[str, int] = {}
        batch: list[tuple] = []
        count = 0
        for row in reader:
            account, org_code = row["account_id"], row["org_code"]
            if account is not None:
                if account in first_row:
                    errors.add(row.number, "学号", account, f"学号重复（与第 {first_row[account]} 行重复）")
                else:
                    first_row[account] = row.number
            org_id = org_ids.get(org_code) if org_code else None
            if org_code and org_id is None:
                errors.add(row.number, "组织编码", org_code, UNKNOWN_ORG)
            elif org_code in without_unit:
                warnings.add(row.number, "组织编码", org_code, "该组织不属于任何单位，学员不参加单位内排名")
            if row["phone"] == "" and row["id_number"] == "":
                errors.add(row.number, "手机号", "", "身份证号为空时手机号不能为空")
            total, annual = row["total_points"], row["annual_points"]
            if total is not None and annual is not None and annual > total:
                warnings.add(row.number, "年度积分", annual, f"年度积分大于总积分（{total}）")
            count += 1
            if errors:
                continue  # refused already: read on only to list every problem
            batch.append(_learner_values(row, snapshot.pk, org_id))
            if len(batch) >= BATCH_SIZE:
                _insert_learners(batch)
                batch = []
        if count == 0 and not errors:
            errors.add(None, "", "", NO_ROWS)
        if errors:
            raise ImportRefused(errors, warnings)  # leaving the atomic block rolls everything back
        _insert_learners(batch)
        Snapshot.objects.filter(is_current=True).update(is_current=False)
        snapshot.row_count = count
        snapshot.is_current = True
        snapshot.save(update_fields=["row_count", "is_current"])
        result = SnapshotImportResult(snapshot, count, warnings.sorted(), warnings.omitted)
        mark_stale()  # every active campaign's results read this data
        record_event(
            action="snapshot.import",
            actor=actor,
            target=snapshot,
            summary=result.summary,
            after={"rows": count, "taken_at": taken_at, "source_name": snapshot.source_name},
        )
    return result


def _learner_values(row: dict[str, Any], snapshot_id: int, org_id: int | None) -> tuple:
    """One row's values in LEARNER_COLUMNS order; the full numbers end here, hashed and masked."""
    phone, id_number = row["phone"], row["id_number"]
    return (
        snapshot_id,
        org_id,
        mask_phone(phone),
        mask_id_number(id_number),
        person_key(id_number=id_number, name=row["name"], phone=phone),
        *(row[key] for key in LEARNER_FIELDS),
    )


def _insert_learners(rows: list[tuple]) -> None:
    """The bulk path: COPY on PostgreSQL, one executemany per batch on SQLite, past the ORM.

    bulk_create spent most of a large import building a model instance and compiling SQL for every row;
    the values here are already typed by tables/, so they go to the driver as tuples. Every NOT NULL
    column of Learner must be in LEARNER_COLUMNS: the import tests load every column and would fail on a
    new one missing here.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(Learner._meta.db_table)
    columns = ", ".join(qn(Learner._meta.get_field(name).column) for name in LEARNER_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(LEARNER_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def import_roles(file: Source, *, actor: Any = None) -> RoleImportResult:
    """Import a 角色 file, replacing the whole set of roles.

    Validation (refused whole on any error): cell types and choices; 组织编码 known; one row per
    (学号, 组织编码, 角色). A 学号 missing from the current snapshot is only a warning: roles may be
    imported before the snapshot.

    Side effects, in one transaction: every stored role deleted, the file's roles inserted, an audit event.
    """
    reader = read_table(file, ROLES_TEMPLATE)
    rows = reader.read_all()
    errors, warnings = reader.errors, reader.warnings
    if not reader.header_ok:
        raise ImportRefused(errors, warnings)
    org_ids: dict[str, int] = dict(Org.objects.values_list("code", "id"))
    first_row: dict[tuple[str, str, str], int] = {}
    for row in rows:
        account, org_code, kind = row["account_id"], row["org_code"], row["kind"]
        if org_code and org_code not in org_ids:
            errors.add(row.number, "组织编码", org_code, UNKNOWN_ORG)
        if account and org_code and kind:
            key = (account, org_code, kind)
            if key in first_row:
                errors.add(
                    row.number,
                    "角色",
                    kind,
                    f"同一学号在同一组织的同一角色重复（与第 {first_row[key]} 行重复）",
                )
            else:
                first_row[key] = row.number
        if row["volunteer_type"] and kind and kind != RoleKind.VOLUNTEER:
            warnings.add(row.number, "志愿类型", row["volunteer_type"], "只有志愿者需要填写志愿类型")
    if not rows and not errors:
        errors.add(None, "", "", NO_ROWS)
    if errors:
        raise ImportRefused(errors, warnings)
    _warn_unknown_accounts(rows, warnings)
    roles = [Role(org_id=org_ids[row["org_code"]], **{k: row[k] for k in ROLE_FIELDS}) for row in rows]
    with transaction.atomic():
        replaced, _ = Role.objects.all().delete()
        Role.objects.bulk_create(roles, batch_size=BATCH_SIZE)
        result = RoleImportResult(len(roles), replaced, warnings.sorted(), warnings.omitted)
        mark_stale()  # every active campaign's results read this data
        record_event(
            action="roles.import",
            actor=actor,
            summary=result.summary,
            after={"created": len(roles), "replaced": replaced},
        )
    return result


def _warn_unknown_accounts(rows: list[Any], warnings: ProblemList) -> None:
    snapshot = Snapshot.objects.filter(is_current=True).first()
    if snapshot is None:
        warnings.add(None, "学号", "", "尚无当前积分快照，未核对学号")
        return
    accounts = sorted({row["account_id"] for row in rows})
    known: set[str] = set()
    # Chunked: SQLite limits the number of parameters of one query.
    for start in range(0, len(accounts), 500):
        chunk = accounts[start : start + 500]
        known.update(
            Learner.objects.filter(snapshot=snapshot, account_id__in=chunk).values_list(
                "account_id", flat=True
            )
        )
    for row in rows:
        if row["account_id"] not in known:
            warnings.add(row.number, "学号", row["account_id"], "学号不在当前积分快照中")
