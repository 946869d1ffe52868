"""The 省委宣传部's approval (审批) and the 通报表扬 that follows it."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.certificates import issue_certificates
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Announcement, Approval, Objection
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.phases import phase_problem
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, list_transition, transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.refusals import Refused


class ApprovalRefused(Refused):
    """Approval or commendation not possible now; the message says why, in Chinese."""


def approval_blockers(*, campaign: Campaign, now: datetime | None = None) -> list[str]:
    """What still stands in the way of recording the approval, in Chinese (empty when nothing does).
    Reads only."""
    now = now or timezone.now()
    announcements = list(Announcement.objects.filter(campaign=campaign))
    problems = []
    if not announcements:
        problems.append("尚未发布公示")
    for a in announcements:
        if not a.has_closed(now):
            problems.append(f"公示期（{a.starts_on:%Y年%m月%d日}至{a.ends_on:%Y年%m月%d日}）尚未结束")
    pending = Objection.objects.filter(
        nomination__campaign=campaign, outcome=ObjectionOutcome.PENDING
    ).count()
    if pending:
        problems.append(f"还有 {pending} 条公示异议未处理")
    if announcements and not Nomination.objects.filter(campaign=campaign, state=S.PUBLISHED).exists():
        problems.append("没有公示中的申报")
    return problems


def record_approval(
    *,
    campaign: Campaign,
    actor,
    document_ref: str,
    approved_on: date,
    note: str = "",
    now: datetime | None = None,
    ip: str | None = None,
) -> Approval:
    """Record the 省委宣传部's approval of the published list: every PUBLISHED nomination → APPROVED.

    Allowed only after every objection window has closed and every objection has been handled, with
    the approval's document reference (批复文号) and a date not in the future. Refused with
    ApprovalRefused, nothing changed.
    Side effects, in one transaction: an Approval row; each nomination APPROVED through list_transition()
    (audit event, staleness mark); an audit event `announcement.approve`.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以登记审批结果")
    now = now or timezone.now()
    if not document_ref.strip():
        raise ApprovalRefused("请填写省委宣传部的批复文号")
    if approved_on > timezone.localdate(now):
        raise ApprovalRefused("批复日期不能晚于今天")
    blockers = approval_blockers(campaign=campaign, now=now)
    if blockers:
        raise ApprovalRefused("暂不能登记审批：" + "；".join(blockers))
    with transaction.atomic():
        published = list(
            Nomination.objects.select_for_update()
            .filter(campaign=campaign, state=S.PUBLISHED)
            .order_by("number")
        )
        for nomination in published:
            try:
                list_transition(nomination, Action.APPROVE, actor=actor, now=now, ip=ip)
            except TransitionRefused as exc:
                raise ApprovalRefused(f"{nomination.number}：{exc}", rule_id=exc.rule_id) from exc
        approval = Approval.objects.create(
            campaign=campaign,
            document_ref=document_ref.strip(),
            approved_on=approved_on,
            note=note.strip(),
            nomination_count=len(published),
            recorded_by=actor,
            recorded_at=now,
        )
        record_event(
            action=AuditAction.ANNOUNCEMENT_APPROVE,
            actor=actor,
            target=approval,
            summary=f"登记省委宣传部审批（{approval.document_ref}），审批通过 {len(published)} 项",
            after={
                "document_ref": approval.document_ref,
                "approved_on": approved_on,
                "note": approval.note,
                "nominations": [n.number for n in published],
            },
            ip=ip,
        )
    return approval


def commend(*, campaign: Campaign, actor, now: datetime | None = None, ip: str | None = None) -> int:
    """通报表扬: every APPROVED nomination of the campaign → COMMENDED, only in the 通报表扬 phase.

    Refused with ApprovalRefused (nothing changed) outside that phase or with nothing approved.
    Side effects, in one transaction: each nomination COMMENDED through transition() (audit event,
    notification of the people concerned); an audit event `announcement.commend`; a certificate for each
    person and a plaque for each unit (certificates.issue_certificates, its own audit event). Returns the
    count.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以通报表扬")
    now = now or timezone.now()
    if problem := phase_problem(campaign, operation="通报表扬", allowed={PhaseKey.COMMEND}, now=now):
        raise ApprovalRefused(problem)
    with transaction.atomic():
        approved = list(
            Nomination.objects.select_for_update()
            .filter(campaign=campaign, state=S.APPROVED)
            .order_by("number")
        )
        if not approved:
            raise ApprovalRefused("没有已审批的申报可以通报表扬")
        for nomination in approved:
            try:
                transition(nomination, Action.COMMEND, actor=actor, now=now, ip=ip)
            except TransitionRefused as exc:
                raise ApprovalRefused(f"{nomination.number}：{exc}", rule_id=exc.rule_id) from exc
        record_event(
            action=AuditAction.ANNOUNCEMENT_COMMEND,
            actor=actor,
            target=campaign,
            summary=f"通报表扬 {len(approved)} 项",
            after={"nominations": [n.number for n in approved]},
            ip=ip,
        )
        issue_certificates(campaign=campaign, actor=actor, now=now, ip=ip)
    return len(approved)
