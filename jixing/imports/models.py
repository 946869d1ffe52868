from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jixing.imports.enums import ACTIVE_STATES, FINISHED_STATES, STALE_AFTER, ImportKind, JobState
from jixing.people.domain.progress import PHASE_LABELS, Phase


class ImportJob(models.Model):
    """One uploaded file imported in the background, from 排队中 to its end, with its progress.

    The upload is kept under MEDIA_ROOT/imports/ (outside every served folder) only while the job needs
    it; `file` is emptied when the job ends. Problems are stored as the refusal listed them — the first
    1,000 (ProblemList's cap) as {row, column, value, reason}, and the count of the rest.
    """

    kind = models.CharField("数据类型", max_length=16, choices=ImportKind.choices)
    state = models.CharField("状态", max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    phase = models.CharField(
        "阶段", max_length=16, choices=[(p.value, PHASE_LABELS[p]) for p in Phase], blank=True
    )
    done = models.PositiveBigIntegerField("已处理行数", default=0)
    total = models.PositiveBigIntegerField("总行数", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    phase_started_at = models.DateTimeField("本阶段开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    file = models.FileField("上传文件", upload_to="imports/", max_length=255, blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    # Snapshots only: what the new snapshot is called and when its points were taken.
    name = models.CharField("快照名称", max_length=200, blank=True)
    taken_at = models.DateTimeField("截取时间", null=True, blank=True)
    summary = models.CharField("结果", max_length=500, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    errors_total = models.PositiveIntegerField("错误数", default=0)
    errors_omitted = models.PositiveIntegerField("未列出的错误数", default=0)
    warnings = models.JSONField("提醒", default=list, blank=True)
    warnings_omitted = models.PositiveIntegerField("未列出的提醒数", default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The database, not only start_import's check, keeps two imports of one kind from running at
            # once: two uploads at the same moment both pass the check, one of them fails here.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(state__in=ACTIVE_STATES),
                name="one_active_import_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    def is_stale(self, now=None) -> bool:
        """进行中 but silent past STALE_AFTER: its worker is gone."""
        now = now or timezone.now()
        return self.state == JobState.RUNNING and now - self.updated_at > STALE_AFTER

    def shown_state(self, now=None) -> str:
        """The state as people should read it: a stale 进行中 is 中断."""
        if self.is_stale(now):
            return JobState.INTERRUPTED.label
        return self.get_state_display()

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[Phase(self.phase)] if self.phase else ""
