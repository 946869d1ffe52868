"""Starting next year's campaign on the same platform (issue 13, year over year).

`start_campaign` installs a copied definition as a new campaign with an org tree of its own and imports
that year's 组织架构, 积分快照 and 角色 files into it. Nothing of an earlier campaign is touched: its
orgs, snapshots and roles stay in its own tree (orgs.domain.trees), so what it shows and decides stays as
it was. The accounts move with their units: an account whose 组织编码 is in the new tree now works there
(the pages show the newest campaign); one whose unit is gone keeps its old place and is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from jixing.accounts.models import User
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.definitions import DefinitionError, install_campaign
from jixing.campaigns.models import Campaign
from jixing.orgs.domain.imports import OrgImportResult, import_orgs
from jixing.orgs.models import Org, OrgTree
from jixing.people.domain.imports import RoleImportResult, import_roles, import_snapshot
from jixing.people.domain.snapshots import storage
from jixing.people.domain.snapshots.loading import SnapshotImportResult
from jixing.people.models import Role, Snapshot
from jixing.refusals import Refused
from jixing.tables import ImportRefused


class FileRefused(Refused):
    """One of the year's files was refused by its importer: `label` names the file (组织架构, 积分快照,
    角色), `refused` carries the problems. Nothing of the new campaign is left."""

    def __init__(self, label: str, refused: ImportRefused) -> None:
        super().__init__(f"{label}文件未通过检查：{refused.summary}")
        self.label = label
        self.refused = refused


@dataclass(frozen=True)
class NextYearResult:
    campaign: Campaign
    orgs: OrgImportResult
    snapshot: SnapshotImportResult | None
    roles: RoleImportResult | None
    accounts_moved: int
    accounts_left: int  # accounts whose 组织编码 the new tree does not have

    @property
    def summary(self) -> str:
        parts = [
            f"已开始评选活动：{self.campaign.name}（{self.campaign.slug}），使用本年度自己的组织架构和数据",
            f"组织架构：{self.orgs.created} 个组织",
        ]
        if self.snapshot is not None:
            parts.append(f"积分快照：{self.snapshot.rows} 名学员")
        if self.roles is not None:
            parts.append(f"角色：{self.roles.created} 条")
        parts.append(f"账号随单位转入新组织架构：{self.accounts_moved} 个")
        if self.accounts_left:
            parts.append(f"组织编码在新组织架构中不存在、仍留在原单位的账号：{self.accounts_left} 个")
        return "；".join(parts)


def start_campaign(
    definition: dict[str, Any],
    *,
    orgs: Path,
    learners: Path | None = None,
    roles: Path | None = None,
    slug: str | None = None,
    taken_at: datetime | None = None,
    actor: Any = None,
) -> NextYearResult:
    """Install `definition` as a new campaign with an org tree of its own, and import the year's files
    into that tree: the 组织架构 file (required), then the 积分快照 (taken at `taken_at`, default the
    definition's baseline) and the 角色 file when given.

    Refused (DefinitionError) when the campaign `slug` exists already: an existing campaign keeps the data
    it decided from. A file refused by its importer (FileRefused, naming the file) removes everything made
    so far: the campaign, its tree, orgs, snapshot and roles; no account has moved yet then.

    Side effects: the campaign, its tree and the imported rows; accounts moved to the new tree's orgs by
    组织编码; an audit event for each import and one for the start."""
    slug = slug or definition["id"]
    if Campaign.objects.filter(slug=slug).exists():
        raise DefinitionError(
            f"评选活动“{slug}”已存在：已有的活动保留它评选时的数据。新一年请复制定义文件夹并改用新的标识（id）"
        )
    tree = OrgTree.objects.create(name=f"{definition['name']}组织架构")
    campaign = install_campaign(definition, slug=slug, org_tree=tree)
    label = "组织架构"
    try:
        org_result = import_orgs(orgs, actor=actor, campaign=campaign)
        snapshot_result = None
        if learners is not None:
            label = "积分快照"
            snapshot_result = import_snapshot(
                learners,
                name=f"{campaign.name}基准积分",
                taken_at=taken_at or campaign.baseline_at,
                actor=actor,
                campaign=campaign,
            )
        role_result = None
        if roles is not None:
            label = "角色"
            role_result = import_roles(roles, actor=actor, campaign=campaign)
    except ImportRefused as exc:
        _discard(campaign, tree)
        raise FileRefused(label, exc) from exc
    except BaseException:
        _discard(campaign, tree)
        raise
    moved, left = move_accounts(tree)
    record_event(
        action=AuditAction.CAMPAIGN_START,
        actor=actor,
        summary=f"开始评选活动 {campaign.name}（使用本年度自己的组织架构）",
        target=campaign,
        after={
            "slug": campaign.slug,
            "orgs": org_result.created,
            "accounts_moved": moved,
            "accounts_left": left,
        },
    )
    return NextYearResult(campaign, org_result, snapshot_result, role_result, moved, left)


def move_accounts(tree: OrgTree) -> tuple[int, int]:
    """Point every account placed at an org of another tree to the org with the same 组织编码 in `tree`;
    (moved, left without a place in the new tree). One update per org the accounts sit at, not per account
    (learners' claimed accounts may be many)."""
    new_orgs = dict(Org.objects.filter(tree=tree).values_list("code", "pk"))
    elsewhere = User.objects.filter(org__isnull=False).exclude(org__tree=tree)
    moved = left = 0
    with transaction.atomic():
        for old_pk, code in Org.objects.filter(pk__in=elsewhere.values("org_id")).values_list("pk", "code"):
            accounts = User.objects.filter(org_id=old_pk)
            if code in new_orgs:
                moved += accounts.update(org_id=new_orgs[code])
            else:
                left += accounts.count()
    return moved, left


def _discard(campaign: Campaign, tree: OrgTree) -> None:
    """Remove a campaign being started and everything imported into its tree."""
    for snapshot in Snapshot.objects.filter(tree=tree):
        storage.discard(snapshot)
    with transaction.atomic():
        campaign.delete()
        Role.objects.filter(org__tree=tree).delete()
        Org.objects.filter(tree=tree).update(parent=None, unit=None, reporting_unit=None)
        Org.objects.filter(tree=tree).delete()
        tree.delete()
