from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jixing.tables import CellProblem, Column, Kind

FLAG = Column("是否实名认证", "flag", Kind.BOOL)
RATE = Column("日活跃率", "rate", Kind.PERCENT, places=4)
COUNT = Column("学员数", "count", Kind.INT, maximum=1000)


def _problem(column, raw):
    with pytest.raises(CellProblem) as info:
        column.parse(raw)
    return str(info.value)


@pytest.mark.parametrize("raw", ["是", "Y", "y", "1", "true", "TRUE", " True ", True, 1, 1.0])
def test_bool_column_reads_yes_variants(raw):
    assert FLAG.parse(raw) is True


@pytest.mark.parametrize("raw", ["否", "N", "n", "0", "false", "False", False, 0])
def test_bool_column_reads_no_variants(raw):
    assert FLAG.parse(raw) is False


def test_bool_column_refuses_other_words():
    assert _problem(FLAG, "也许") == "应为 是/否、Y/N、1/0 或 true/false"


@pytest.mark.parametrize("raw", ["0.35", "35%", "35", "35％", " 35 % ", 0.35, 35, "0.350"])
def test_percent_column_reads_ratio_percent_and_plain_number_alike(raw):
    assert RATE.parse(raw) == Decimal("0.35")


def test_percent_column_edges():
    assert RATE.parse("1") == Decimal("1")
    assert RATE.parse("100%") == Decimal("1")
    assert RATE.parse("0.5%") == Decimal("0.005")
    assert RATE.parse("12.345%") == Decimal("0.1235")
    assert _problem(RATE, "150") == "不能超过 100%"
    assert _problem(RATE, "-5%") == "不能为负数"
    assert _problem(RATE, "abc") == "应为比例，如 0.35、35% 或 35"


def test_int_column_reads_spreadsheet_forms():
    assert COUNT.parse("12") == 12
    assert COUNT.parse("12.0") == 12
    assert COUNT.parse(12.0) == 12
    assert COUNT.parse("1,000") == 1000


def test_int_column_refuses_negatives_fractions_words_and_huge_values():
    assert _problem(COUNT, "-1") == "不能为负数"
    assert _problem(COUNT, "1.5") == "应为整数"
    assert _problem(COUNT, "十二") == "应为整数"
    assert _problem(COUNT, True) == "应为整数"
    assert _problem(COUNT, "1001") == "不能大于 1000"


def test_decimal_column_rounds_to_its_places():
    hours = Column("培训学时", "hours", Kind.DECIMAL, places=1)
    assert hours.parse("12.25") == Decimal("12.3")
    assert hours.parse(3) == Decimal("3.0")
    assert _problem(hours, "-0.5") == "不能为负数"
    assert _problem(hours, "NaN") == "应为数字"


def test_choice_column_lists_the_choices_when_refusing():
    kind = Column("角色", "kind", Kind.CHOICE, choices=("供稿员", "审核员"))
    assert kind.parse(" 审核员 ") == "审核员"
    assert _problem(kind, "厨师") == "应为以下之一：供稿员、审核员"


def test_datetime_column_takes_naive_times_as_beijing_time():
    moment = Column("提交时间", "at", Kind.DATETIME)
    assert moment.parse("2023-01-03 10:00") == datetime(2023, 1, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert moment.parse("2023-01-03T02:00:00+00:00") == datetime(2023, 1, 3, 2, tzinfo=UTC)
    assert moment.parse(datetime(2023, 1, 3, 10)) == datetime(2023, 1, 3, 2, tzinfo=UTC)
    assert _problem(moment, "昨天") == "应为时间，如 2023-01-03T10:00:00+08:00"


def test_text_column_checks_length_and_keeps_codes_typed_as_numbers():
    code = Column("组织编码", "code", max_length=4)
    assert code.parse(1001.0) == "1001"
    assert code.parse(" A1 ") == "A1"
    assert _problem(code, "ABCDE") == "不能超过 4 个字符"


def test_text_column_refuses_an_id_number_excel_turned_into_a_float():
    number = Column("身份证号", "id_number")
    assert (
        _problem(number, 1.40100199001011e17)
        == "数字位数过多，Excel 已将其截断；请把此列设为文本格式后重新填写"
    )
    assert number.parse(140100199001011236) == "140100199001011236"
