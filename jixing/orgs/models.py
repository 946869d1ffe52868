from __future__ import annotations

from django.db import models

from jixing.orgs.enums import OrgLevel, Sector


class OrgTree(models.Model):
    """One year's org tree, owned by the campaign that runs on it (Campaign.org_tree), with the snapshots
    and roles imported into it: importing next year's files into next year's tree changes nothing that an
    earlier campaign shows or decides. The tree the platform started with has no row: its orgs, snapshots
    and campaigns have tree None (orgs.domain.trees)."""

    name = models.CharField("名称", max_length=200)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织架构（年度）"
        verbose_name_plural = "组织架构（年度）"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Org(models.Model):
    """A node of the province's org tree, with the figures the rules read.

    `path` ("/1/7/42/") makes "this node's subtree" one indexed prefix query; `unit` and
    `reporting_unit` are the nearest 单位 (or station) and 报送单位 at or above the node, kept
    denormalised by the import so that scoping and the rules never walk the tree per row.
    """

    tree = models.ForeignKey(
        OrgTree, null=True, blank=True, on_delete=models.PROTECT, related_name="orgs", editable=False
    )
    code = models.CharField("组织编码", max_length=64, db_index=True)
    name = models.CharField("组织名称", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField("层级", max_length=8, choices=OrgLevel.choices)
    is_station = models.BooleanField("是否通讯站", default=False)
    is_legal_entity = models.BooleanField("是否独立法人", default=False)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    sector = models.CharField("单位性质", max_length=8, choices=Sector.choices, blank=True)
    members = models.PositiveIntegerField("学员数", null=True, blank=True)
    staff = models.PositiveIntegerField("在职人数", null=True, blank=True)
    party_members = models.PositiveIntegerField("党员数", null=True, blank=True)
    tagged_party_members = models.PositiveIntegerField("已标记党员数", null=True, blank=True)
    daily_active_rate = models.DecimalField("日活跃率", max_digits=7, decimal_places=4, null=True, blank=True)
    articles_submitted = models.PositiveIntegerField("年度提交稿件数", null=True, blank=True)
    published_provincial = models.PositiveIntegerField("省平台刊发数", null=True, blank=True)
    published_national = models.PositiveIntegerField("总平台刊发数", null=True, blank=True)
    articles_reviewed = models.PositiveIntegerField("年度审核稿件数", null=True, blank=True)
    bulletin_errors_provincial = models.PositiveIntegerField("省平台简报差错数", null=True, blank=True)
    bulletin_errors_national = models.PositiveIntegerField("总平台简报差错数", null=True, blank=True)

    path = models.CharField(max_length=512, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    unit = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reporting_unit = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["path"]
        constraints = [
            # A 组织编码 names one org in its tree; the same unit has a row in each year's tree.
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(tree__isnull=True), name="one_code_in_first_tree"
            ),
            models.UniqueConstraint(
                fields=["tree", "code"], condition=models.Q(tree__isnull=False), name="one_code_per_tree"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit_like(self) -> bool:
        """A 单位, or a station node, which counts as its own unit (campaign-2022.md)."""
        return self.level == OrgLevel.UNIT or self.is_station
