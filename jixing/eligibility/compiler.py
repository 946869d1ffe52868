"""Type-check a parsed condition against the Facts records and turn it into a closure, once.

Semantics, chosen so that the data decides and nothing guesses:
- Numbers are ints or exact fractions (decimal facts and literals are read exactly), so
  `members > staff * 0.80` compares exactly; `/` is exact too, and dividing by zero gives "unknown".
- A None read from the facts is "unknown". Comparisons and arithmetic on unknown give unknown;
  `and`/`or`/`not`, `any`/`all` follow three-valued (Kleene) logic, so `false and unknown` is false and
  `true or unknown` is true: a missing value makes a rule `missing` only when it could change the result.
  `x == null` / `x != null` are the only ways to ask about absence itself, and are never unknown.
- Every value read (and every count/min/max) is recorded under its name for display, e.g.
  {"learner.annual_points": 7199, "params.annual_min": 7200}; reads inside a list function are named by
  element, e.g. "roles[0].node.members".
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from jixing.eligibility.expr import ExprError, Node, parse
from jixing.eligibility.facts import Facts

NUM, BOOL, STR, NULL = "数值", "真假值", "字符串", "空值"
LIST_FUNCTIONS = ("count", "any", "all", "where", "min", "max")

Fn = Callable[[Any, "Ctx"], Any]


class Ctx:
    """Per-evaluation state: the recorded values (None when not recording) and the element prefix."""

    __slots__ = ("values", "prefix")

    def __init__(self, *, record: bool = True) -> None:
        self.values: dict[str, Any] | None = {} if record else None
        self.prefix = ""


@dataclass(frozen=True, slots=True)
class Compiled:
    fn: Fn
    type: Any
    roots: frozenset[str]  # top-level Facts names the condition reads, e.g. {"learner", "attachments"}
    source: str


def exact(value: Any) -> Any:
    """A number as int or Fraction: Decimals exactly, floats through their shortest decimal text."""
    if type(value) is int or value is None:
        return value
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    return value


def param_value(raw: Any) -> tuple[Any, Any, Any]:
    """(value used by conditions, value shown to people, type) of one [params] entry; ValueError if unusable."""
    if isinstance(raw, bool):
        return raw, raw, BOOL
    if isinstance(raw, int):
        return raw, raw, NUM
    if isinstance(raw, float):
        return Fraction(repr(raw)), Decimal(repr(raw)), NUM
    if isinstance(raw, str):
        return raw, raw, STR
    if isinstance(raw, list) and raw and all(isinstance(x, str) for x in raw):
        return frozenset(raw), list(raw), ("coll", STR)
    raise ValueError(f"取值 {raw!r} 不是整数、小数、字符串、真假值或非空字符串列表")


def _type_of_hint(hint: Any) -> Any:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (inner,) = [a for a in args if a is not type(None)]
        return _type_of_hint(inner)
    if hint is bool:
        return BOOL
    if hint in (int, Decimal):
        return NUM
    if hint is str:
        return STR
    if dataclasses.is_dataclass(hint):
        return hint
    if typing.get_origin(hint) in (tuple, frozenset, list, set):
        elem = _type_of_hint(args[0])
        return ("list", elem) if dataclasses.is_dataclass(elem) else ("coll", elem)
    raise TypeError(f"no condition type for {hint!r}")


@cache
def schema(record: type) -> dict[str, Any]:
    """Names a condition may read on a record type: its fields marked expr=True."""
    hints = typing.get_type_hints(record)
    return {
        f.name: _type_of_hint(hints[f.name]) for f in dataclasses.fields(record) if f.metadata.get("expr")
    }


def _describe(t: Any) -> str:
    if isinstance(t, tuple):
        return "记录列表" if t[0] == "list" else "列表"
    return "记录" if isinstance(t, type) else str(t)


def compile_condition(
    source: str, *, params: dict[str, tuple[Any, Any, Any]], want: tuple[Any, ...] = (BOOL,)
) -> Compiled:
    """Parse and check `source` once; raises ExprError (with the character position) when it is unusable."""
    compiler = _Compiler(source, params)
    fn, typ = compiler.compile(parse(source), Facts)
    if typ not in want:
        expected = "或".join(_describe(w) for w in want)
        raise ExprError(f"条件的结果应为{expected}，实为{_describe(typ)}", 0)
    return Compiled(fn, typ, frozenset(compiler.roots), source)


def _kleene_and(fns: list[Fn]) -> Fn:
    def f(s: Any, c: Ctx) -> Any:
        unknown = False
        for fn in fns:
            r = fn(s, c)
            if r is False:
                return False
            unknown = unknown or r is None
        return None if unknown else True

    return f


def _kleene_or(fns: list[Fn]) -> Fn:
    def f(s: Any, c: Ctx) -> Any:
        unknown = False
        for fn in fns:
            r = fn(s, c)
            if r is True:
                return True
            unknown = unknown or r is None
        return None if unknown else False

    return f


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}


def _divide(a: Any, b: Any) -> Any:
    return None if b == 0 else Fraction(a) / b


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
}


class _Compiler:
    def __init__(self, source: str, params: dict[str, tuple[Any, Any, Any]]) -> None:
        self.source = source
        self.params = params
        self.roots: set[str] = set()

    def fail(self, node: Node, reason: str) -> ExprError:
        text = self.source[node.pos : node.end]
        return ExprError(f"第 {node.pos + 1} 个字符处（“{text}”）：{reason}", node.pos)

    def compile(self, node: Node, scope: type) -> tuple[Fn, Any]:
        method: Callable[[Node, type], tuple[Fn, Any]] = getattr(self, "_" + node.kind)
        return method(node, scope)

    def _typed(self, node: Node, scope: type, want: Any, what: str) -> Fn:
        fn, typ = self.compile(node, scope)
        if typ != want:
            raise self.fail(node, f"{what}应为{_describe(want)}，实为{_describe(typ)}")
        return fn

    def _lit(self, node: Node, scope: type) -> tuple[Fn, Any]:
        value = node.value
        typ = {bool: BOOL, int: NUM, Fraction: NUM, str: STR, type(None): NULL}[type(value)]
        return (lambda s, c: value), typ

    def _list(self, node: Node, scope: type) -> tuple[Fn, Any]:
        if not node.args or any(a.kind != "lit" or a.value is None for a in node.args):
            raise self.fail(node, "列表只能由常量组成，且不能为空")
        kinds = {self._lit(a, scope)[1] for a in node.args}
        if len(kinds) != 1:
            raise self.fail(node, "列表中的常量类型必须一致")
        values = frozenset(a.value for a in node.args)
        return (lambda s, c: values), ("coll", kinds.pop())

    def _name(self, node: Node, scope: type) -> tuple[Fn, Any]:
        parts: tuple[str, ...] = node.value
        if parts[0] == "params":
            if len(parts) != 2:
                raise self.fail(node, "参数写作 params.名称")
            if parts[1] not in self.params:
                raise self.fail(node, f"未知参数“{parts[1]}”（[params] 中没有）")
            value, shown, param_type = self.params[parts[1]]
            label = "params." + parts[1]

            def read_param(s: Any, c: Ctx) -> Any:
                if c.values is not None:
                    c.values[label] = shown
                return value

            return read_param, param_type
        typ: Any = scope
        for i, part in enumerate(parts):
            if not isinstance(typ, type):
                raise self.fail(node, f"“{'.'.join(parts[:i])}”不是记录，没有字段“{part}”")
            fields = schema(typ)
            if part not in fields:
                known = "、".join(fields)
                raise self.fail(node, f"未知名称“{'.'.join(parts[: i + 1])}”（此处可用：{known}）")
            typ = fields[part]
        if scope is Facts:
            self.roots.add(parts[0])
        # Records and lists of records are not shown as values, only their fields (or their absence).
        label, numeric = ".".join(parts), typ == NUM
        record = isinstance(typ, type) or (isinstance(typ, tuple) and typ[0] == "list")

        def read(s: Any, c: Ctx) -> Any:
            v = s
            for part in parts:
                v = getattr(v, part)
                if v is None:
                    break
            if c.values is not None and (v is None or not record):
                c.values[c.prefix + label] = v
            return exact(v) if numeric else v

        return read, typ

    def _not(self, node: Node, scope: type) -> tuple[Fn, Any]:
        inner = self._typed(node.args[0], scope, BOOL, "not 的操作数")
        return (lambda s, c: None if (r := inner(s, c)) is None else not r), BOOL

    def _neg(self, node: Node, scope: type) -> tuple[Fn, Any]:
        inner = self._typed(node.args[0], scope, NUM, "负号的操作数")
        return (lambda s, c: None if (r := inner(s, c)) is None else -r), NUM

    def _and(self, node: Node, scope: type) -> tuple[Fn, Any]:
        return _kleene_and([self._typed(a, scope, BOOL, "and 的操作数") for a in node.args]), BOOL

    def _or(self, node: Node, scope: type) -> tuple[Fn, Any]:
        return _kleene_or([self._typed(a, scope, BOOL, "or 的操作数") for a in node.args]), BOOL

    def _arith(self, node: Node, scope: type) -> tuple[Fn, Any]:
        left, right = (self._typed(a, scope, NUM, f"“{node.value}”的操作数") for a in node.args)
        op = _ARITH[node.value]

        def f(s: Any, c: Ctx) -> Any:
            a, b = left(s, c), right(s, c)
            return None if a is None or b is None else op(a, b)

        return f, NUM

    def _cmp(self, node: Node, scope: type) -> tuple[Fn, Any]:
        op = node.value
        (left, lt), (right, rt) = (self.compile(a, scope) for a in node.args)
        if op in ("==", "!=") and NULL in (lt, rt):
            # The one question about absence itself: definite, never unknown.
            other = right if lt == NULL else left
            if op == "==":
                return (lambda s, c: other(s, c) is None), BOOL
            return (lambda s, c: other(s, c) is not None), BOOL
        if op in ("in", "not in"):
            if rt != ("coll", lt):
                raise self.fail(node, f"“{op}”的右边应为与左边同类的列表，实为{_describe(rt)}")
        elif lt != rt or (op not in ("==", "!=") and lt != NUM) or isinstance(lt, tuple | type):
            raise self.fail(node, f"不能用“{op}”比较{_describe(lt)}与{_describe(rt)}")
        test = _ORDER[op]

        def f(s: Any, c: Ctx) -> Any:
            a, b = left(s, c), right(s, c)
            return None if a is None or b is None else test(a, b)

        return f, BOOL

    def _call(self, node: Node, scope: type) -> tuple[Fn, Any]:
        name, args = node.value, node.args
        if name not in LIST_FUNCTIONS:
            raise self.fail(node, f"未知函数“{name}”（可用：{'、'.join(LIST_FUNCTIONS)}）")
        arity = (1, 2) if name == "count" else (2,)
        if len(args) not in arity:
            raise self.fail(node, f"{name}() 需要 {' 或 '.join(map(str, arity))} 个参数")
        items, items_type = self.compile(args[0], scope)
        if name == "count" and len(args) == 1 and isinstance(items_type, tuple):
            return self._recorded(node, lambda s, c: None if (v := items(s, c)) is None else len(v)), NUM
        if not (isinstance(items_type, tuple) and items_type[0] == "list"):
            raise self.fail(args[0], f"{name}() 的第一个参数应为记录列表，实为{_describe(items_type)}")
        element = items_type[1]
        want = NUM if name in ("min", "max") else BOOL
        inner = self._typed(args[1], element, want, f"{name}() 的第二个参数")
        label = self.source[args[0].pos : args[0].end]
        fn = _LIST_IMPLS[name](items, inner, label)
        result = {"any": BOOL, "all": BOOL, "where": items_type}.get(name, NUM)
        return (self._recorded(node, fn) if result == NUM else fn), result

    def _recorded(self, node: Node, fn: Fn) -> Fn:
        label = self.source[node.pos : node.end]

        def f(s: Any, c: Ctx) -> Any:
            value = fn(s, c)
            if c.values is not None:
                c.values[c.prefix + label] = value
            return value

        return f


def _results(elements: Any, inner: Fn, label: str, c: Ctx) -> list[Any]:
    """The inner expression on every element, naming the reads recorded inside by element.

    Every element is looked at (no short cut), so the recorded values show the whole list.
    """
    outer = c.prefix
    results = []
    try:
        for i, element in enumerate(elements):
            if c.values is not None:
                c.prefix = f"{outer}{label}[{i}]."
            results.append(inner(element, c))
    finally:
        c.prefix = outer
    return results


def _any(elements: list[Any], results: list[Any]) -> Any:
    return True if True in results else (None if None in results else False)


def _all(elements: list[Any], results: list[Any]) -> Any:
    return False if False in results else (None if None in results else True)


def _count(elements: list[Any], results: list[Any]) -> Any:
    return None if None in results else results.count(True)


def _where(elements: list[Any], results: list[Any]) -> Any:
    # Elements whose test is unknown are left out: `where` selects what is known to match.
    return [element for element, r in zip(elements, results, strict=True) if r is True]


def _min(elements: list[Any], results: list[Any]) -> Any:
    return None if not results or None in results else min(results)


def _max(elements: list[Any], results: list[Any]) -> Any:
    return None if not results or None in results else max(results)


def _over_list(combine: Callable[[list[Any], list[Any]], Any]) -> Callable[[Fn, Fn, str], Fn]:
    def make(items: Fn, inner: Fn, label: str) -> Fn:
        def f(s: Any, c: Ctx) -> Any:
            elements = items(s, c)
            if elements is None:
                return None
            return combine(elements, _results(elements, inner, label, c))

        return f

    return make


_LIST_IMPLS: dict[str, Callable[[Fn, Fn, str], Fn]] = {
    name: _over_list(combine)
    for name, combine in [
        ("any", _any),
        ("all", _all),
        ("count", _count),
        ("where", _where),
        ("min", _min),
        ("max", _max),
    ]
}
