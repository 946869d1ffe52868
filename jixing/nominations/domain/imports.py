"""Bulk entry of nominations from the 申报 template (a reporting unit's list; `jixing evaluate`'s input)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.eligibility_rules import compiled_rules
from jixing.campaigns.enums import CategoryKind
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.enums import NominationState
from jixing.nominations.models import Nomination, RuleDecision
from jixing.orgs.domain.queries import is_in_subtree
from jixing.orgs.models import Org
from jixing.people.domain.queries import current_snapshot
from jixing.people.models import Learner
from jixing.tables import NOMINATIONS_TEMPLATE, ImportRefused, ProblemList, Row, read_table, split_list
from jixing.tables.reading import Source

UNKNOWN_ORG = "组织编码不存在"
BULK_SOURCE = "批量导入"


@dataclass
class NominationImportResult:
    created: int
    warnings: list

    @property
    def summary(self) -> str:
        return f"导入申报 {self.created} 条"


def _check_row(
    row: Row,
    *,
    categories: dict[str, Any],
    orgs: dict[str, Org],
    rule_ids: dict[str, set[str]],
    existing: set[str],
    first_row: dict[str, int],
    scope: Org | None,
    errors: ProblemList,
) -> None:
    # A cell the reader refused (empty where required, too long) is None: it was reported once, as what it
    # is; checking it again would add a second, wrong reason (an empty 项目 is no "unknown category").
    number = row["number"]
    if number is not None:
        if number in first_row:
            errors.add(row.number, "申报编号", number, f"申报编号重复（与第 {first_row[number]} 行重复）")
        elif number in existing:
            errors.add(row.number, "申报编号", number, "申报编号已存在")
        first_row.setdefault(number, row.number)
    category = categories.get(row["category"])
    if category is None:
        if row["category"] is not None:
            errors.add(row.number, "项目", row["category"], f"应为以下之一：{'、'.join(categories)}")
    elif category.kind == CategoryKind.PERSON and row["account_id"] == "":
        errors.add(row.number, "学号", "", f"个人项目“{category.name}”须填写学号")
    elif category.kind == CategoryKind.UNIT and row["nominee_org_code"] is not None:
        code = row["nominee_org_code"]
        if not code:
            errors.add(row.number, "被推荐组织编码", "", f"单位项目“{category.name}”须填写被推荐组织编码")
        elif code not in orgs:
            errors.add(row.number, "被推荐组织编码", code, UNKNOWN_ORG)
        elif not orgs[code].is_unit_like:
            errors.add(row.number, "被推荐组织编码", code, "被推荐组织应为单位或通讯站")
    recommending = orgs.get(row["recommending_code"])
    if recommending is None:
        if row["recommending_code"] is not None:
            errors.add(row.number, "推荐单位编码", row["recommending_code"], UNKNOWN_ORG)
    elif recommending.reporting_unit_id is None:
        errors.add(row.number, "推荐单位编码", row["recommending_code"], "推荐单位不属于任何报送单位")
    elif scope is not None and not is_in_subtree(recommending, scope):
        errors.add(row.number, "推荐单位编码", row["recommending_code"], "推荐单位不在本单位管辖范围内")
    if category is not None:
        for column, key in (("已确认", "confirmed"), ("已否决", "refused")):
            unknown = [r for r in split_list(row[key]) if r not in rule_ids[category.name]]
            if unknown:
                errors.add(
                    row.number, column, row[key], f"规则“{'、'.join(unknown)}”不适用于“{category.name}”"
                )
        both = set(split_list(row["confirmed"])) & set(split_list(row["refused"]))
        if both:
            errors.add(
                row.number,
                "已否决",
                row["refused"],
                f"规则“{'、'.join(sorted(both))}”同时出现在已确认和已否决中",
            )


def import_nominations(
    file: Source, *, campaign: Campaign, actor: Any = None, scope: Org | None = None
) -> NominationImportResult:
    """Create the nominations of a 申报 file in `campaign` (refused whole on any error).

    `scope`, when given, is the org whose subtree every 推荐单位 must lie in (a reporting unit entering
    its own list). A row with 提交时间 is stored as submitted (已申报), without as a draft. 材料 become
    declared evidence kinds; 已确认/已否决 become reviewer decisions marked as coming from the file.
    Side effects, in one transaction: nominations, decisions, an audit event; the campaign marked stale.
    """
    reader = read_table(file, NOMINATIONS_TEMPLATE)
    rows = reader.read_all()
    errors, warnings = reader.errors, reader.warnings
    if not reader.header_ok:
        raise ImportRefused(errors, warnings)
    categories = {c.name: c for c in campaign.categories.all()}
    compiled = compiled_rules(campaign)
    rule_ids = {name: {r.id for r in compiled.category(name).rules} for name in categories}
    codes = {row[k] for row in rows for k in ("recommending_code", "nominee_org_code") if row[k]}
    orgs = {o.code: o for o in Org.objects.filter(tree_id=campaign.org_tree_id, code__in=codes)}
    existing = set(Nomination.objects.filter(campaign=campaign).values_list("number", flat=True))
    first_row: dict[str, int] = {}
    for row in rows:
        _check_row(row, categories=categories, orgs=orgs, rule_ids=rule_ids, existing=existing,
                   first_row=first_row, scope=scope, errors=errors)  # fmt: skip
    if not rows and not errors:
        errors.add(None, "", "", "文件中没有数据行")
    if errors:
        raise ImportRefused(errors, warnings)
    snapshot = current_snapshot(campaign)
    names: dict[str, str] = {}
    if snapshot is not None:
        accounts = {row["account_id"] for row in rows if row["account_id"]}
        names = dict(
            Learner.objects.filter(snapshot=snapshot, account_id__in=accounts).values_list(
                "account_id", "name"
            )
        )
    with transaction.atomic():
        nominations = []
        for row in rows:
            category = categories[row["category"]]
            recommending = orgs[row["recommending_code"]]
            # Nomination.reporting_unit is NOT NULL: an org outside every reporting unit fails here, not in SQL.
            if recommending.reporting_unit_id is None:
                raise ValueError(f"{recommending.code} lies under no reporting unit")
            is_person = category.kind == CategoryKind.PERSON
            nominations.append(
                Nomination(
                    campaign=campaign,
                    category=category,
                    number=row["number"],
                    nominee_account=row["account_id"] if is_person else "",
                    nominee_name=names.get(row["account_id"], "")
                    if is_person
                    else orgs[row["nominee_org_code"]].name,
                    nominee_org=None if is_person else orgs[row["nominee_org_code"]],
                    recommending_org=recommending,
                    reporting_unit_id=recommending.reporting_unit_id,
                    state=NominationState.SUBMITTED if row["submitted_at"] else NominationState.DRAFT,
                    submitted_at=row["submitted_at"],
                    declared_evidence=split_list(row["evidence"]),
                    activity_count=row["activity_count"],
                    typed_total_points=row["typed_total_points"],
                    typed_annual_points=row["typed_annual_points"],
                    judges_score=row["judges_score"],
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
            )
        Nomination.objects.bulk_create(nominations, batch_size=1000)
        by_number = dict(
            Nomination.objects.filter(campaign=campaign, number__in=first_row).values_list("number", "id")
        )
        decisions = [
            RuleDecision(nomination_id=by_number[row["number"]], rule_id=rule_id, holds=holds, source=BULK_SOURCE,
                         decided_by=actor if getattr(actor, "pk", None) else None)
            for row in rows
            for key, holds in (("confirmed", True), ("refused", False))
            for rule_id in split_list(row[key])
        ]  # fmt: skip
        RuleDecision.objects.bulk_create(decisions, batch_size=1000)
        result = NominationImportResult(len(nominations), warnings.sorted())
        record_event(action=AuditAction.NOMINATIONS_IMPORT, actor=actor, target=campaign, summary=result.summary,
                     after={"created": len(nominations), "decisions": len(decisions)})  # fmt: skip
        mark_changed(campaign, by_number.values())
    return result
