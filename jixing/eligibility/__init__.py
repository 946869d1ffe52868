"""The rules engine: pure Python, no Django. Rule definitions + facts in, outcomes and ranks out.

    compiled = compile_definition(tomllib.load(fh), categories=["学员标兵", …])   # once; ValueError if bad
    results = evaluate(compiled, [Facts(...), …])                                # many times
    results[0].status, results[0].rules["1.3"].outcome, results[0].rank, results[0].to_json()

Modules: expr (the condition language's parser), compiler (types, exact three-valued evaluation),
definition (rules.toml → CompiledRules), facts (what the rules read), engine (evaluate, batch rules),
ranking (rank in unit, competition ranking), outcomes (Outcome, Status).
"""

from __future__ import annotations

from jixing.eligibility.definition import CategoryRules, CompiledRules, Rule, compile_definition
from jixing.eligibility.engine import Result, RuleResult, evaluate
from jixing.eligibility.facts import Facts, Learner, OrgFigures, Role
from jixing.eligibility.outcomes import Outcome, Status, status_of
from jixing.eligibility.ranking import competition_ranks, rank_in_unit, ranks_in_units

__all__ = [
    "CategoryRules",
    "CompiledRules",
    "Facts",
    "Learner",
    "OrgFigures",
    "Outcome",
    "Result",
    "Role",
    "Rule",
    "RuleResult",
    "Status",
    "compile_definition",
    "competition_ranks",
    "evaluate",
    "rank_in_unit",
    "ranks_in_units",
    "status_of",
]
