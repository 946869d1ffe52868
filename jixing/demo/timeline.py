"""How far the demo campaign has got by now: what has happened in each phase, and when.

The generator plans every nomination as the whole campaign would leave it (通报表扬 done). Here that
history is cut at `now`: a state the campaign cannot have reached yet in the chosen phase is rolled back
to the furthest one it could have (in 申报推荐 nothing is on a reporting unit's list yet; the 公示 is
published on the second day of 汇总公示, approved the day after its objection window closes, and the
commendation comes on the second day of 通报表扬). So every page shows only what could have happened
by today, and the same seed gives the same nominations whatever the phase, only less far along.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from jixing.campaigns.domain.calendar import CalendarUnknown, calendar_for
from jixing.campaigns.domain.definitions import objection_working_days
from jixing.campaigns.enums import PhaseKey
from jixing.demo.accounts import REPORTING_USERNAMES
from jixing.demo.phases import DemoWindows
from jixing.demo.plan import ListPlan, NominationPlan, Province
from jixing.nominations.domain.transitions import ON_SUBMITTED_LIST
from jixing.nominations.enums import NominationState as S

# The reporting unit whose list is still open in 审核报送, so that its demo account has picking to do.
OPEN_LIST_ACCOUNT = "taiyuan"
_DECIDED = (S.SELECTED, S.NOT_SELECTED, S.PUBLISHED, S.APPROVED, S.COMMENDED)


@dataclass(frozen=True, slots=True)
class Timeline:
    phase: str
    now: datetime
    screen_start: datetime
    screen_end: datetime
    published_at: datetime | None  # the 公示, once published
    starts_on: date | None
    ends_on: date | None
    working_days: int
    window_starts_at: datetime | None
    window_ends_at: datetime | None
    approved_at: datetime | None  # the 省委宣传部's approval, once recorded
    commended_at: datetime | None


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _add_working_days(definition: dict[str, Any], start: date, days: int) -> date:
    """As announcements.domain.window counts; weekdays only for a year the calendar does not know."""
    try:
        return calendar_for(definition).add_working_days(start, days)
    except CalendarUnknown:
        day = start
        while days:
            day += timedelta(days=1)
            if day.weekday() < 5:
                days -= 1
        return day


def build_timeline(definition: dict[str, Any], windows: DemoWindows) -> Timeline:
    now, zone = windows.now, ZoneInfo(settings.TIME_ZONE)
    screen_start, screen_end = windows.phases[PhaseKey.SCREEN]
    announce_start, _ = windows.phases[PhaseKey.ANNOUNCE]
    commend_start, _ = windows.phases[PhaseKey.COMMEND]
    assert screen_end is not None
    published_at = _local(announce_start.astimezone(zone).date() + timedelta(days=1), 10)
    if published_at > now:
        return Timeline(
            windows.phase, now, screen_start, screen_end, None, None, None, 0, None, None, None, None
        )
    days = objection_working_days(definition)
    starts_on = published_at.astimezone(zone).date()
    ends_on = _add_working_days(definition, starts_on, days)
    window_ends_at = _local(ends_on + timedelta(days=1), 0)
    approved_at: datetime | None = window_ends_at + timedelta(days=1, hours=15)
    commended_at: datetime | None = _local(commend_start.astimezone(zone).date() + timedelta(days=1), 10)
    approved_at = approved_at if approved_at and approved_at <= now else None
    commended_at = commended_at if approved_at and commended_at and commended_at <= now else None
    return Timeline(
        phase=windows.phase,
        now=now,
        screen_start=screen_start,
        screen_end=screen_end,
        published_at=published_at,
        starts_on=starts_on,
        ends_on=ends_on,
        working_days=days,
        window_starts_at=_local(starts_on, 0),
        window_ends_at=window_ends_at,
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
    if state in (S.APPROVED, S.COMMENDED) and timeline.approved_at is None:
        return S.PUBLISHED
    if state == S.COMMENDED and timeline.commended_at is None:
        return S.APPROVED
    return state


def roll_back(province: Province, timeline: Timeline) -> None:
    for plan in province.nominations:
        plan.state = rolled_back(plan.state, timeline)


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
        if plan.state in ON_SUBMITTED_LIST:
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
                plan.state = S.SUBMITTED
            lists.append(ListPlan(code, numbers, picked_at=picked_at))
            continue
        lists.append(
            ListPlan(code, numbers, picked_at=picked_at, submitted_at=submitted_at, scanned_at=scanned_at)
        )
    return lists
