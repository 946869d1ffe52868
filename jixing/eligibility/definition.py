"""Reading a rules file (rules.toml, already parsed into a dict) into compiled rules, refusing bad ones.

Every problem is a ValueError whose Chinese message names the rule (or parameter, or category) and the
reason, so that a province editing its copy of the file sees what to fix. Conditions are parsed and
type-checked here, once; evaluation only calls the resulting closures.

The file (see campaigns/definitions/shanxi-2022/rules.toml for a full example):

    [params]                       named thresholds: int, decimal, string, bool or list of strings
    [groups]                       names for sets of categories, e.g. person = ["学员标兵", …]
    [categories."学员标兵"]          order = [{ desc = "<expr>" }, { asc = "<expr>" }, …]
                                   rank_in_unit = ["total_points", "annual_points"]   (optional)
    [[rules]]                      id, wording (the plan's words), categories (names, groups or "*"),
                                   decided_by (optional prose), confirms (optional: the plan's words
                                   that a reviewer confirms, for a rule whose last step is `manual`),
                                   and exactly one of:
        checks = [{ require = "<expr>", otherwise = "fail" }, …, { otherwise = "manual" }]
        batch = "<cross-nomination check>", otherwise = "<outcome>"
        external = true            outcome supplied by the application (Facts.external_outcomes)
        informational = "<why>"    no condition: always `pass` in results (ordering keys, quota notes)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jixing.eligibility.compiler import BOOL, NUM, Compiled, compile_condition, param_value, schema
from jixing.eligibility.expr import ExprError
from jixing.eligibility.facts import SNAPSHOT_FACTS, Learner
from jixing.eligibility.outcomes import FAILING_OUTCOMES, Outcome

# Cross-nomination checks the engine knows (engine.py implements them).
BATCH_KINDS = {
    "one_account_per_person": "G.2 一人一个学号",
    "one_award_per_person": "G.3 一人只能获得一项表扬",
    "one_per_unit_and_category": "G.6 每校每项限保1个",
}
# Those that recognise a person by the nominee's snapshot row (its person_key).
IDENTITY_BATCH_KINDS = frozenset({"one_account_per_person", "one_award_per_person"})
_RULE_KEYS = {"id", "wording", "categories", "decided_by", "checks", "batch", "otherwise", "external"}
_RULE_KEYS |= {"informational", "confirms"}
_KINDS = ("checks", "batch", "external", "informational")


@dataclass(frozen=True, slots=True)
class Check:
    """One step of a rule: when `condition` does not hold, the rule's outcome is `otherwise`.

    A step without condition always gives `otherwise` (e.g. `manual`: a reviewer must judge).
    """

    condition: Compiled | None
    otherwise: Outcome


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    wording: str
    categories: frozenset[str]
    decided_by: str = ""
    # The part of the plan's wording no data can decide, which a reviewer confirms (the rule's last step is
    # `manual`): shown in the rule table as what is asked of the reviewer. "" when the data decide it all.
    confirms: str = ""
    checks: tuple[Check, ...] = ()
    batch: str | None = None
    otherwise: Outcome | None = None  # of a batch rule
    external: bool = False
    informational: str | None = None
    # The rule reads the snapshot row: without one it is `missing` (campaign-2022.md).
    reads_learner: bool = False
    # The rule reads what a person nomination knows through the nominee's snapshot row (SNAPSHOT_FACTS, or
    # the person's identity for G.2/G.3): `missing` when the snapshot does not have the nominee's 学号.
    reads_snapshot: bool = False
    # The facts its conditions name (e.g. "learner", "judges_score"): who supplies them can be asked.
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class OrderTerm:
    expr: Compiled
    descending: bool


@dataclass(frozen=True, slots=True)
class CategoryRules:
    name: str
    rules: tuple[Rule, ...]  # in file order
    order: tuple[OrderTerm, ...]
    # Learner fields (all descending) that define "rank in unit" for this category; () when unused.
    rank_in_unit: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledRules:
    params: Mapping[str, Any]  # name → value as written (decimals as Decimal), for display
    rules: Mapping[str, Rule]  # id → rule, in file order
    categories: Mapping[str, CategoryRules]

    def category(self, name: str) -> CategoryRules:
        try:
            return self.categories[name]
        except KeyError:
            raise ValueError(f"未知评选项目“{name}”（规则文件中有：{'、'.join(self.categories)}）") from None


def compile_definition(rules_file: dict[str, Any], *, categories: list[str]) -> CompiledRules:
    """Compile a parsed rules file for a campaign whose categories are `categories` (names).

    Raises ValueError with a Chinese message naming the rule id (or parameter/category) and the reason.
    """
    if not isinstance(rules_file, dict):
        raise ValueError("规则文件应为一个表")
    params = _params(rules_file.get("params", {}))
    groups = _groups(rules_file.get("groups", {}), categories)
    rules = _rules(rules_file.get("rules", []), params, groups, categories)
    category_table = rules_file.get("categories", {})
    if not isinstance(category_table, dict):
        raise ValueError("规则文件的 [categories] 应为表")
    for name in category_table:
        if name not in categories:
            raise ValueError(f"排序键：未知评选项目“{name}”（活动定义中有：{'、'.join(categories)}）")
    compiled = {}
    for name in categories:
        if name not in category_table:
            raise ValueError(f'评选项目“{name}”缺少排序键（[categories."{name}"] order = …）')
        order, rank_fields = _category(name, category_table[name], params)
        applicable = tuple(rule for rule in rules.values() if name in rule.categories)
        compiled[name] = CategoryRules(name, applicable, order, rank_fields)
    shown = {name: shown for name, (_, shown, _) in params.items()}
    return CompiledRules(params=shown, rules=rules, categories=compiled)


def _params(table: Any) -> dict[str, tuple[Any, Any, Any]]:
    if not isinstance(table, dict):
        raise ValueError("规则文件的 [params] 应为表")
    params = {}
    for name, raw in table.items():
        try:
            params[name] = param_value(raw)
        except ValueError as exc:
            raise ValueError(f"参数“{name}”：{exc}") from None
    return params


def _groups(table: Any, categories: list[str]) -> dict[str, frozenset[str]]:
    if not isinstance(table, dict):
        raise ValueError("规则文件的 [groups] 应为表")
    groups = {"*": frozenset(categories)}
    for name, members in table.items():
        if name in categories or name == "*":
            raise ValueError(f"项目组“{name}”与评选项目同名")
        if not isinstance(members, list) or not members:
            raise ValueError(f"项目组“{name}”应为评选项目名称的非空列表")
        for member in members:
            if member not in categories:
                raise ValueError(f"项目组“{name}”：未知评选项目“{member}”")
        groups[name] = frozenset(members)
    return groups


def _rules(
    entries: Any,
    params: dict[str, tuple[Any, Any, Any]],
    groups: dict[str, frozenset[str]],
    categories: list[str],
) -> dict[str, Rule]:
    if not isinstance(entries, list) or not entries:
        raise ValueError("规则文件没有规则（[[rules]]）")
    rules: dict[str, Rule] = {}
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise ValueError(f"第 {index} 条规则缺少 id")
        rule_id = entry["id"]
        if rule_id in rules:
            raise ValueError(f"规则“{rule_id}”：id 重复")
        try:
            rules[rule_id] = _rule(entry, params, groups, categories)
        except ExprError as exc:
            raise ValueError(f"规则“{rule_id}”：{exc.reason}") from None
        except ValueError as exc:
            raise ValueError(f"规则“{rule_id}”：{exc}") from None
    return rules


def _rule(
    entry: dict[str, Any],
    params: dict[str, tuple[Any, Any, Any]],
    groups: dict[str, frozenset[str]],
    categories: list[str],
) -> Rule:
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"未知字段“{'、'.join(unknown)}”")
    wording = entry.get("wording")
    if not isinstance(wording, str) or not wording.strip():
        raise ValueError("缺少 wording（方案原文）")
    decided_by = entry.get("decided_by", "")
    if not isinstance(decided_by, str):
        raise ValueError("decided_by 应为文字")
    applies = _applies_to(entry.get("categories"), groups, categories)
    kinds = [k for k in _KINDS if k in entry]
    if len(kinds) != 1:
        raise ValueError("应恰好有 checks、batch、external、informational 之一")
    if "otherwise" in entry and kinds != ["batch"]:
        raise ValueError("otherwise 只用于 batch 规则；条件规则写在 checks 的每一步中")
    base = {"id": entry["id"], "wording": wording, "categories": applies, "decided_by": decided_by}
    confirms = entry.get("confirms", "")
    if not isinstance(confirms, str) or ("confirms" in entry and not confirms.strip()):
        raise ValueError("confirms 应为需审核人确认的方案原文")
    if confirms and kinds != ["checks"]:
        raise ValueError("confirms 只用于 checks 规则")
    if kinds == ["checks"]:
        checks = _checks(entry["checks"], params)
        if confirms and (checks[-1].condition is not None or checks[-1].otherwise is not Outcome.MANUAL):
            raise ValueError('有 confirms 的规则，最后一步应为 { otherwise = "manual" }（由审核人确认）')
        conditions = [c.condition for c in checks if c.condition is not None]
        roots: frozenset[str] = frozenset().union(*(c.roots for c in conditions))
        return Rule(
            **base,
            confirms=confirms.strip(),
            checks=checks,
            reads=roots,
            reads_learner="learner" in roots,
            reads_snapshot=bool(roots & SNAPSHOT_FACTS),
        )
    if kinds == ["batch"]:
        if entry["batch"] not in BATCH_KINDS:
            raise ValueError(f"未知批量规则“{entry['batch']}”（可用：{'、'.join(BATCH_KINDS)}）")
        return Rule(
            **base,
            batch=entry["batch"],
            otherwise=_outcome(entry.get("otherwise")),
            reads_snapshot=entry["batch"] in IDENTITY_BATCH_KINDS,
        )
    if kinds == ["external"]:
        if entry["external"] is not True:
            raise ValueError("external 只能为 true")
        return Rule(**base, external=True)
    if not isinstance(entry["informational"], str) or not entry["informational"].strip():
        raise ValueError("informational 应为说明文字")
    return Rule(**base, informational=entry["informational"])


def _applies_to(raw: Any, groups: dict[str, frozenset[str]], categories: list[str]) -> frozenset[str]:
    if not isinstance(raw, list) or not raw:
        raise ValueError('categories 应为评选项目、项目组或 "*" 的非空列表')
    names: set[str] = set()
    for item in raw:
        if item in groups:
            names |= groups[item]
        elif item in categories:
            names.add(item)
        else:
            raise ValueError(f"未知评选项目或项目组“{item}”")
    return frozenset(names)


def _outcome(raw: Any) -> Outcome:
    if raw not in {o.value for o in FAILING_OUTCOMES}:
        allowed = "、".join(o.value for o in FAILING_OUTCOMES)
        raise ValueError(f"未知结果“{raw}”（不满足时可用：{allowed}）")
    return Outcome(raw)


def _checks(raw: Any, params: dict[str, tuple[Any, Any, Any]]) -> tuple[Check, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("checks 应为非空列表")
    checks: list[Check] = []
    for number, step in enumerate(raw, start=1):
        where = f"第 {number} 步检查"
        if checks and checks[-1].condition is None:
            raise ValueError(f"{where}永远不会执行：前一步没有 require，总是给出结果")
        if not isinstance(step, dict) or set(step) - {"require", "otherwise"}:
            raise ValueError(f"{where}只能有 require 与 otherwise")
        try:
            otherwise = _outcome(step.get("otherwise"))
        except ValueError as exc:
            raise ValueError(f"{where}：{exc}") from None
        condition = None
        if "require" in step:
            if not isinstance(step["require"], str):
                raise ValueError(f"{where}的 require 应为文字条件")
            try:
                condition = compile_condition(step["require"], params=params)
            except ExprError as exc:
                raise ValueError(f"{where}的条件：{exc.reason}") from None
        checks.append(Check(condition, otherwise))
    return tuple(checks)


def _category(
    name: str, table: Any, params: dict[str, tuple[Any, Any, Any]]
) -> tuple[tuple[OrderTerm, ...], tuple[str, ...]]:
    where = f"评选项目“{name}”的排序键"
    if not isinstance(table, dict) or set(table) - {"order", "rank_in_unit"}:
        raise ValueError(f"{where}只能有 order 与 rank_in_unit")
    terms = table.get("order")
    if not isinstance(terms, list) or not terms:
        raise ValueError(f"{where}：order 应为非空列表")
    order = []
    for number, term in enumerate(terms, start=1):
        if not isinstance(term, dict) or len(term) != 1 or next(iter(term)) not in ("asc", "desc"):
            raise ValueError(f'{where}第 {number} 项应写作 {{ desc = "…" }} 或 {{ asc = "…" }}')
        direction, source = next(iter(term.items()))
        try:
            expr = compile_condition(str(source), params=params, want=(NUM, BOOL))
        except ExprError as exc:
            raise ValueError(f"{where}第 {number} 项：{exc.reason}") from None
        order.append(OrderTerm(expr, descending=direction == "desc"))
    rank_fields = table.get("rank_in_unit", [])
    numeric = {f.name for f in dataclasses.fields(Learner) if schema(Learner).get(f.name) == NUM}
    if not isinstance(rank_fields, list) or any(f not in numeric for f in rank_fields):
        raise ValueError(
            f"{where}：rank_in_unit 应为学员积分字段的列表（可用：{'、'.join(sorted(numeric))}）"
        )
    return tuple(order), tuple(rank_fields)
