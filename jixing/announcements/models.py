"""汇总公示 and 通报表扬: the public list with its objection window, objections, the approval step."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

from jixing.announcements.enums import CertificateKind, ObjectionChannel, ObjectionOutcome
from jixing.imports.enums import JobState
from jixing.people.fields import EncryptedCharField


class Announcement(models.Model):
    """One publication of the public list (公示). Its objection window is half-open
    [window_starts_at, window_ends_at): it opens at 00:00 of `starts_on` and closes at 00:00 of the day
    after `ends_on`, the `working_days`-th working day after `starts_on` (Asia/Shanghai)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="announcements")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示截止日期")
    working_days = models.PositiveSmallIntegerField("公示工作日数")
    window_starts_at = models.DateTimeField("受理开始时间")
    window_ends_at = models.DateTimeField("受理截止时间")

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["campaign", "published_at"]

    def __str__(self) -> str:
        return f"{self.campaign} 公示（{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}）"

    def is_open(self, moment: datetime) -> bool:
        return self.window_starts_at <= moment < self.window_ends_at

    def has_closed(self, moment: datetime) -> bool:
        return moment >= self.window_ends_at


class AnnouncementEntry(models.Model):
    """A nomination on a published list, with the only three things the public may see of it, copied
    at publication: the public page reads these columns and nothing else of the nomination."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="entries")
    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="announcement_entry"
    )
    position = models.PositiveIntegerField("序号")
    category_name = models.CharField("项目", max_length=32)
    category_number = models.PositiveSmallIntegerField("项目序号")
    is_person = models.BooleanField("个人项目", default=True)
    display_name = models.CharField("姓名或单位名称", max_length=200)
    display_unit = models.CharField("所在单位", max_length=200)

    class Meta:
        verbose_name = "公示条目"
        verbose_name_plural = "公示条目"
        ordering = ["announcement", "position"]

    def __str__(self) -> str:
        return f"{self.category_name} {self.display_name}"


class Objection(models.Model):
    """A real-name objection (实名反映) to a published nomination, and how the province handled it."""

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="objections"
    )
    # Given to the objector to look the objection up; letters and digits, never a long run of digits.
    receipt = models.CharField("受理编号", max_length=16, unique=True)
    name = models.CharField("反映人姓名", max_length=32)
    # Encrypted at rest like every personal number (people.fields); shown whole only to the province.
    phone = EncryptedCharField("联系电话", max_length=20)
    content = models.TextField("反映内容")
    received_at = models.DateTimeField("收到时间")
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    channel = models.CharField(
        "反映方式", max_length=8, choices=ObjectionChannel.choices, default=ObjectionChannel.WEB
    )
    # The province admin who recorded an objection received by phone, letter or e-mail; None for the page's.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        "处理结果", max_length=16, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.TextField("核查情况", blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_at"]
        indexes = [models.Index(fields=["outcome", "received_at"], name="objection_outcome")]

    def __str__(self) -> str:
        return f"{self.receipt} {self.get_outcome_display()}"

    @property
    def is_handled(self) -> bool:
        return self.outcome != ObjectionOutcome.PENDING


class Approval(models.Model):
    """The 省委宣传部's approval of the published list, as recorded by the province."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="approvals")
    document_ref = models.CharField("批复文号", max_length=100)
    approved_on = models.DateField("批复日期")
    note = models.TextField("备注", blank=True)
    nomination_count = models.PositiveIntegerField("审批通过数")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["campaign", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.document_ref}（{self.approved_on:%Y-%m-%d}）"


class Certificate(models.Model):
    """The certificate (a commended person) or plaque (a commended unit) of one commended nomination,
    issued at 通报表扬 (announcements.domain.certificates.issue_certificates) and revoked when the
    commendation is withdrawn. Holder, unit and category are copied at issue, so the public verification
    page (public/verify/<serial>/) reads these columns and nothing else."""

    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="certificate"
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="certificates")
    # 「JX2022-01-0007」: campaign year, category number, sequence within the category in official order.
    serial = models.CharField("证书编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=16, choices=CertificateKind.choices)
    holder = models.CharField("获得者", max_length=200)
    unit = models.CharField("所在单位", max_length=200, blank=True)
    category_name = models.CharField("项目", max_length=32)
    category_number = models.PositiveSmallIntegerField("项目序号")
    engraving = models.TextField("奖牌刻字", blank=True)
    issued_at = models.DateTimeField("颁发时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = "证书和奖牌"
        verbose_name_plural = "证书和奖牌"
        ordering = ["campaign", "category_number", "serial"]

    def __str__(self) -> str:
        return f"{self.serial} {self.holder}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_plaque(self) -> bool:
        return self.kind == CertificateKind.PLAQUE


class CertificateBatch(models.Model):
    """The certificates of the whole final list made in the background (announcements.tasks), one PDF per
    person in one zip under DATA_DIR/certificates/, with the plaque files beside them. `done` counts the
    certificates made so far; the 通报表扬 page polls it."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="certificate_batches"
    )
    state = models.CharField("状态", max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField("已生成证书数", default=0)
    total = models.PositiveIntegerField("证书总数", default=0)
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    stored_name = models.CharField("存储文件名", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("文件大小", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField("后台任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "证书批量生成"
        verbose_name_plural = "证书批量生成"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.campaign} 证书 {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if self.state == JobState.DONE else int(100 * self.done / self.total) if self.total else 0
