"""Evaluating nominations: compiled rules + facts in, outcomes, statuses and ranks out.

Per nomination every rule of its category is decided in file order. Condition rules run their checks;
batch rules (G.2, G.3, G.6) look across the whole list given; external rules (G.7 quotas, G.8 deadlines)
take the outcome the application passes in and are left out when none is given, as in the batch command;
informational rules (ordering keys, quota notes) are listed as `pass`, since they never decide anything.
For a person nomination whose 学号 the snapshot does not have, every rule that reads the snapshot is
`missing` with the reason NOT_IN_SNAPSHOT, whatever its kind: decided once here, not rule by rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jixing.eligibility.compiler import Ctx
from jixing.eligibility.definition import BATCH_KINDS, CompiledRules, Rule
from jixing.eligibility.facts import Facts
from jixing.eligibility.outcomes import NOT_IN_SNAPSHOT, RANKED_STATUSES, Outcome, Status, status_of
from jixing.eligibility.ranking import competition_ranks, order_key


@dataclass(frozen=True, slots=True)
class RuleResult:
    """The outcome of one rule for one nomination and the values that decided it.

    `values` maps what was read to its value, e.g. {"learner.annual_points": 7199,
    "params.annual_min": 7200}. `reviewed` is True when a reviewer decision settled a `manual` outcome.
    `reason` says in words why, when the values alone would not (NOT_IN_SNAPSHOT); "" otherwise.
    """

    outcome: Outcome
    values: dict[str, Any] = field(default_factory=dict)
    reviewed: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    id: str
    category: str
    status: Status
    rules: dict[str, RuleResult]  # rule id → result, in the rules file's order
    rank: int | None  # within (reporting unit, category) among eligible/needs_review; None otherwise

    def outcomes(self) -> dict[str, str]:
        return {rule_id: r.outcome.value for rule_id, r in self.rules.items()}

    def to_json(self, *, with_values: bool = False) -> dict[str, Any]:
        """The shape of data-formats.md's batch evaluation entry (values added on request)."""
        data: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "status": self.status.value,
            "rules": self.outcomes(),
            "rank": self.rank,
        }
        if with_values:
            data["values"] = {
                k: {n: displayable(v) for n, v in r.values.items()} for k, r in self.rules.items()
            }
            data["reasons"] = {k: r.reason for k, r in self.rules.items() if r.reason}
        return data


def displayable(value: Any) -> Any:
    """A recorded value as JSON-safe data: decimals as text (exact), fractions as decimals when finite."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return str(exact) if Fraction(exact) == value else f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, list | tuple):
        return [displayable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def evaluate(compiled: CompiledRules, facts_list: Sequence[Facts]) -> list[Result]:
    """Evaluate every nomination; results in the order of `facts_list`.

    The cross-nomination rules look only at the nominations given: pass all the nominations of the
    campaign (or at least all of the persons and recommending units concerned) for G.2/G.3/G.6 to hold.
    Raises ValueError for a category the rules do not know or an invalid external outcome.
    """
    per_nomination: list[dict[str, RuleResult | None]] = []
    for facts in facts_list:
        decided: dict[str, RuleResult | None] = {}
        unknown = not_in_snapshot(facts)
        for rule in compiled.category(facts.category).rules:
            if unknown is not None and rule.reads_snapshot:
                decided[rule.id] = unknown
            elif rule.batch:
                decided[rule.id] = None  # filled below, once the whole list has been seen
            elif rule.external:
                if rule.id in facts.external_outcomes:
                    decided[rule.id] = _external(rule, facts.external_outcomes[rule.id])
            elif rule.informational is not None:
                decided[rule.id] = RuleResult(Outcome.PASS)
            else:
                decided[rule.id] = decide(rule, facts)
        per_nomination.append(decided)

    for rule in compiled.rules.values():
        if rule.batch:
            indices = [i for i, facts in enumerate(facts_list) if facts.category in rule.categories]
            outcomes = _BATCH[rule.batch](rule, [facts_list[i] for i in indices])
            for i, result in zip(indices, outcomes, strict=True):
                if per_nomination[i][rule.id] is None:  # not decided above for a 学号 the snapshot lacks
                    per_nomination[i][rule.id] = result

    results = []
    for facts, decided in zip(facts_list, per_nomination, strict=True):
        rules = {rule_id: r for rule_id, r in decided.items() if r is not None}
        status = status_of(r.outcome for r in rules.values())
        results.append(Result(facts.id, facts.category, status, rules, None))
    return _ranked(compiled, facts_list, results)


def not_in_snapshot(facts: Facts) -> RuleResult | None:
    """The result of every snapshot-reading rule for a person nomination whose 学号 the snapshot does not
    have (a mistyped 学号, a learner who joined after the baseline); None when it has it or for a unit."""
    if facts.nominee_account is None or facts.learner is not None:
        return None
    return RuleResult(Outcome.MISSING, {"nominee_account": facts.nominee_account}, reason=NOT_IN_SNAPSHOT)


def decide(rule: Rule, facts: Facts) -> RuleResult:
    """One condition rule for one nomination: first check that does not hold gives the outcome."""
    if rule.reads_learner and facts.learner is None:
        return RuleResult(Outcome.MISSING, {"learner": None})
    ctx = Ctx()
    outcome = Outcome.PASS
    for check in rule.checks:
        if check.condition is None:
            outcome = check.otherwise
            break
        holds = check.condition.fn(facts, ctx)
        if holds is not True:
            outcome = Outcome.MISSING if holds is None else check.otherwise
            break
    values = ctx.values if ctx.values is not None else {}
    if outcome is Outcome.MANUAL and rule.id in facts.decisions:
        return RuleResult(Outcome.PASS if facts.decisions[rule.id] else Outcome.FAIL, values, reviewed=True)
    return RuleResult(outcome, values)


def _external(rule: Rule, raw: str) -> RuleResult:
    try:
        return RuleResult(Outcome(raw), {"source": "external"})
    except ValueError:
        raise ValueError(f"规则“{rule.id}”：外部给出的结果“{raw}”无效") from None


def _submission_order(facts: Facts) -> tuple[bool, datetime | None, str]:
    # Drafts (no submission time) come after every submitted nomination; the id breaks ties.
    return (facts.submitted_at is None, facts.submitted_at, facts.id)


def _groups(facts_list: list[Facts], key: Callable[[Facts], Any]) -> dict[Any, list[int]]:
    """Indices of the nominations still holding a place, grouped by `key`, each group in submission order."""
    groups: dict[Any, list[int]] = defaultdict(list)
    for i, facts in enumerate(facts_list):
        if not facts.released:
            groups[key(facts)].append(i)
    for members in groups.values():
        members.sort(key=lambda i: _submission_order(facts_list[i]))
    return groups


def _released_pass(facts_list: list[Facts]) -> list[RuleResult]:
    # A withdrawn or rejected nomination takes no part in the cross-nomination rules.
    return [RuleResult(Outcome.PASS, {"released": True}) for _ in facts_list]


def one_per_unit_and_category(rule: Rule, facts_list: list[Facts]) -> list[RuleResult]:
    """G.6: per (recommending unit, category), every nomination but the earliest submitted fails."""
    results = _released_pass(facts_list)
    for members in _groups(facts_list, lambda f: (f.recommending_unit, f.category)).values():
        first = facts_list[members[0]]
        for position, i in enumerate(members):
            values = {
                "recommending_unit": first.recommending_unit,
                "count": len(members),
                "earliest": first.id,
            }
            results[i] = RuleResult(Outcome.PASS if position == 0 else rule.otherwise or Outcome.FAIL, values)
    return results


def one_account_per_person(rule: Rule, facts_list: list[Facts]) -> list[RuleResult]:
    """G.2: per person, a nomination naming another account than the earliest submitted one fails."""
    results = _released_pass(facts_list)
    for person, members in _groups(facts_list, lambda f: f.person_key).items():
        first = facts_list[members[0]]
        for i in members:
            facts = facts_list[i]
            if person is None:
                results[i] = RuleResult(Outcome.MISSING, {"person_key": None})
                continue
            values = {"nominee_account": facts.nominee_account, "first_account": first.nominee_account}
            same = facts.nominee_account == first.nominee_account
            results[i] = RuleResult(Outcome.PASS if same else rule.otherwise or Outcome.FAIL, values)
    return results


def one_award_per_person(rule: Rule, facts_list: list[Facts]) -> list[RuleResult]:
    """G.3: a person nominated in two or more categories is flagged on each nomination (`warn`);
    once one of them is selected, that one passes and the others fail."""
    results = _released_pass(facts_list)
    for person, members in _groups(facts_list, lambda f: f.person_key).items():
        categories = sorted({facts_list[i].category for i in members})
        selected = [facts_list[i].id for i in members if facts_list[i].selected]
        for i in members:
            facts = facts_list[i]
            if person is None:
                results[i] = RuleResult(Outcome.MISSING, {"person_key": None})
            elif len(categories) < 2:
                results[i] = RuleResult(Outcome.PASS, {"categories": categories})
            elif selected:
                outcome = Outcome.PASS if facts.selected else Outcome.FAIL
                results[i] = RuleResult(outcome, {"categories": categories, "selected": selected})
            else:
                results[i] = RuleResult(rule.otherwise or Outcome.WARN, {"categories": categories})
    return results


_BATCH: dict[str, Callable[[Rule, list[Facts]], list[RuleResult]]] = {
    "one_account_per_person": one_account_per_person,
    "one_award_per_person": one_award_per_person,
    "one_per_unit_and_category": one_per_unit_and_category,
}
assert set(_BATCH) == set(BATCH_KINDS), "every batch kind a rules file may name is implemented"


def _ranked(compiled: CompiledRules, facts_list: Sequence[Facts], results: list[Result]) -> list[Result]:
    """Rank within (reporting unit, category) by the category's ordering key, ties sharing the best."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, result in enumerate(results):
        if result.status in RANKED_STATUSES and facts_list[i].ranked:
            groups[(facts_list[i].reporting_unit, result.category)].append(i)
    ranks: dict[int, int] = {}
    no_record = Ctx(record=False)
    for (_, category), members in groups.items():
        terms = compiled.category(category).order
        descending = [t.descending for t in terms]
        keys = [order_key([t.expr.fn(facts_list[i], no_record) for t in terms], descending) for i in members]
        ranks.update(zip(members, competition_ranks(keys), strict=True))
    return [
        Result(r.id, r.category, r.status, r.rules, ranks.get(i)) if i in ranks else r
        for i, r in enumerate(results)
    ]
