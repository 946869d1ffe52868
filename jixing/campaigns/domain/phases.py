"""Changing a campaign's windows: only by a province admin, only with a recorded reason."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.campaigns.models import Phase


class PhaseChangeRefused(Exception):
    pass


def extend_phase(phase: Phase, *, ends_at: datetime, reason: str, actor, ip: str | None = None) -> Phase:
    """Move the end of `phase` later (G.8 reopening).

    Side effects: saves the phase; writes an audit event with the old and new end and the reason.
    """
    if not getattr(actor, "is_province_admin", False):
        raise PermissionDenied("只有省平台管理员可以延长阶段窗口")
    if not reason.strip():
        raise PhaseChangeRefused("延长阶段窗口须填写理由")
    if ends_at.tzinfo is None:
        raise PhaseChangeRefused("截止时间必须带时区")
    if phase.ends_at is not None and ends_at <= phase.ends_at:
        raise PhaseChangeRefused("新的截止时间必须晚于原截止时间")
    with transaction.atomic():
        locked = Phase.objects.select_for_update().get(pk=phase.pk)
        before = {"ends_at": locked.ends_at}
        locked.ends_at = ends_at
        locked.save(update_fields=["ends_at"])
        record_event(
            action="phase.extend",
            actor=actor,
            target=locked,
            summary=f"延长“{locked.name}”至 {ends_at:%Y-%m-%d %H:%M}：{reason.strip()}",
            before=before,
            after={"ends_at": ends_at, "reason": reason.strip()},
            ip=ip,
        )
    phase.ends_at = ends_at
    return phase
