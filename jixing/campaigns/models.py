from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from jixing.campaigns.enums import CategoryKind, PhaseKey, Recommender


class Campaign(models.Model):
    """A campaign loaded from a definition file (campaigns/definitions/<id>/). `definition` keeps the
    whole validated file, so a campaign stays reproducible even after the shipped file changes."""

    slug = models.SlugField("标识", max_length=64, unique=True)
    definition_id = models.CharField("定义文件", max_length=64)
    name = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    baseline_at = models.DateTimeField("基准积分时间")
    contact = models.JSONField("联系方式", default=dict, blank=True)
    definition = models.JSONField("定义", default=dict)
    is_active = models.BooleanField("进行中", default=True)
    # The org tree, and with it the snapshots and roles, this campaign decides from (None: the first tree).
    # `jixing load-campaign --orgs …` gives a new year's campaign a tree of its own (orgs.domain.trees).
    org_tree = models.ForeignKey(
        "orgs.OrgTree",
        verbose_name="组织架构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Eligibility results are recomputed in the background when data they read has changed since the last
    # evaluation (campaigns.domain.staleness): the nominations a change touched and those compared with
    # them, or the whole campaign when data every nomination reads changed (snapshot, org tree, roles,
    # quotas): whole_version counts those changes up, whole_evaluated_version is the one the last whole
    # evaluation read. data_changed_at/evaluated_at say what a page shows (判定更新中, as of when).
    # refresh_queued_at: a refresh task is queued and has not started yet, so a change need not queue another.
    data_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    evaluated_at = models.DateTimeField(null=True, blank=True, editable=False)
    refresh_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    whole_version = models.PositiveIntegerField(default=1, editable=False)
    whole_evaluated_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "评选活动"
        verbose_name_plural = "评选活动"
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    def phase_at(self, moment: datetime | None = None) -> Phase | None:
        moment = moment or timezone.now()
        for phase in self.phases.all():
            if phase.contains(moment):
                return phase
        return None


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField("阶段", max_length=16, choices=PhaseKey.choices)
    name = models.CharField("名称", max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间", null=True, blank=True, help_text="为空表示不设截止")

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign", "position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="one_phase_per_key")]

    def __str__(self) -> str:
        return self.name

    def contains(self, moment: datetime) -> bool:
        """Windows are half-open [starts_at, ends_at): a deadline of 16:00 refuses 16:00:00 itself."""
        if moment < self.starts_at:
            return False
        return self.ends_at is None or moment < self.ends_at


class Category(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目", max_length=32)
    kind = models.CharField("类型", max_length=8, choices=CategoryKind.choices)
    recommender = models.CharField("推荐方式", max_length=16, choices=Recommender.choices)
    summary_limit = models.PositiveIntegerField("事迹简介字数上限", default=1000)

    class Meta:
        verbose_name = "评选项目"
        verbose_name_plural = "评选项目"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="one_category_per_number"),
            models.UniqueConstraint(fields=["campaign", "name"], name="one_category_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == CategoryKind.PERSON


class Quota(models.Model):
    """Seats of one reporting unit in one category (G.7)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="quotas")
    reporting_unit = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="quotas")
    seats = models.PositiveIntegerField("名额")

    class Meta:
        verbose_name = "名额"
        verbose_name_plural = "名额"
        constraints = [
            models.UniqueConstraint(fields=["category", "reporting_unit"], name="one_quota_per_unit_category")
        ]

    def __str__(self) -> str:
        return f"{self.reporting_unit} {self.category} {self.seats}"
