"""Importing the 组织架构 template: the org tree, upserted by 组织编码."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.definitions import ensure_quotas
from jixing.campaigns.domain.staleness import mark_tree_stale
from jixing.campaigns.models import Campaign
from jixing.orgs.domain.tree import BULK_UPDATE_BATCH, rebuild_tree
from jixing.orgs.domain.trees import tree_id_of
from jixing.orgs.enums import ALLOWED_PARENT_LEVELS, OrgLevel
from jixing.orgs.models import Org
from jixing.people.domain.snapshots.figures import refresh_current_snapshot
from jixing.tables import ORGS_TEMPLATE, ImportRefused, Problem, ProblemList, Row, read_table
from jixing.tables.reading import Source

__all__ = ["ImportRefused", "OrgImportResult", "import_orgs", "validate_org_rows"]

CODE, PARENT, LEVEL = "组织编码", "上级组织编码", "层级"
# Fields copied from the file to the model, as the template's keys name them.
FIELDS = [c.key for c in ORGS_TEMPLATE.columns if c.key not in ("code", "parent_code")]


class ExistingOrg(NamedTuple):
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class OrgImportResult:
    created: int
    updated: int
    unchanged: int
    quotas_created: int
    warnings: list[Problem] = field(default_factory=list)
    warnings_omitted: int = 0

    @property
    def summary(self) -> str:
        return f"组织架构导入完成：新增 {self.created} 个，更新 {self.updated} 个，未变化 {self.unchanged} 个"


def _allowed(level: str) -> str:
    return "、".join(sorted(ALLOWED_PARENT_LEVELS[level], key=list(OrgLevel.values).index)) or "无"


def validate_org_rows(
    rows: list[Row], existing: dict[str, ExistingOrg], errors: ProblemList, warnings: ProblemList
) -> None:
    """Check the file's rows against themselves and the stored tree; adds to `errors` and `warnings`.

    The tree after the import is the stored tree with the file's rows laid over it, so parents, levels,
    the single root and cycles are checked on that merged tree.
    """
    in_file: dict[str, Row] = {}
    for row in rows:
        code = row["code"]
        if code is None:
            continue
        if code in in_file:
            errors.add(row.number, CODE, code, f"组织编码重复（与第 {in_file[code].number} 行重复）")
        else:
            in_file[code] = row

    def level_of(code: str) -> str | None:
        return in_file[code]["level"] if code in in_file else existing[code].level

    roots: list[Row] = []
    for code, row in in_file.items():
        parent, level = row["parent_code"], row["level"]
        if parent is None or level is None:
            continue  # the cell itself was refused; nothing more to say about it
        if not parent:
            if level == OrgLevel.PROVINCE:
                roots.append(row)
            else:
                errors.add(row.number, PARENT, "", "只有省级组织可以不填上级组织编码")
        elif level == OrgLevel.PROVINCE:
            errors.add(row.number, PARENT, parent, "省级组织不能有上级组织")
        elif parent == code:
            pass  # reported as a cycle below
        elif parent not in in_file and parent not in existing:
            errors.add(row.number, PARENT, parent, "上级组织编码不存在")
        else:
            parent_level = level_of(parent)
            if parent_level is not None and parent_level not in ALLOWED_PARENT_LEVELS[level]:
                errors.add(
                    row.number,
                    PARENT,
                    parent,
                    f"上级组织的层级是“{parent_level}”，“{level}”只能挂在{_allowed(level)}之下",
                )
        _check_figures(row, warnings)

    _check_single_root(roots, in_file, existing, errors)
    _check_stored_children(in_file, existing, errors)
    _check_cycles(in_file, existing, errors)


def _check_figures(row: Row, warnings: ProblemList) -> None:
    # A warning, not an error: the two figures come from different sources (the unit's register and
    # the platform's tags) and may disagree for a while; the rules read them as they are.
    party, tagged = row["party_members"], row["tagged_party_members"]
    if party is not None and tagged is not None and tagged > party:
        warnings.add(row.number, "已标记党员数", tagged, f"已标记党员数大于党员数（{party}）")


def _check_single_root(
    roots: list[Row], in_file: dict[str, Row], existing: dict[str, ExistingOrg], errors: ProblemList
) -> None:
    stored_roots = [code for code, org in existing.items() if org.parent_code is None and code not in in_file]
    if stored_roots:
        for row in roots:
            errors.add(row.number, LEVEL, row["level"], f"只能有一个省级组织，已有“{stored_roots[0]}”")
        return
    for row in roots[1:]:
        errors.add(
            row.number,
            LEVEL,
            row["level"],
            f"只能有一个省级组织，第 {roots[0].number} 行已有“{roots[0]['code']}”",
        )


def _check_stored_children(
    in_file: dict[str, Row], existing: dict[str, ExistingOrg], errors: ProblemList
) -> None:
    """A stored org whose level the file changes must still suit the stored children not in the file."""
    children: dict[str, list[str]] = {}
    for code, org in existing.items():
        if org.parent_code is not None and code not in in_file:
            children.setdefault(org.parent_code, []).append(code)
    for code, row in in_file.items():
        level = row["level"]
        if code not in existing or level is None or level == existing[code].level:
            continue
        for child in children.get(code, []):
            child_level = existing[child].level
            if level not in ALLOWED_PARENT_LEVELS[child_level]:
                errors.add(
                    row.number,
                    LEVEL,
                    level,
                    f"改为“{level}”后，下级组织“{child}”（{child_level}）不能挂在其下",
                )


def _check_cycles(in_file: dict[str, Row], existing: dict[str, ExistingOrg], errors: ProblemList) -> None:
    parent_of: dict[str, str | None] = {code: org.parent_code for code, org in existing.items()}
    for code, row in in_file.items():
        parent_of[code] = row["parent_code"] or None
    done: set[str] = set()
    for start in in_file:
        trail: list[str] = []
        on_trail: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_trail:
            trail.append(node)
            on_trail.add(node)
            node = parent_of.get(node)
        done.update(trail)
        if node is None or node not in on_trail:
            continue
        cycle = trail[trail.index(node) :]
        chain = " → ".join(
            f"{c}（第 {in_file[c].number} 行）" if c in in_file else c for c in [*cycle, cycle[0]]
        )
        for member in cycle:
            if member in in_file:
                row = in_file[member]
                errors.add(row.number, PARENT, row["parent_code"], f"组织树中存在循环：{chain}")


def _values(row: Row, keys: list[str]) -> dict[str, Any]:
    return {key: row[key] for key in keys}


def import_orgs(file: Source, *, actor: Any = None, campaign: Any = None) -> OrgImportResult:
    """Import a 组织架构 file into the org tree of `campaign` (default: the running campaign's): create the
    orgs whose 组织编码 is new in that tree, update those that exist. Other years' trees are not touched.

    Orgs that are not in the file are left alone (neither deleted nor moved), so a file may carry a
    whole tree or only the branch that changed. Columns missing from the file leave those fields of
    existing orgs unchanged. The file is refused whole (ImportRefused, nothing stored) on any error.

    Side effects, in one transaction: orgs created/updated; path/depth/unit/reporting_unit of the whole
    tree recomputed; quota rows added for new 报送单位 in every active campaign of the tree; an audit event.
    """
    reader = read_table(file, ORGS_TEMPLATE)
    rows = reader.read_all()
    errors, warnings = reader.errors, reader.warnings
    if not reader.header_ok:
        raise ImportRefused(errors, warnings)
    if not rows and not errors:
        errors.add(None, "", "", "文件中没有数据行")
    keys = [key for key in FIELDS if key in reader.present_keys]
    tree = tree_id_of(campaign)
    with transaction.atomic():
        # Locked read-then-write: a concurrent import of the tree waits instead of interleaving.
        stored = {org.code: org for org in Org.objects.select_for_update().filter(tree_id=tree)}
        code_of: dict[int | None, str] = {org.id: code for code, org in stored.items()}
        existing = {code: ExistingOrg(org.level, code_of.get(org.parent_id)) for code, org in stored.items()}
        validate_org_rows(rows, existing, errors, warnings)
        if errors:
            raise ImportRefused(errors, warnings)
        created, updated = _store(rows, stored, keys, tree)
        rebuild_tree(tree)
        running = Campaign.objects.filter(is_active=True, org_tree_id=tree)
        quotas = sum(ensure_quotas(each) for each in running)
        result = OrgImportResult(
            created=len(created),
            updated=updated,
            unchanged=len(rows) - len(created) - updated,
            quotas_created=quotas,
            warnings=warnings.sorted(),
            warnings_omitted=warnings.omitted,
        )
        refresh_current_snapshot(tree)  # learners' units and ranks in unit follow the tree
        mark_tree_stale(tree)  # every active campaign deciding from this tree reads this data
        record_event(
            action=AuditAction.ORGS_IMPORT,
            actor=actor,
            summary=result.summary,
            after={"created": result.created, "updated": updated, "quotas_created": quotas},
        )
    return result


def _store(
    rows: list[Row], stored: dict[str, Org], keys: list[str], tree: int | None
) -> tuple[list[Org], int]:
    # New orgs are inserted parents first, level by level, so each row carries its parent's id and no
    # second pass over the new rows is needed (bulk_update is slow: it builds a CASE per field and row).
    pending = [row for row in rows if row["code"] not in stored]
    created: list[Org] = []
    while pending:
        ready = [row for row in pending if not row["parent_code"] or row["parent_code"] in stored]
        if not ready:  # cannot happen after validate_org_rows (cycles, unknown parents are refused)
            raise RuntimeError("组织树无法排序：存在循环或未知上级")
        level = [
            Org(tree_id=tree, code=row["code"], parent_id=stored[row["parent_code"]].id if row["parent_code"] else None,
                **_values(row, FIELDS))
            for row in ready
        ]  # fmt: skip
        Org.objects.bulk_create(level, batch_size=1000)
        stored.update({org.code: org for org in level})
        created.extend(level)
        ready_codes = {row["code"] for row in ready}
        pending = [row for row in pending if row["code"] not in ready_codes]
    new_codes = {org.code for org in created}
    changed: list[Org] = []
    for row in rows:
        if row["code"] in new_codes:
            continue
        org = stored[row["code"]]
        parent = stored[row["parent_code"]].id if row["parent_code"] else None
        values = _values(row, keys)
        if org.parent_id != parent or any(getattr(org, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(org, key, value)
            org.parent_id = parent
            changed.append(org)
    Org.objects.bulk_update(changed, [*keys, "parent"], batch_size=BULK_UPDATE_BATCH)
    return created, len(changed)
