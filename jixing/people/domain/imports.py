"""Importing the 积分快照 (learners of a baseline snapshot) and 角色 templates.

The snapshot's way is in people.domain.snapshots (columnar checks, bulk load); it is re-exported here so
that every caller imports both from one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import mark_tree_stale
from jixing.orgs.domain.trees import tree_id_of
from jixing.orgs.models import Org
from jixing.people.domain.snapshots.loading import NO_ROWS, UNKNOWN_ORG, SnapshotImportResult, import_snapshot
from jixing.people.domain.snapshots.locking import SnapshotImportBusy
from jixing.people.enums import RoleKind
from jixing.people.models import Learner, Role, Snapshot
from jixing.tables import ROLES_TEMPLATE, ImportRefused, Problem, ProblemList, read_table
from jixing.tables.reading import Source

__all__ = [
    "ImportRefused",
    "RoleImportResult",
    "SnapshotImportBusy",
    "SnapshotImportResult",
    "default_taken_at",
    "import_roles",
    "import_snapshot",
]

BATCH_SIZE = 5000
ROLE_FIELDS = ["account_id", "kind", "is_full_time", "assessments", "training_hours", "volunteer_type"]


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


def import_roles(file: Source, *, actor: Any = None, campaign: Any = None) -> RoleImportResult:
    """Import a 角色 file, replacing the whole set of roles held in the org tree of `campaign` (default:
    the running campaign's); the roles of other years' trees stay as they were.

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
    tree = tree_id_of(campaign)
    org_ids: dict[str, int] = dict(Org.objects.filter(tree_id=tree).values_list("code", "id"))
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
    _warn_unknown_accounts(rows, warnings, tree)
    roles = [Role(org_id=org_ids[row["org_code"]], **{k: row[k] for k in ROLE_FIELDS}) for row in rows]
    with transaction.atomic():
        replaced, _ = Role.objects.filter(org__tree_id=tree).delete()
        Role.objects.bulk_create(roles, batch_size=BATCH_SIZE)
        result = RoleImportResult(len(roles), replaced, warnings.sorted(), warnings.omitted)
        mark_tree_stale(tree)  # every active campaign deciding from this tree reads this data
        record_event(
            action="roles.import",
            actor=actor,
            summary=result.summary,
            after={"created": len(roles), "replaced": replaced},
        )
    return result


def _warn_unknown_accounts(rows: list[Any], warnings: ProblemList, tree: int | None) -> None:
    snapshot = Snapshot.objects.filter(is_current=True, tree_id=tree).first()
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
