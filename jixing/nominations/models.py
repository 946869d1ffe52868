from __future__ import annotations

from django.conf import settings
from django.db import models

from jixing.nominations.enums import (
    PACKAGE_ACTIVE_STATES,
    EvidenceKind,
    ListState,
    NominationState,
    PackageScope,
    PackageState,
)


class Nomination(models.Model):
    """One application in one category: a person (学号) or a unit, recommended by a unit."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="nominations")
    category = models.ForeignKey("campaigns.Category", on_delete=models.PROTECT, related_name="nominations")
    number = models.CharField("申报编号", max_length=32)
    nominee_account = models.CharField("学号", max_length=64, blank=True, db_index=True)
    nominee_name = models.CharField("姓名", max_length=64, blank=True)
    nominee_org = models.ForeignKey(
        "orgs.Org",
        verbose_name="被推荐组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommending_org = models.ForeignKey(
        "orgs.Org", verbose_name="推荐单位", on_delete=models.PROTECT, related_name="nominations"
    )
    # Nearest 报送单位 of the recommending unit, fixed at creation: the scoping and quota key.
    reporting_unit = models.ForeignKey(
        "orgs.Org", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=16, choices=NominationState.choices, default=NominationState.DRAFT
    )
    summary = models.TextField("事迹简介", blank=True)
    typed_total_points = models.PositiveIntegerField("填报总积分", null=True, blank=True)
    typed_annual_points = models.PositiveIntegerField("填报年度积分", null=True, blank=True)
    judges_score = models.DecimalField("评审分", max_digits=6, decimal_places=2, null=True, blank=True)
    # Who gave the score (plan 7.3: a 志愿者工作群管理人员, in the app; empty when it came from an import).
    judges_comment = models.TextField("评审意见", blank=True)
    judges_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judges_scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    activity_count = models.PositiveIntegerField("活动次数", null=True, blank=True)
    warn_reason = models.TextField(
        "推荐理由说明", blank=True, help_text="「原则上」条件不满足时推荐单位的书面说明"
    )
    # Keys of the campaign definition's declarations (承诺) the filler ticked.
    declarations = models.JSONField("承诺事项", default=list, blank=True)
    # A learner's own application (Action.APPLY): his draft until he applies, then his unit confirms.
    self_applied = models.BooleanField("本人申报", default=False)
    # What was last typed on the form, as typed (strings), so that an invalid or unsent value is never
    # lost; the columns above hold the values that parsed. Cleared when the nomination is sent up.
    draft_data = models.JSONField("草稿", default=dict, blank=True)
    draft_saved_at = models.DateTimeField("草稿保存时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # Evidence kinds declared without a file (bulk entry of the 申报 template, `jixing evaluate`).
    declared_evidence = models.JSONField("声明的材料", default=list, blank=True)
    # Eligibility results, recomputed by nominations.domain.evaluation; never typed by anyone.
    status = models.CharField("资格状态", max_length=16, blank=True, editable=False)
    rank = models.PositiveIntegerField("默认排序", null=True, blank=True, editable=False)
    rule_results = models.JSONField("规则结果", default=dict, blank=True, editable=False)
    evaluated_at = models.DateTimeField("判定时间", null=True, blank=True, editable=False)
    # Incremental re-evaluation (nominations.domain.evaluation): every change the rules read counts up
    # data_version (staleness.mark_stale); a refresh stores the version it read as evaluated_version, so a
    # change written while it ran keeps the nomination due. evaluated_person: the person_key the stored
    # results were computed with, which ties the nomination to the others of the same person (G.3, G.6).
    data_version = models.PositiveIntegerField(default=1, editable=False)
    evaluated_version = models.PositiveIntegerField(default=0, editable=False)
    evaluated_person = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="one_number_per_campaign")]
        indexes = [
            models.Index(fields=["campaign", "reporting_unit", "category", "state"], name="nomination_quota"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.nominee_name}"


class Attachment(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("材料类型", max_length=8, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # The type found by reading the content (never the browser's claim); served with this type.
    content_type = models.CharField("文件类型", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "印证材料"
        verbose_name_plural = "印证材料"

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"


class RuleDecision(models.Model):
    """A reviewer's judgement turning a `manual` rule into pass or fail."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="decisions")
    rule_id = models.CharField("规则", max_length=8)
    holds = models.BooleanField("是否符合")
    comment = models.TextField("意见", blank=True)
    # Empty for decisions that came in a bulk file (申报 template 已确认/已否决): `source` says so.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=64, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "人工判定"
        verbose_name_plural = "人工判定"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "rule_id"], name="one_decision_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {'符合' if self.holds else '不符合'}"


class RecommendationList(models.Model):
    """A reporting unit's 推荐总表 in a campaign: its picks per category (ListEntry), the sealed scans of the
    printed table (SealedScan), and whether it has been sent to the province (G.7: never above quota)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="recommendation_lists"
    )
    reporting_unit = models.ForeignKey(
        "orgs.Org", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=16, choices=ListState.choices, default=ListState.OPEN)
    # Last change of the picks: a sealed scan uploaded before it shows an older table and is not enough.
    changed_at = models.DateTimeField("名单修改时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField("重新开放时间", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.TextField("重新开放理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "推荐总表"
        verbose_name_plural = "推荐总表"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "reporting_unit"], name="one_list_per_reporting_unit")
        ]

    def __str__(self) -> str:
        return f"{self.reporting_unit} 推荐总表"

    @property
    def is_submitted(self) -> bool:
        return self.state == ListState.SUBMITTED


class ListEntry(models.Model):
    """One picked nomination at its place in its category's order. `override_reason` is the reviewer's
    recorded reason when the place departs from the default order (the stored rank)."""

    recommendation_list = models.ForeignKey(
        RecommendationList, on_delete=models.CASCADE, related_name="entries"
    )
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="list_entry")
    # The nomination's category, kept here so positions are unique per category of a list.
    category = models.ForeignKey("campaigns.Category", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("推荐顺序")
    override_reason = models.TextField("调整排序理由", blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    picked_at = models.DateTimeField("选入时间")

    class Meta:
        verbose_name = "推荐名单条目"
        verbose_name_plural = "推荐名单条目"
        ordering = ["recommendation_list", "category__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation_list", "category", "position"], name="one_entry_per_list_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}#{self.position} {self.nomination_id}"


class SealedScan(models.Model):
    """A scan (PDF or picture) of the printed 推荐总表 with the reporting unit's seal. Earlier scans are
    kept: the newest one is the list's, and every upload stays traceable."""

    recommendation_list = models.ForeignKey(
        RecommendationList, on_delete=models.CASCADE, related_name="scans"
    )
    file = models.FileField("文件", upload_to="sealed/%Y/%m/", max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField("文件类型", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "盖章扫描件"
        verbose_name_plural = "盖章扫描件"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class EvidencePackage(models.Model):
    """One zip of a scope's 报名表 and evidence, built in the background (nominations.domain.packages).

    The scope is a reporting unit (`reporting_unit`) or a category province-wide (`category`). The
    finished zip lives under DATA_DIR/packages/ as `stored_name` (random, never served by the web server);
    a newer build of the same scope replaces it. At most one build per scope is queued or running.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField("范围", max_length=16, choices=PackageScope.choices)
    # "unit:<org id>" or "category:<category id>": one column for the constraint below (a NULL in a
    # unique constraint would make every row distinct on most databases).
    scope_key = models.CharField("范围标识", max_length=40)
    reporting_unit = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "campaigns.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField("状态", max_length=16, choices=PackageState.choices, default=PackageState.QUEUED)
    done = models.PositiveIntegerField("已打包文件数", default=0)
    total = models.PositiveIntegerField("文件总数", null=True, blank=True)
    nominations = models.PositiveIntegerField("申报数", default=0)
    missing = models.PositiveIntegerField("缺失文件数", default=0)
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    stored_name = models.CharField("存储文件名", max_length=64, blank=True)
    filename = models.CharField("下载文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "材料包"
        verbose_name_plural = "材料包"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click, or two reviewers at once, cannot start two builds of one scope: the second
            # save fails here and start_package hands back the running one.
            models.UniqueConstraint(
                fields=["campaign", "scope_key"],
                condition=models.Q(state__in=PACKAGE_ACTIVE_STATES),
                name="one_active_package_per_scope",
            )
        ]

    def __str__(self) -> str:
        return self.filename
