"""Declarative column specs and the typing of one cell.

A cell arrives as a string (CSV) or as whatever openpyxl made of it (int, float, bool, datetime, str).
Each parser takes that raw value — never empty, the reader handles emptiness — and returns the typed
value or raises CellProblem with the reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

# PostgreSQL's integer; a bigger figure would fail in the database instead of in the error table.
MAX_INT = 2_147_483_647
BEIJING = ZoneInfo("Asia/Shanghai")


class CellProblem(ValueError):
    """A cell that cannot be read as its column's type; the message is the reason shown to the user."""


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    PERCENT = "percent"
    DECIMAL = "decimal"
    CHOICE = "choice"
    DATETIME = "datetime"


KIND_LABELS = {
    Kind.TEXT: "文本",
    Kind.INT: "非负整数",
    Kind.BOOL: "是/否",
    Kind.PERCENT: "比例（0.35、35% 或 35）",
    Kind.DECIMAL: "数字",
    Kind.CHOICE: "选项",
    Kind.DATETIME: "时间（如 2023-01-03 10:00）",
}


@dataclass(frozen=True)
class Column:
    """One column of a template.

    `required`: every data row needs a value (so the column must be in the header).
    `column_required`: the column must be in the header, though cells may be empty.
    `check`: an extra check of a text cell; returns the cleaned value or raises CellProblem.
    `places`: decimal places kept by decimal and percent columns (rounded half up).
    `default`: the value of an empty cell.
    """

    header: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    column_required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | Decimal | None = None
    places: int | None = None
    default: Any = None
    check: Callable[[str], str] | None = None
    tz: tzinfo = BEIJING
    help: str = ""

    @property
    def needs_column(self) -> bool:
        return self.required or self.column_required

    def parse(self, raw: Any) -> Any:
        """The typed value of a non-empty cell; raises CellProblem."""
        return _PARSERS[self.kind](self, raw)

    def describe(self) -> str:
        """What the column accepts, for the template's 填写说明 sheet."""
        if self.kind == Kind.CHOICE:
            return "、".join(self.choices)
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class TableSpec:
    """A template: its columns in the order the template file shows them."""

    slug: str
    title: str
    columns: tuple[Column, ...]
    by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_header", {c.header: c for c in self.columns})

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


def _text(col: Column, raw: Any) -> str:
    if isinstance(raw, float):
        if abs(raw) >= 1e15:
            # Excel keeps 15 significant digits: an ID number typed into a number cell is already lost.
            raise CellProblem("数字位数过多，Excel 已将其截断；请把此列设为文本格式后重新填写")
        if raw.is_integer():
            raw = int(raw)  # a code typed into a number cell: 1001.0 means "1001"
    value = raw.strip() if isinstance(raw, str) else str(raw).strip()
    if col.check is not None:
        value = col.check(value)
    if col.max_length is not None and len(value) > col.max_length:
        raise CellProblem(f"不能超过 {col.max_length} 个字符")
    return value


def _bounds(col: Column, value: int | Decimal) -> None:
    if value < col.minimum:
        raise CellProblem("不能为负数" if col.minimum == 0 else f"不能小于 {col.minimum}")
    if col.maximum is not None and value > col.maximum:
        raise CellProblem(f"不能大于 {col.maximum}")


def _int(col: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellProblem("应为整数")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise CellProblem("应为整数")
        value = int(raw)
    else:
        # Exports often carry thousands separators; a spreadsheet saved as CSV may write "12.0".
        text = str(raw).strip().replace(",", "")
        try:
            value = int(text)
        except ValueError:
            number = _decimal_or_none(text)
            if number is None or number != number.to_integral_value():
                raise CellProblem("应为整数") from None
            value = int(number)
    _bounds(col, value)
    return value


_BOOLS = {"是": True, "否": False, "y": True, "n": False, "1": True, "0": False, "true": True, "false": False}


def _bool(col: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    value = _BOOLS.get(str(raw).strip().lower())
    if value is None:
        raise CellProblem("应为 是/否、Y/N、1/0 或 true/false")
    return value


def _decimal_or_none(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw))  # str() of a float is its shortest form: 0.35, not 0.34999…
    return _decimal_or_none(str(raw).strip().replace(",", ""))


def _rounded(col: Column, number: Decimal) -> Decimal:
    if col.places is None:
        return number
    return number.quantize(Decimal(1).scaleb(-col.places), rounding=ROUND_HALF_UP)


def _percent(col: Column, raw: Any) -> Decimal:
    text = raw.strip() if isinstance(raw, str) else None
    has_sign = text is not None and text.endswith(("%", "％"))
    number = _number(text.rstrip("%％") if text is not None and has_sign else raw)
    if number is None:
        raise CellProblem("应为比例，如 0.35、35% 或 35")
    # 0.35 is a ratio; 35 or 35% are percentages (a percent-formatted Excel cell arrives as 0.35).
    if has_sign or number > 1:
        number = number / 100
    if number < 0:
        raise CellProblem("不能为负数")
    if number > 1:
        raise CellProblem("不能超过 100%")
    return _rounded(col, number)


def _decimal(col: Column, raw: Any) -> Decimal:
    number = _number(raw)
    if number is None:
        raise CellProblem("应为数字")
    number = _rounded(col, number)
    _bounds(col, number)
    return number


def _choice(col: Column, raw: Any) -> str:
    value = str(raw).strip()
    if value not in col.choices:
        raise CellProblem(f"应为以下之一：{'、'.join(col.choices)}")
    return value


def _datetime(col: Column, raw: Any) -> datetime:
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            raise CellProblem("应为时间，如 2023-01-03T10:00:00+08:00") from None
    # A time without an offset is Beijing time: that is how people here write it.
    return value if value.tzinfo is not None else value.replace(tzinfo=col.tz)


_PARSERS: dict[Kind, Callable[[Column, Any], Any]] = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.BOOL: _bool,
    Kind.PERCENT: _percent,
    Kind.DECIMAL: _decimal,
    Kind.CHOICE: _choice,
    Kind.DATETIME: _datetime,
}
