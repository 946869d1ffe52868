from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F

from jixing.people.enums import RoleKind, VolunteerType


class Snapshot(models.Model):
    """One import of the baseline points export (基准积分). Only a complete import becomes current."""

    name = models.CharField("名称", max_length=200)
    taken_at = models.DateTimeField("截图时间")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    row_count = models.PositiveIntegerField("行数", default=0)
    is_current = models.BooleanField("当前快照", default=False)
    # False while an import writes its rows: such a snapshot is never current, and one left behind by a
    # killed import is removed by the next import (people.domain.snapshots.cleanup).
    is_complete = models.BooleanField("导入完成", default=True)
    # The org tree the rows' orgs belong to (None: the first tree): each tree has its own current snapshot.
    tree = models.ForeignKey(
        "orgs.OrgTree",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="snapshots",
        editable=False,
    )

    class Meta:
        verbose_name = "积分快照"
        verbose_name_plural = "积分快照"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True, tree__isnull=True),
                name="one_current_snapshot",
            ),
            models.UniqueConstraint(
                fields=["tree"],
                condition=models.Q(is_current=True, tree__isnull=False),
                name="one_current_snapshot_per_tree",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Learner(models.Model):
    """A row of a snapshot: one platform account (学号) with its points at the baseline time."""

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="learners", db_constraint=False, db_index=False
    )
    account_id = models.CharField("学号", max_length=64)
    name = models.CharField("姓名", max_length=64)
    # The snapshot keeps no full ID or phone number (people.masking; README 个人信息保护): the rules need only
    # the keyed hash below, people recognise a row by the masked forms, and millions of rows import fast
    # without an encryption per cell. Whoever needs a whole number gets it typed where it is used
    # (a nomination's contact phone), stored there encrypted.
    phone_masked = models.CharField("手机号（脱敏）", max_length=11, blank=True)
    id_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    # Keyed hash of the ID number (or of 姓名+手机号 when the number is absent): G.2/G.3 find one person
    # across accounts by an indexed equality, never by scanning.
    # Not indexed: it is read by account (people.domain.identity), never searched; an index on 8 million
    # random hashes would cost the import more than any query gains.
    person_key = models.CharField(max_length=64)
    # No database constraints on the snapshot's foreign keys, and no index of their own (the indexes below
    # lead with the snapshot): a snapshot's rows are bulk-loaded after the
    # importer has checked every code, and on PostgreSQL each snapshot is a partition of its own that is
    # attached whole (people.domain.snapshots.storage) — a constraint would re-check 8 million rows.
    org = models.ForeignKey(
        "orgs.Org",
        verbose_name="组织",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # Derived at import (people.domain.snapshots.figures): the learner's unit (nearest 单位 at or above
    # the org node) and the rank in that unit by the two orders the plan names, competition ranking.
    unit = models.ForeignKey(
        "orgs.Org",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    rank_by_total = models.PositiveIntegerField("单位内排名（总积分优先）", null=True, blank=True)
    rank_by_annual = models.PositiveIntegerField("单位内排名（年度积分优先）", null=True, blank=True)
    total_points = models.PositiveIntegerField("总积分")
    annual_points = models.PositiveIntegerField("年度积分")
    national_total_rank = models.PositiveIntegerField("全国总积分排名", null=True, blank=True)
    national_annual_rank = models.PositiveIntegerField("全国年度积分排名", null=True, blank=True)
    perfect_clearances = models.PositiveIntegerField("完美通关次数", default=0)
    is_real_name = models.BooleanField("是否实名认证", default=False)
    is_shanxi_phone = models.BooleanField("是否山西号码", default=False)
    is_platform_staff = models.BooleanField("是否省平台工作人员", default=False)

    class Meta:
        verbose_name = "学员"
        verbose_name_plural = "学员"
        # Each index leads with the column that tells rows apart, the snapshot second: every query names
        # both, and 8 million keys sort several times faster when the first column is not the same in
        # every row (PostgreSQL's abbreviated keys see only the first column; the import builds these
        # indexes on each new snapshot's rows).
        constraints = [
            # Written with expressions so that SQLite too makes it an index of its own (CREATE UNIQUE
            # INDEX), which the import can drop and build again; plain fields would be part of SQLite's
            # table definition, removable only by copying the whole table.
            models.UniqueConstraint(F("account_id"), F("snapshot"), name="one_account_per_snapshot")
        ]
        indexes = [models.Index(fields=["org", "snapshot"], name="learner_org_snapshot")]

    def __str__(self) -> str:
        return f"{self.name}（{self.account_id}）"


class SnapshotUnit(models.Model):
    """Per snapshot and unit: how many of the snapshot's learners belong to the unit (derived at import)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("orgs.Org", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    learners = models.PositiveIntegerField("快照学员数")

    class Meta:
        verbose_name = "快照单位人数"
        verbose_name_plural = "快照单位人数"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit"], name="one_count_per_snapshot_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.learners}"


class Role(models.Model):
    """A platform role held by an account at one org node (角色 template)."""

    account_id = models.CharField("学号", max_length=64, db_index=True)
    org = models.ForeignKey("orgs.Org", verbose_name="组织", on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField("角色", max_length=8, choices=RoleKind.choices)
    is_full_time = models.BooleanField("是否专职", default=False)
    assessments = models.PositiveIntegerField("编审技能考核次数", default=0)
    training_hours = models.DecimalField("培训学时", max_digits=6, decimal_places=1, default=0)
    volunteer_type = models.CharField("志愿类型", max_length=4, choices=VolunteerType.choices, blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(
                fields=["account_id", "org", "kind"], name="one_role_per_account_org_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind}@{self.org_id}"
