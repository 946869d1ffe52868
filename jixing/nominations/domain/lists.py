"""审核报送: a reporting unit's 推荐总表 — picking within quota (G.7), submitting it, reopening it.

One list per (campaign, reporting unit), covering every category: the printed table is stamped once.
Picks are ListEntry rows (place in the category's order, and the reason when that place departs from
the default order, the stored rank). Submitting moves every picked nomination by Action.RECOMMEND
through list_transition(), which checks the quota with the Quota row locked; the list is then read-only
until a province admin reopens it with a reason.

Lock order, the same in every function here (PostgreSQL waits instead of deadlocking): the list row
first, then what transition() locks (the nomination, the Quota row, the audit head, the campaign row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, overload

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign, Category
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.list_picks import (
    ListRefused,
    Pick,
    candidates,
    check_screen_phase,
    label,
    require_screener,
    scan_is_current,
    seats_left,
    validate_picks,
)
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, list_transition, transition
from jixing.nominations.enums import ListState
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import ListEntry, Nomination, RecommendationList, SealedScan
from jixing.nominations.permissions import screened_unit
from jixing.notifications.domain import notify, province_admins
from jixing.orgs.models import Org


def list_of(*, campaign: Campaign, reporting_unit: Org) -> RecommendationList | None:
    return RecommendationList.objects.filter(campaign=campaign, reporting_unit=reporting_unit).first()


@overload
def locked_list(*, campaign: Campaign, reporting_unit: Org, create: Literal[True]) -> RecommendationList: ...
@overload
def locked_list(*, campaign: Campaign, reporting_unit: Org, create: bool) -> RecommendationList | None: ...
def locked_list(*, campaign: Campaign, reporting_unit: Org, create: bool) -> RecommendationList | None:
    """The list row, locked for this transaction (created first when asked)."""
    if create:
        RecommendationList.objects.get_or_create(campaign=campaign, reporting_unit=reporting_unit)
    return (
        RecommendationList.objects.select_for_update()
        .filter(campaign=campaign, reporting_unit=reporting_unit)
        .first()
    )


def require_open(recommendation_list: RecommendationList) -> None:
    if recommendation_list.state == ListState.SUBMITTED:
        when = timezone.localtime(recommendation_list.submitted_at)
        raise ListRefused(
            f"推荐总表已于 {when:%Y-%m-%d %H:%M} 报送，不能再修改；如需修改，请联系省平台重新开放"
        )


def _entry_summary(entries) -> list[dict]:
    return [
        {"number": e.nomination.number, "position": e.position, "reason": e.override_reason} for e in entries
    ]


def set_picks(
    *,
    campaign: Campaign,
    category: Category,
    actor,
    picks: Sequence[Pick],
    now: datetime | None = None,
    ip: str | None = None,
) -> RecommendationList:
    """Make `picks` (in order) the actor's list for `category`, replacing the category's earlier picks.

    Refused (ListRefused, nothing changed) outside the 审核报送 window, on a submitted list, for a
    nomination that cannot be picked (pick_problem), beyond the seats left (G.7), or for a place that
    departs from the default order without a reason. Side effects: creates the list on first use;
    replaces the category's ListEntry rows; sets the list's changed_at (a sealed scan uploaded before
    no longer matches); writes a "list.pick" audit event with the entries before and after.
    """
    reporting_unit = require_screener(actor)
    now = now or timezone.now()
    check_screen_phase(campaign, "选入推荐名单", now)
    ensure_fresh(campaign)  # picks are judged on results as fresh as the data
    with transaction.atomic():
        rl = locked_list(campaign=campaign, reporting_unit=reporting_unit, create=True)
        require_open(rl)
        pool = candidates(campaign=campaign, category=category, reporting_unit=reporting_unit)
        left = seats_left(category=category, reporting_unit=reporting_unit)
        kept = validate_picks(category=category, pool=pool, picks=picks, seats_left=left)
        old = list(rl.entries.filter(category=category).select_related("nomination").order_by("position"))
        before = _entry_summary(old)
        new = [
            ListEntry(
                recommendation_list=rl,
                nomination=nomination,
                category=category,
                position=i,
                override_reason=reason,
                picked_by=actor,
                picked_at=now,
            )
            for i, (nomination, reason) in enumerate(kept, start=1)
        ]
        if _entry_summary(new) == before:
            return rl
        rl.entries.filter(category=category).delete()
        ListEntry.objects.bulk_create(new)
        rl.changed_at = now
        rl.save(update_fields=["changed_at"])
        names = "、".join(label(n) for n, _ in kept) or "（无）"
        record_event(
            action=AuditAction.LIST_PICK,
            actor=actor,
            target=rl,
            summary=f"{reporting_unit.name} {category.name} 推荐名单：{names}",
            before={"category": category.name, "entries": before},
            after={"category": category.name, "entries": _entry_summary(new)},
            ip=ip,
        )
    return rl


def screen_out(
    *,
    nomination: Nomination,
    action: str,
    actor,
    reason: str,
    now: datetime | None = None,
    ip: str | None = None,
) -> Nomination:
    """Return a nomination for correction (Action.RETURN) or reject it (Action.REJECT), with a reason.

    Side effects: the move through transition() (its audit event and notices); if the nomination was
    picked, its entry leaves the open list in the same transaction (places closed up, changed_at set,
    a "list.unpick" audit event). Raises TransitionRefused/PermissionDenied as transition() does.
    """
    if action not in (Action.RETURN, Action.REJECT):
        raise ValueError(f"screen_out takes return or reject, not {action!r}")
    now = now or timezone.now()
    with transaction.atomic():
        # The list first (see the lock order above), then the nomination inside transition().
        rl = locked_list(campaign=nomination.campaign, reporting_unit=nomination.reporting_unit, create=False)
        transition(nomination, action, actor=actor, reason=reason, now=now, ip=ip)
        entry = ListEntry.objects.filter(nomination=nomination).first() if rl is not None else None
        if rl is not None and entry is not None:
            category_id = entry.category_id
            entry.delete()
            for position, rest in enumerate(
                rl.entries.filter(category_id=category_id).order_by("position"), start=1
            ):
                if rest.position != position:
                    rest.position = position
                    rest.save(update_fields=["position"])
            rl.changed_at = now
            rl.save(update_fields=["changed_at"])
            record_event(
                action=AuditAction.LIST_UNPICK,
                actor=actor,
                target=rl,
                summary=f"{label(nomination)} 已{Action(action).label}，移出推荐名单",
                before={"number": nomination.number, "position": entry.position},
                ip=ip,
            )
    return nomination


def latest_scan(recommendation_list: RecommendationList) -> SealedScan | None:
    return recommendation_list.scans.order_by("-uploaded_at", "-pk").first()


def submit_list(
    *, campaign: Campaign, reporting_unit: Org, actor, now: datetime | None = None, ip: str | None = None
) -> RecommendationList:
    """Send the reporting unit's 推荐总表 to the province, all of it or nothing.

    In one transaction: locks the list row; requires it open, not empty, and a sealed scan uploaded
    after its last change; checks every pick again (pickable, within seats, reasons for overrides);
    moves every picked nomination by Action.RECOMMEND through list_transition() (which enforces G.8 and
    G.7 with the Quota row locked, writes its audit event and queues its notices); marks the list
    submitted (time, who), writes a "list.submit" audit event and tells the province's admins on commit
    (a notice with the count per category). Any refusal raises ListRefused and
    rolls everything back: no nomination moves and the list stays open. Reads stored eligibility
    results, made fresh first (evaluation.ensure_fresh).
    """
    unit = screened_unit(actor)
    if unit is None or unit.pk != reporting_unit.pk:
        raise PermissionDenied("只有本报送单位的审核员可以报送推荐总表")
    now = now or timezone.now()
    check_screen_phase(campaign, "报送推荐总表", now)
    ensure_fresh(campaign)
    try:
        with transaction.atomic():
            rl = locked_list(campaign=campaign, reporting_unit=reporting_unit, create=False)
            if rl is None:
                raise ListRefused("尚未选择推荐名单，不能报送")
            require_open(rl)
            entries = list(
                rl.entries.select_related("category", "nomination").order_by("category__number", "position")
            )
            if not entries:
                raise ListRefused("推荐名单为空，不能报送")
            scan = latest_scan(rl)
            if scan is None:
                raise ListRefused("请先上传盖章的推荐总表扫描件，再报送")
            if not scan_is_current(rl, scan):
                raise ListRefused(
                    "推荐名单在上传盖章扫描件之后有改动：请重新下载推荐总表，盖章后上传新的扫描件，再报送"
                )
            _recheck(campaign=campaign, reporting_unit=reporting_unit, entries=entries)
            for entry in entries:
                list_transition(entry.nomination, Action.RECOMMEND, actor=actor, now=now, ip=ip)
            rl.state, rl.submitted_at, rl.submitted_by = ListState.SUBMITTED, now, actor
            rl.save(update_fields=["state", "submitted_at", "submitted_by"])
            record_event(
                action=AuditAction.LIST_SUBMIT,
                actor=actor,
                target=rl,
                summary=f"{reporting_unit.name} 报送推荐总表（{len(entries)} 个）",
                before={"state": ListState.OPEN},
                after={
                    "state": ListState.SUBMITTED,
                    "entries": [e.nomination.number for e in entries],
                    "scan": {"id": scan.pk, "sha256": scan.sha256},
                },
                ip=ip,
            )
            notify(
                province_admins(),
                message=f"{reporting_unit.name} 报送了推荐总表（{_count_by_category(entries)}），请在“汇总公示 · 名单核对”中核对。",
            )
    except TransitionRefused as exc:
        raise ListRefused(f"报送未完成，推荐名单未作任何改动：{exc}", rule_id=exc.rule_id) from exc
    return rl


def _count_by_category(entries: Sequence[ListEntry]) -> str:
    """「学员标兵 2 个、优秀学员 1 个」, in the list's order."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.category.name] = counts.get(entry.category.name, 0) + 1
    return "、".join(f"{name} {count} 个" for name, count in counts.items())


def _recheck(*, campaign: Campaign, reporting_unit: Org, entries: list[ListEntry]) -> None:
    """The picks of each category validated again against the data as it is now."""
    by_category: dict[int, list[ListEntry]] = {}
    for entry in entries:
        by_category.setdefault(entry.category_id, []).append(entry)
    for group in by_category.values():
        category = group[0].category
        pool = candidates(campaign=campaign, category=category, reporting_unit=reporting_unit)
        left = seats_left(category=category, reporting_unit=reporting_unit)
        picks = [Pick(e.nomination_id, e.override_reason) for e in group]
        validate_picks(category=category, pool=pool, picks=picks, seats_left=left)


@dataclass(frozen=True)
class Readiness:
    """What still stands between an open list and its submission, as its checklist says it.

    `pick_problems`: what submit_list's recheck would refuse in the picks today, one line per category
    (a list with any cannot be sealed: its sheet is not given out for stamping); `scan_problem`: the
    sealed scan missing or older than the list's last change ("" when current)."""

    pick_problems: list[str]
    scan_problem: str

    @property
    def can_seal(self) -> bool:
        return not self.pick_problems

    @property
    def missing(self) -> list[str]:
        return self.pick_problems + ([self.scan_problem] if self.scan_problem else [])


def list_readiness(
    *, campaign: Campaign, reporting_unit: Org, recommendation_list: RecommendationList | None
) -> Readiness:
    """The checklist of an open list (可以报送 / 还差 N 项), from the stored results as they are: the same
    checks as submit_list makes again when it is sent. Reads only."""
    scan_missing = "请上传盖章的推荐总表扫描件"
    if recommendation_list is None:
        return Readiness(["尚未选入推荐对象：请先在各项目中审核选入"], scan_missing)
    entries = list(
        recommendation_list.entries.select_related("category").order_by("category__number", "position")
    )
    if not entries:
        return Readiness(["推荐名单为空：请先在各项目中审核选入"], scan_missing)
    problems = []
    by_category: dict[int, list[ListEntry]] = {}
    for entry in entries:
        by_category.setdefault(entry.category_id, []).append(entry)
    for group in by_category.values():
        category = group[0].category
        try:
            _recheck(campaign=campaign, reporting_unit=reporting_unit, entries=group)
        except ListRefused as exc:
            problems.append(f"“{category.name}”：{exc.message}")
    scan = latest_scan(recommendation_list)
    if scan is None:
        scan_problem = scan_missing
    elif not scan_is_current(recommendation_list, scan):
        scan_problem = "推荐名单在上传盖章扫描件之后有改动：请重新下载推荐总表，盖章后上传新的扫描件"
    else:
        scan_problem = ""
    return Readiness(problems, scan_problem)


def reopen_list(
    *,
    recommendation_list: RecommendationList,
    actor,
    reason: str,
    now: datetime | None = None,
    ip: str | None = None,
) -> RecommendationList:
    """A province admin sends a submitted list back to the reporting unit, with a recorded reason.

    In one transaction: locks the list; moves each picked nomination still 已报送 back by Action.REOPEN
    through transition() (phase and party checked there; one that has moved on, e.g. 拟入选, refuses
    the whole reopening); marks the list open with who, when and why; writes a "list.reopen" audit
    event. The picks and sealed scans are kept. Raises PermissionDenied for anyone but a province
    admin, ListRefused (nothing changed) otherwise.
    """
    if not actor.has_perm("nominations.reopen_list", recommendation_list):
        raise PermissionDenied("只有省平台管理员可以重新开放推荐总表")
    if not reason.strip():
        raise ListRefused("重新开放推荐总表须填写理由")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            rl = RecommendationList.objects.select_for_update().get(pk=recommendation_list.pk)
            if rl.state != ListState.SUBMITTED:
                raise ListRefused("推荐总表尚未报送，无需重新开放")
            entries = list(rl.entries.select_related("nomination").order_by("category__number", "position"))
            for entry in entries:
                if entry.nomination.state != S.SUBMITTED:
                    transition(entry.nomination, Action.REOPEN, actor=actor, reason=reason, now=now, ip=ip)
            before = {"state": rl.state, "submitted_at": rl.submitted_at}
            rl.state, rl.reopened_at, rl.reopened_by = ListState.OPEN, now, actor
            rl.reopen_reason = reason.strip()
            rl.save(update_fields=["state", "reopened_at", "reopened_by", "reopen_reason"])
            record_event(
                action=AuditAction.LIST_REOPEN,
                actor=actor,
                target=rl,
                summary=f"重新开放{rl.reporting_unit.name}推荐总表：{reason.strip()}",
                before=before,
                after={"state": rl.state, "reason": reason.strip()},
                ip=ip,
            )
    except TransitionRefused as exc:
        raise ListRefused(f"未能重新开放，推荐总表未作任何改动：{exc}", rule_id=exc.rule_id) from exc
    recommendation_list.refresh_from_db()
    return recommendation_list
