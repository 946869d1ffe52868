"""Progress of a long import, as the importer reports it to whoever shows it (a page, a terminal).

The importer calls `report(ImportProgress(...))` at each phase change and every few hundred thousand
rows; the receiver decides how to show it (the import job writes it where the page polls, the command
line draws a bar). Rate and time left are the receiver's arithmetic on `done`, `total` and its own clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    READ = "read"
    VALIDATE = "validate"
    WRITE = "write"
    INDEX = "index"
    RANK = "rank"
    DONE = "done"


PHASE_LABELS = {
    Phase.READ: "读取",
    Phase.VALIDATE: "校验",
    Phase.WRITE: "写入",
    Phase.INDEX: "建索引",
    Phase.RANK: "计算排名",
    Phase.DONE: "完成",
}


@dataclass(frozen=True)
class ImportProgress:
    """`done` of `total` rows in `phase`; `total` is None while the file's row count is not yet known."""

    phase: Phase
    done: int = 0
    total: int | None = None

    @property
    def label(self) -> str:
        return PHASE_LABELS[self.phase]

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[ImportProgress], None]


def ignore(_: ImportProgress) -> None:
    """The receiver when nobody watches."""
