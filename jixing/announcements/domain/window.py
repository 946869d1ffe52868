"""The 公示 objection window: `objection_working_days` working days after the first day (default 5),
counted with China's holidays and make-up working days (WorkingCalendar and the definition's tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from jixing.campaigns.domain.calendar import CalendarUnknown, calendar_for
from jixing.campaigns.domain.definitions import objection_working_days
from jixing.campaigns.models import Campaign


class WindowUnknown(Exception):
    """The window cannot be counted (a year neither chinese-calendar nor the definition knows)."""


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date
    working_days: int
    starts_at: datetime
    ends_at: datetime  # exclusive: 00:00 of the day after ends_on


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def objection_window(*, campaign: Campaign, starts_on: date) -> Window:
    """The window of a list published on `starts_on`: from that day's 00:00 to the end of the
    `n`-th working day after it (the day of publication itself is not counted).

    Raises WindowUnknown with a Chinese message naming the year when the calendar does not know it.
    """
    days = objection_working_days(campaign.definition)
    try:
        ends_on = calendar_for(campaign.definition).add_working_days(starts_on, days)
    except CalendarUnknown as exc:
        raise WindowUnknown(f"无法计算公示期（{days}个工作日）：{exc}。本次未发布任何公示。") from exc
    return Window(
        starts_on=starts_on,
        ends_on=ends_on,
        working_days=days,
        starts_at=_midnight(starts_on),
        ends_at=_midnight(ends_on + timedelta(days=1)),
    )
