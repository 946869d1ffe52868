from datetime import date

import pytest

from jixing.campaigns.domain.calendar import CalendarUnknown, WorkingCalendar


def test_five_working_days_skip_the_spring_festival_2023():
    # 公示 published on Friday 2023-01-20, eve of the Spring Festival holiday (1.21–1.27);
    # 1.28 (Sat) and 1.29 (Sun) were make-up working days.
    assert WorkingCalendar().add_working_days(date(2023, 1, 20), 5) == date(2023, 2, 1)


def test_make_up_saturday_counts_as_working_day():
    calendar = WorkingCalendar()
    assert calendar.is_workday(date(2023, 1, 28)) is True
    assert calendar.is_workday(date(2023, 1, 23)) is False


def test_year_unknown_to_library_and_definition_is_a_clear_error():
    with pytest.raises(
        CalendarUnknown, match=r"2027年的法定节假日安排未知：请在活动定义中补充 \[calendar.2027\]"
    ):
        WorkingCalendar().add_working_days(date(2026, 12, 30), 5)


def test_definition_table_covers_a_later_year():
    calendar = WorkingCalendar({"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}})
    # 2026-12-31 Thu → 2027-01-01 holiday, 01-04 Mon, 01-05, 01-06, 01-07, 01-08 … 5th working day is 01-08.
    assert calendar.add_working_days(date(2026, 12, 31), 5) == date(2027, 1, 8)
    assert calendar.is_workday(date(2027, 1, 9)) is True


def test_malformed_definition_table_is_refused():
    with pytest.raises(CalendarUnknown, match="2027 年的节假日表格式不正确"):
        WorkingCalendar({"2027": {"holidays": ["2027-13-01"]}})
