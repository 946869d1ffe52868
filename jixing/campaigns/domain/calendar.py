"""Working days in China (official holidays and make-up working days) for windows such as the 公示 period.

chinese-calendar knows 2004–2026. For later years the campaign definition carries a table:

    [calendar.2027]
    holidays = ["2027-01-01", ...]      # days off that would otherwise be working days
    workdays = ["2027-02-07", ...]      # make-up working days (调休上班) that fall on weekends

A year known to neither is an error, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import chinese_calendar


class CalendarUnknown(ValueError):
    pass


class WorkingCalendar:
    def __init__(self, tables: Mapping[str, Any] | None = None) -> None:
        self._tables: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        for year, table in (tables or {}).items():
            try:
                holidays = frozenset(date.fromisoformat(d) for d in table.get("holidays", []))
                workdays = frozenset(date.fromisoformat(d) for d in table.get("workdays", []))
            except (TypeError, ValueError) as exc:
                raise CalendarUnknown(f"活动定义中 {year} 年的节假日表格式不正确：{exc}") from exc
            self._tables[int(year)] = (holidays, workdays)

    def is_workday(self, day: date) -> bool:
        # The campaign's own table wins: a province can correct or extend the library's data.
        if day.year in self._tables:
            holidays, workdays = self._tables[day.year]
            if day in workdays:
                return True
            return day.weekday() < 5 and day not in holidays
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError as exc:
            raise CalendarUnknown(
                f"{day.year}年的法定节假日安排未知：请在活动定义中补充 [calendar.{day.year}] 的 holidays 和 workdays"
            ) from exc

    def add_working_days(self, start: date, count: int) -> date:
        """The date of the `count`-th working day after `start` (start itself not counted)."""
        if count < 1:
            raise ValueError("工作日数必须至少为 1")
        day, found = start, 0
        while found < count:
            day += timedelta(days=1)
            if self.is_workday(day):
                found += 1
        return day


def calendar_for(definition: Mapping[str, Any]) -> WorkingCalendar:
    return WorkingCalendar(definition.get("calendar"))
