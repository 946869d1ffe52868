"""A campaign's phase windows (G.8): whether an operation may happen now, and extending a window.

`phase_problem` is the one phase check: every operation bound to a phase asks it and raises its own
refusal with the text it returns, so that every G.8 refusal reads the same.
Extending a window: only by a province admin, only with a recorded reason.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign, Phase
from jixing.refusals import Refused

OUTSIDE_EVERY_PHASE = "不在任何阶段窗口内"


def phase_problem(
    campaign: Campaign, *, operation: str, allowed: Collection[str], now: datetime | None = None
) -> str | None:
    """Why `operation` may not happen at `now` in `campaign` (G.8), in Chinese; None when the phase
    open at `now` is one of `allowed` (PhaseKey values).

    The one wording, with each allowed phase's window:
    “发起申报”只能在“申报推荐”阶段（2026-05-01 08:00 至 2026-05-31 18:00）进行，当前为：审核报送
    (in plain words: the rule id G.8 stays on the refusal's `rule_id`, not in its text).
    Reads the campaign's phases once (none when they are prefetched); writes nothing.
    """
    moment = now or timezone.now()
    phases = list(campaign.phases.all())
    current = next((p for p in phases if p.contains(moment)), None)
    if current is not None and current.key in allowed:
        return None
    named = [_with_window(p) for p in phases if p.key in allowed]
    # A phase the definition leaves out is still named, by its usual name.
    present = {p.key for p in phases}
    named += [
        f"“{PhaseKey(key).label}”阶段" for key in PhaseKey.values if key in allowed and key not in present
    ]
    where = "或".join(named)
    return f"“{operation}”只能在{where}进行，当前为：{current.name if current else OUTSIDE_EVERY_PHASE}"


def _with_window(phase: Phase) -> str:
    starts = f"{timezone.localtime(phase.starts_at):%Y-%m-%d %H:%M}"
    if phase.ends_at is None:
        return f"“{phase.name}”阶段（{starts} 起）"
    return f"“{phase.name}”阶段（{starts} 至 {timezone.localtime(phase.ends_at):%Y-%m-%d %H:%M}）"


class PhaseChangeRefused(Refused):
    pass


def extend_phase(phase: Phase, *, ends_at: datetime, reason: str, actor, ip: str | None = None) -> Phase:
    """Move the end of `phase` later (G.8 reopening).

    Side effects: saves the phase; writes an audit event with the old and new end and the reason.
    """
    if not is_province_admin(actor):
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
            action=AuditAction.PHASE_EXTEND,
            actor=actor,
            target=locked,
            summary=f"延长“{locked.name}”至 {ends_at:%Y-%m-%d %H:%M}：{reason.strip()}",
            before=before,
            after={"ends_at": ends_at, "reason": reason.strip()},
            ip=ip,
        )
    phase.ends_at = ends_at
    return phase


@dataclass(frozen=True)
class Deadline:
    """The next date the campaign's users work towards: the running phase's end, or, between phases, the
    next phase's start."""

    phase: Phase
    at: datetime
    is_end: bool  # the end of the running phase (截止); False: the start of the next one (开始)
    days_left: int  # whole calendar days in Asia/Shanghai from today to that day (0: today)

    @property
    def text(self) -> str:
        """「申报推荐截止：2026年12月9日 16:00（还有 3 天）」, in Beijing time."""
        local = timezone.localtime(self.at)
        when = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
        left = "今天" if self.days_left == 0 else f"还有 {self.days_left} 天"
        return f"{self.phase.name}{'截止' if self.is_end else '开始'}：{when}（{left}）"


def next_deadline(campaign: Campaign, *, now: datetime | None = None) -> Deadline | None:
    """The running phase's end; between phases the next one's start; None when nothing lies ahead (or
    the running phase has no end). Reads the campaign's phases once (none when prefetched)."""
    moment = now or timezone.now()
    phases = sorted(campaign.phases.all(), key=lambda p: p.starts_at)
    current = next((p for p in phases if p.contains(moment)), None)
    if current is not None:
        if current.ends_at is None:
            return None
        phase, at, is_end = current, current.ends_at, True
    else:
        upcoming = next((p for p in phases if p.starts_at > moment), None)
        if upcoming is None:
            return None
        phase, at, is_end = upcoming, upcoming.starts_at, False
    days = (timezone.localtime(at).date() - timezone.localtime(moment).date()).days
    return Deadline(phase=phase, at=at, is_end=is_end, days_left=days)
