"""The words of a result: rule outcomes and nomination statuses, exactly as campaign-2022.md names them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"  # a 「原则上」 rule does not hold: selectable only with a written reason
    MANUAL = "manual"  # a reviewer must judge; a recorded decision turns it into pass or fail
    MISSING = "missing"  # a value the rule needs is absent

    @property
    def label(self) -> str:
        """The outcome in words, for pages and sheets."""
        return OUTCOME_LABELS[self]


class Status(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INCOMPLETE = "incomplete"
    NEEDS_REVIEW = "needs_review"

    @property
    def label(self) -> str:
        """The status in words, for pages and sheets."""
        return STATUS_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PASS: "符合",
    Outcome.FAIL: "不符合",
    Outcome.WARN: "原则上不符（须书面说明）",
    Outcome.MANUAL: "需审核人员判断",
    Outcome.MISSING: "缺少数据",
}
STATUS_LABELS: dict[Status, str] = {
    Status.ELIGIBLE: "符合条件",
    Status.INELIGIBLE: "不符合条件",
    Status.INCOMPLETE: "材料或数据不全",
    Status.NEEDS_REVIEW: "待审核",
}
_OUTCOMES_BY_VALUE: dict[str, Outcome] = {o.value: o for o in Outcome}
_STATUSES_BY_VALUE: dict[str, Status] = {s.value: s for s in Status}


def outcome_label(value: str) -> str:
    """The words for a stored outcome; a value that is no outcome as it is."""
    outcome = _OUTCOMES_BY_VALUE.get(value)
    return outcome.label if outcome is not None else value


def status_label(value: str, *, unset: str = "尚未判定") -> str:
    """The words for a stored status; `unset` for none yet; a value that is no status as it is."""
    status = _STATUSES_BY_VALUE.get(value)
    return status.label if status is not None else (value or unset)


# Why every rule that reads the snapshot is `missing` for a person nomination whose 学号 the baseline
# snapshot does not have (the rule's own values would only say "empty").
NOT_IN_SNAPSHOT = "学号不在基准积分快照中"

# What a rules file may name as the outcome of a rule that does not hold (`pass` would mean nothing).
FAILING_OUTCOMES = (Outcome.FAIL, Outcome.WARN, Outcome.MANUAL, Outcome.MISSING)

# Statuses that take part in the ranking within a reporting unit and category.
RANKED_STATUSES = frozenset({Status.ELIGIBLE, Status.NEEDS_REVIEW})


def status_of(outcomes: Iterable[Outcome]) -> Status:
    """ineligible if any fail; else incomplete if any missing; else needs_review if any manual or warn."""
    seen = set(outcomes)
    if Outcome.FAIL in seen:
        return Status.INELIGIBLE
    if Outcome.MISSING in seen:
        return Status.INCOMPLETE
    if Outcome.MANUAL in seen or Outcome.WARN in seen:
        return Status.NEEDS_REVIEW
    return Status.ELIGIBLE
