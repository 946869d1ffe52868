"""Competition ranking (1, 2, 2, 4): the rank in unit a few rules read, and the rank of the results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from jixing.eligibility.facts import Learner


def competition_ranks(keys: Sequence[Any]) -> list[int]:
    """Rank of each key, smallest key first; equal keys share the best position (1, 2, 2, 4)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks = [0] * len(keys)
    for position, index in enumerate(order):
        if position and keys[index] == keys[order[position - 1]]:
            ranks[index] = ranks[order[position - 1]]
        else:
            ranks[index] = position + 1
    return ranks


def _points_key(learner: Learner, fields: Sequence[str]) -> tuple[int, ...]:
    # Descending by each field; an unknown figure counts as lowest.
    return tuple(-(getattr(learner, f) if getattr(learner, f) is not None else -1) for f in fields)


def rank_in_unit(learners: Iterable[Learner], key: Sequence[str]) -> dict[str, int]:
    """Rank (account → position) of the learners of ONE unit by the point fields `key`, all descending.

    `key` is a category's `rank_in_unit` fields, e.g. ("total_points", "annual_points") for 学员标兵.
    Pass every snapshot learner of the unit (the unit-level organisation and all its departments).
    """
    learners = list(learners)
    ranks = competition_ranks([_points_key(learner, key) for learner in learners])
    return {learner.account: rank for learner, rank in zip(learners, ranks, strict=True)}


def ranks_in_units(
    learners: Iterable[Learner], *, unit_of: Callable[[Learner], Hashable], key: Sequence[str]
) -> dict[str, int]:
    """`rank_in_unit` for a whole snapshot at once: learners grouped by `unit_of(learner)`."""
    by_unit: dict[Hashable, list[Learner]] = defaultdict(list)
    for learner in learners:
        by_unit[unit_of(learner)].append(learner)
    ranks: dict[str, int] = {}
    for members in by_unit.values():
        ranks.update(rank_in_unit(members, key))
    return ranks


def order_key(values: Sequence[Any], descending: Sequence[bool]) -> tuple[tuple[int, Any], ...]:
    """A sort key for a category's ordering terms: unknown values last whatever the direction."""
    parts = []
    for value, desc in zip(values, descending, strict=True):
        if value is None:
            parts.append((1, 0))
        else:
            number = int(value) if isinstance(value, bool) else value
            parts.append((0, -number if desc else number))
    return tuple(parts)
