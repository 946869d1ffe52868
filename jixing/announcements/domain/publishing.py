"""Publishing the public list (公示): every 拟入选 nomination at once, with its objection window."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.persons import person_keys
from jixing.announcements.domain.selection import NOT_SELECTABLE
from jixing.announcements.domain.window import Window, WindowUnknown, objection_window
from jixing.announcements.models import Announcement, AnnouncementEntry
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.phases import phase_problem
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.evaluation import ensure_fresh
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused, list_transition
from jixing.nominations.enums import NominationState as S
from jixing.nominations.models import Nomination
from jixing.people.domain.queries import snapshot_of
from jixing.people.models import Learner
from jixing.refusals import Refused


class PublishRefused(Refused):
    """Publication not possible now; the message says why, in Chinese. Nothing was published."""


def preview_window(*, campaign: Campaign, starts_on: date) -> Window:
    """The objection window a publication starting on `starts_on` would get (PublishRefused if the
    calendar cannot count it). Reads only."""
    try:
        return objection_window(campaign=campaign, starts_on=starts_on)
    except WindowUnknown as exc:
        raise PublishRefused(str(exc)) from exc


def selected_for_publication(campaign: Campaign):
    return (
        Nomination.objects.filter(campaign=campaign, state=S.SELECTED)
        .select_related("category", "recommending_org", "reporting_unit", "nominee_org")
        .order_by("category__number", "reporting_unit__path", "rank", "number")
    )


def publish(
    *,
    campaign: Campaign,
    actor,
    starts_on: date | None = None,
    now: datetime | None = None,
    ip: str | None = None,
) -> Announcement:
    """Move every SELECTED nomination of the campaign to PUBLISHED and open the objection window.

    `starts_on` (default: today, Asia/Shanghai) is the first day of the window; it ends after the
    campaign's `objection_working_days` working days (default 5). Refused (PublishRefused, nothing
    changed) outside the 汇总公示 phase, with nothing selected, when the window cannot be counted
    (CalendarUnknown), when a chosen nomination is ineligible or incomplete, or when one person is
    chosen twice (G.3).
    Side effects, in one transaction: an Announcement with its window and one entry per nomination
    (the public name, unit and category only); each nomination PUBLISHED through list_transition() (its
    audit event, staleness mark and notification of the people concerned); an audit event
    `announcement.publish`.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以发布公示")
    now = now or timezone.now()
    starts_on = starts_on or timezone.localdate(now)
    if starts_on < timezone.localdate(now):
        raise PublishRefused("公示开始日期不能早于今天")
    if problem := phase_problem(campaign, operation="发布公示", allowed={PhaseKey.ANNOUNCE}, now=now):
        raise PublishRefused(problem)
    window = preview_window(campaign=campaign, starts_on=starts_on)
    ensure_fresh(campaign)
    chosen = list(selected_for_publication(campaign))
    if not chosen:
        raise PublishRefused("没有拟入选的申报，无法发布公示。请先在名单核对中选定拟入选对象。")
    problems = publication_problems(campaign=campaign, chosen=chosen)
    if problems:
        raise PublishRefused("；".join(dict.fromkeys(problems.values())))
    public = _public_fields(chosen)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            campaign=campaign,
            published_at=now,
            published_by=actor,
            starts_on=window.starts_on,
            ends_on=window.ends_on,
            working_days=window.working_days,
            window_starts_at=window.starts_at,
            window_ends_at=window.ends_at,
        )
        first = AnnouncementEntry.objects.filter(announcement__campaign=campaign).count()
        for position, nomination in enumerate(chosen, start=first + 1):
            try:
                list_transition(nomination, Action.PUBLISH, actor=actor, now=now, ip=ip)
            except TransitionRefused as exc:
                raise PublishRefused(
                    f"{nomination.number}：{exc}。本次未发布任何公示。", rule_id=exc.rule_id
                ) from exc
            name, unit = public[nomination.pk]
            AnnouncementEntry.objects.create(
                announcement=announcement,
                nomination=nomination,
                position=position,
                category_name=nomination.category.name,
                category_number=nomination.category.number,
                is_person=nomination.category.is_person,
                display_name=name,
                display_unit=unit,
            )
        record_event(
            action=AuditAction.ANNOUNCEMENT_PUBLISH,
            actor=actor,
            target=announcement,
            summary=f"发布公示 {len(chosen)} 项，公示期 {window.starts_on:%Y-%m-%d} 至 {window.ends_on:%Y-%m-%d}",
            after={
                "nominations": [n.number for n in chosen],
                "starts_on": window.starts_on,
                "ends_on": window.ends_on,
                "working_days": window.working_days,
            },
            ip=ip,
        )
    return announcement


def publication_problems(*, campaign: Campaign, chosen: list[Nomination]) -> dict[int, str]:
    """Why a chosen nomination cannot be published, by nomination id: it is ineligible or incomplete,
    or its nominee is chosen in another category as well (G.3). Reads only (two queries)."""
    problems: dict[int, str] = {}
    for nomination in chosen:
        if nomination.status in NOT_SELECTABLE:
            name = (
                nomination.nominee_org.name if nomination.nominee_org is not None else nomination.nominee_name
            )
            problems[nomination.pk] = (
                f"{nomination.number} {name}：资格审核结果为“{NOT_SELECTABLE[nomination.status]}”，不能公示。"
                "请先将其设为不入选。"
            )
    holders = list(
        Nomination.objects.filter(campaign=campaign, state__in=S.selected_states())
        .select_related("category")
        .order_by("category__number", "number")
    )
    by_pk = {n.pk: n for n in holders}
    by_person: dict[str, list[Nomination]] = defaultdict(list)
    for pk, key in person_keys(holders).items():
        by_person[key].append(by_pk[pk])
    chosen_ids = {n.pk for n in chosen}
    for rows in by_person.values():
        if len(rows) > 1 and any(n.pk in chosen_ids for n in rows):
            categories = "、".join(n.category.name for n in rows)
            message = (
                f"{rows[0].nominee_name} 同时在{categories}入选，1名学员只能获得1项表扬。"
                "请只保留其中一项后再发布。"
            )
            for n in rows:
                if n.pk in chosen_ids:
                    problems.setdefault(n.pk, message)
    return problems


def _public_fields(chosen: list[Nomination]) -> dict[int, tuple[str, str]]:
    """The name and unit the public sees: a person's own unit (from the snapshot), a unit's 报送单位."""
    snapshot = snapshot_of(chosen)
    units: dict[str, str] = {}
    accounts = {n.nominee_account for n in chosen if n.nominee_account}
    if snapshot is not None and accounts:
        for account, org_name, unit_name in Learner.objects.filter(
            snapshot=snapshot, account_id__in=accounts
        ).values_list("account_id", "org__name", "org__unit__name"):
            units[account] = unit_name or org_name
    fields = {}
    for n in chosen:
        if n.nominee_org is not None:
            fields[n.pk] = (n.nominee_org.name, n.reporting_unit.name)
        else:
            fields[n.pk] = (n.nominee_name, units.get(n.nominee_account, n.recommending_org.name))
    return fields
