"""How far the demo campaign has got by now: what has happened in each phase, and when.

The generator plans every nomination as the whole campaign would leave it (通报表扬 done). Here that
history is cut at `now`: a state the campaign cannot have reached yet in the chosen phase is rolled back
to the furthest one it could have (in 申报推荐 nothing is on a reporting unit's list yet; the 公示 is
published on the second day of 汇总公示, approved the day after its objection window closes, and the
commendation comes on the second day of 通报表扬). Approval and commendation move the whole published
list at once, as the product's own operations do, so once approved nothing is left 公示中, and once
commended nothing is left 审批通过. So every page shows only what could have happened by today, and the
same seed gives the same nominations whatever the phase, only less far along. The states themselves
are reached in the database only through the domain (workflow.py, publication.py)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from jixing.campaigns.domain.calendar import calendar_for
from jixing.campaigns.domain.definitions import objection_working_days
from jixing.campaigns.enums import PhaseKey
from jixing.demo import texts
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.phases import DemoWindows
from jixing.demo.plan import ListPlan, NominationPlan, Province
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.enums import NominationState as S

# The reporting unit whose list is still open in 审核报送, so that its demo account has picking to do.
OPEN_LIST_ACCOUNT = "taiyuan"
_DECIDED = (S.SELECTED, S.NOT_SELECTED, S.PUBLISHED, S.APPROVED, S.COMMENDED)
_ON_THE_PUBLIC_LIST = (S.PUBLISHED, S.APPROVED, S.COMMENDED)
_MEANT_FOR_A_LIST = ON_SUBMITTED_LIST | {S.WITHDRAWN}


@dataclass(frozen=True, slots=True)
class Timeline:
    """When each step of the demo campaign happens (None: not yet by now). The 公示's window itself is
    the product's: announcements.domain.publishing.publish counts it when the demo publishes."""

    phase: str
    now: datetime
    screen_start: datetime
    screen_end: datetime
    announce_start: datetime
    announce_end: datetime
    published_at: datetime | None  # the 公示, once published
    approved_at: datetime | None  # the 省委宣传部's approval, once recorded
    commended_at: datetime | None


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def build_timeline(definition: dict[str, Any], windows: DemoWindows) -> Timeline:
    """Raises CalendarUnknown (the product's working-day calendar, campaigns.domain.calendar) when the
    year of the 公示 is one neither chinese-calendar nor the definition knows: the product would refuse
    to publish then, and so does the demo rather than guess."""
    now, zone = windows.now, ZoneInfo(settings.TIME_ZONE)
    screen_start, screen_end = windows.phases[PhaseKey.SCREEN]
    announce_start, announce_end = windows.phases[PhaseKey.ANNOUNCE]
    commend_start, _ = windows.phases[PhaseKey.COMMEND]
    assert screen_end is not None and announce_end is not None
    published_at: datetime | None = _local(announce_start.astimezone(zone).date() + timedelta(days=1), 10)
    approved_at: datetime | None = None
    commended_at: datetime | None = None
    if published_at is not None and published_at > now:
        published_at = None
    if published_at is not None:
        # As announcements.domain.window counts: n working days after the day of publication.
        starts_on = published_at.astimezone(zone).date()
        ends_on = calendar_for(definition).add_working_days(starts_on, objection_working_days(definition))
        approved_at = _local(ends_on + timedelta(days=2), 0) + timedelta(hours=15)
        commended_at = _local(commend_start.astimezone(zone).date() + timedelta(days=1), 10)
        approved_at = approved_at if approved_at <= now else None
        commended_at = commended_at if approved_at and commended_at <= now else None
    return Timeline(
        phase=windows.phase,
        now=now,
        screen_start=screen_start,
        screen_end=screen_end,
        announce_start=announce_start,
        announce_end=announce_end,
        published_at=published_at,
        approved_at=approved_at,
        commended_at=commended_at,
    )


def rolled_back(state: str, timeline: Timeline) -> str:
    """The furthest state a nomination planned to end in `state` can have reached by now."""
    if timeline.phase == PhaseKey.APPLY:
        if state in ON_SUBMITTED_LIST:
            return S.SUBMITTED  # screening has not begun: it waits at its reporting unit
        return S.REJECTED if state == S.WITHDRAWN else state  # not chosen after all: screened out
    if timeline.published_at is None:  # 审核报送: lists are sent, the province has not chosen yet
        if state in _DECIDED:
            return S.RECOMMENDED
        return S.REJECTED if state == S.WITHDRAWN else state
    if state in _ON_THE_PUBLIC_LIST:  # approval and commendation take the whole list at once
        if timeline.commended_at is not None:
            return S.COMMENDED
        return S.APPROVED if timeline.approved_at is not None else S.PUBLISHED
    return state


def roll_back(province: Province, timeline: Timeline) -> None:
    for plan in province.nominations:
        plan.target = rolled_back(plan.target, timeline)


def explain_listed(seed: int, province: Province) -> None:
    """A person nomination its unit means for the reporting unit's list carries the unit's written
    reason (推荐理由说明): the product lets the list take a nomination with a `warn` rule only with it."""
    rng = random.Random(f"{seed}:reasons")
    for plan in province.nominations:
        if plan.nominee_account and not plan.warn_reason and plan.target in _MEANT_FOR_A_LIST:
            plan.warn_reason = texts.warn_reason(rng)


def build_lists(province: Province, timeline: Timeline) -> list[ListPlan]:
    """The reporting units' 推荐总表 in 审核报送 and after: every nomination on a submitted list sits on
    its unit's list, sent with a sealed scan at a time inside 审核报送 (and not after now). In 审核报送
    itself the `taiyuan` account's list is still open: picked, but neither scanned nor sent, and its
    nominations still 已申报."""
    if timeline.phase == PhaseKey.APPLY:
        return []
    rng = random.Random(f"{province.seed}:lists")
    listed: dict[str, list[NominationPlan]] = defaultdict(list)
    for plan in province.nominations:
        if plan.target in _MEANT_FOR_A_LIST:
            listed[plan.reporting_code].append(plan)
    start, until = timeline.screen_start, min(timeline.now, timeline.screen_end)
    span = (until - start).total_seconds()
    lists = []
    for code in sorted(listed):
        plans = listed[code]
        sent = rng.uniform(0.35, 0.95)
        submitted_at = start + timedelta(seconds=round(span * sent))
        picked_at = start + timedelta(seconds=round(span * rng.uniform(0.05, sent - 0.25)))
        scanned_at = picked_at + (submitted_at - picked_at) * rng.uniform(0.3, 0.9)
        numbers = [p.number for p in plans]
        if timeline.published_at is None and REPORTING_USERNAMES.get(code) == OPEN_LIST_ACCOUNT:
            for plan in plans:
                plan.target = S.SUBMITTED
            lists.append(ListPlan(code, numbers, picked_at=picked_at))
            continue
        lists.append(
            ListPlan(code, numbers, picked_at=picked_at, submitted_at=submitted_at, scanned_at=scanned_at)
        )
    return lists
