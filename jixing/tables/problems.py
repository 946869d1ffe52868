"""Problems found in a file — each one a row, a column, the value and the reason — and the refusal.

A file is refused whole, so a user must see every problem at once, not the first one per upload. The
list keeps the first `limit` problems and counts the rest: ten thousand copies of one mistake help
nobody and would swamp a page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from jixing.refusals import Refused

DEFAULT_LIMIT = 1000
VALUE_DISPLAY_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: `row` is the 1-based row of the file (header = 1), None for the file as a whole;
    `column` is the Chinese header ("" when the problem is not about one column)."""

    row: int | None
    column: str
    value: str
    reason: str


def shown_value(raw: object) -> str:
    """The cell as a user typed it, shortened so that one huge cell cannot flood the error table."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if len(text) > VALUE_DISPLAY_LENGTH:
        text = text[:VALUE_DISPLAY_LENGTH] + "…"
    return text


class ProblemList:
    """Collects problems; keeps the first `limit` of them and counts all."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, row: int | None, column: str, value: object, reason: str) -> None:
        self.total += 1
        if len(self.listed) < self.limit:
            self.listed.append(Problem(row, column, shown_value(value), reason))

    def count_unlisted(self, count: int) -> None:
        """Count problems found beyond those added one by one (a query that listed only the first few)."""
        self.total += count

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem.row, problem.column, problem.value, problem.reason)

    @property
    def omitted(self) -> int:
        """How many problems were counted but not listed."""
        return self.total - len(self.listed)

    def sorted(self) -> list[Problem]:
        """Listed problems in file order (whole-file problems first), stable within a row."""
        return sorted(self.listed, key=lambda p: -1 if p.row is None else p.row)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.listed)


class ImportRefused(Refused):
    """A file refused whole: nothing of it was stored. Carries every problem found (and the warnings)."""

    def __init__(self, errors: ProblemList, warnings: ProblemList | None = None) -> None:
        self.errors = errors.sorted()
        self.total = errors.total
        self.omitted = errors.omitted
        self.warnings = warnings.sorted() if warnings is not None else []
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        return f"文件有 {self.total} 处错误，未导入任何数据"


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal; pad by display width, not by len().
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_problem_table(problems: Iterable[Problem], *, omitted: int = 0) -> str:
    """The problems as a plain-text table 行 / 列 / 值 / 原因, for terminals and logs."""
    lines = [("行", "列", "值", "原因")]
    for p in problems:
        lines.append(("—" if p.row is None else str(p.row), p.column or "—", p.value, p.reason))
    widths = [max(_width(line[i]) for line in lines) for i in range(3)]
    out = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line[:3])) + "  " + line[3] for line in lines
    ]
    if omitted:
        out.append(f"……另有 {omitted} 处错误未列出")
    return "\n".join(out) + "\n"
