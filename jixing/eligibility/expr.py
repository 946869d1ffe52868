"""The condition language of rules.toml: tokenizer and recursive-descent parser (no Python eval).

Grammar (lowest precedence first; comparisons do not chain):

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum]
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := INT | DECIMAL | STRING | "true" | "false" | "null"
             | NAME ("." NAME)*                 a fact (learner.annual_points) or a parameter (params.x)
             | NAME "(" expr ("," expr)* ")"    a list function: count any all where min max
             | "[" [expr ("," expr)*] "]"       a list of constants
             | "(" expr ")"

Strings are quoted with ' or " and have no escapes (rules quote Chinese words, never quotes).
Decimals are read exactly. Names and types are checked by `compiler.py`; this module only builds the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|[<>+\-*/()\[\],.])""",
    re.VERBOSE,
)


class ExprError(ValueError):
    """A condition that cannot be read; `pos` is the 0-based character offset of the problem."""

    def __init__(self, reason: str, pos: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pos = pos


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number | string | name | keyword | op | end
    text: str
    pos: int


@dataclass(frozen=True, slots=True)
class Node:
    """One node of the tree. `kind` says which of the fields matter:

    lit (value) · name (value = tuple of parts) · list (args) · not/neg (args[0]) · and/or (args)
    · cmp/arith (value = operator, args = (left, right)) · call (value = function name, args).
    `pos`/`end` delimit the node's source text, used in messages and in the names of recorded values.
    """

    kind: str
    pos: int
    end: int
    value: Any = None
    args: tuple[Node, ...] = ()


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            if source[pos] in "'\"":
                raise ExprError(f"第 {pos + 1} 个字符处的字符串没有结束引号", pos)
            raise ExprError(f"第 {pos + 1} 个字符处有无法识别的字符“{source[pos]}”", pos)
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "name" and text in KEYWORDS:
            kind = "keyword"
        if kind != "space":
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


def parse(source: str) -> Node:
    """Parse one condition; raises ExprError naming the character position of the first problem."""
    if not source.strip():
        raise ExprError("条件为空", 0)
    return _Parser(tokenize(source)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _prev_end(self) -> int:
        prev = self.tokens[self.i - 1]
        return prev.pos + len(prev.text)

    def _at(self, text: str) -> bool:
        return self.tok.kind in ("op", "keyword") and self.tok.text == text

    def _take(self, text: str) -> Token:
        if not self._at(text):
            raise self._error(f"“{text}”")
        token = self.tok
        self.i += 1
        return token

    def _error(self, expected: str) -> ExprError:
        found = f"“{self.tok.text}”" if self.tok.kind != "end" else "结尾"
        return ExprError(f"第 {self.tok.pos + 1} 个字符处语法错误：应为{expected}，实为{found}", self.tok.pos)

    def parse(self) -> Node:
        node = self._or()
        if self.tok.kind != "end":
            raise self._error("运算符或结尾")
        return node

    def _chain(self, keyword: str, kind: str, operand: Callable[[], Node]) -> Node:
        parts = [operand()]
        while self._at(keyword):
            self.i += 1
            parts.append(operand())
        if len(parts) == 1:
            return parts[0]
        return Node(kind, parts[0].pos, parts[-1].end, args=tuple(parts))

    def _or(self) -> Node:
        return self._chain("or", "or", self._and)

    def _and(self) -> Node:
        return self._chain("and", "and", self._not)

    def _not(self) -> Node:
        if self._at("not"):
            start = self._take("not").pos
            inner = self._not()
            return Node("not", start, inner.end, args=(inner,))
        return self._cmp()

    def _cmp(self) -> Node:
        left = self._sum()
        op = self.tok.text if self.tok.kind in ("op", "keyword") else ""
        if op == "not" and self.tokens[self.i + 1].text == "in":
            self.i += 2
            op = "not in"
        elif op in COMPARISONS:
            self.i += 1
        else:
            return left
        right = self._sum()
        if self.tok.text in COMPARISONS and self.tok.kind in ("op", "keyword"):
            raise ExprError(
                f"第 {self.tok.pos + 1} 个字符处语法错误：比较不能连写，请用 and 连接", self.tok.pos
            )
        return Node("cmp", left.pos, right.end, op, (left, right))

    def _arith(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        node = operand()
        while self.tok.kind == "op" and self.tok.text in ops:
            op = self.tok.text
            self.i += 1
            right = operand()
            node = Node("arith", node.pos, right.end, op, (node, right))
        return node

    def _sum(self) -> Node:
        return self._arith(("+", "-"), self._product)

    def _product(self) -> Node:
        return self._arith(("*", "/"), self._unary)

    def _unary(self) -> Node:
        if self._at("-"):
            start = self._take("-").pos
            inner = self._unary()
            return Node("neg", start, inner.end, args=(inner,))
        return self._atom()

    def _atom(self) -> Node:
        tok = self.tok
        end = tok.pos + len(tok.text)
        if tok.kind == "number":
            self.i += 1
            value: Any = Fraction(tok.text) if "." in tok.text else int(tok.text)
            return Node("lit", tok.pos, end, value)
        if tok.kind == "string":
            self.i += 1
            return Node("lit", tok.pos, end, tok.text[1:-1])
        if tok.kind == "keyword" and tok.text in ("true", "false", "null"):
            self.i += 1
            return Node("lit", tok.pos, end, {"true": True, "false": False, "null": None}[tok.text])
        if tok.kind == "name":
            return self._name_or_call()
        if self._at("("):
            self.i += 1
            inner = self._or()
            self._take(")")
            return Node(inner.kind, tok.pos, self._prev_end(), inner.value, inner.args)
        if self._at("["):
            self.i += 1
            items = self._arguments("]") if not self._at("]") else []
            self._take("]")
            return Node("list", tok.pos, self._prev_end(), args=tuple(items))
        raise self._error("数值、字符串、名称或“(”")

    def _name_or_call(self) -> Node:
        first = self.tok
        self.i += 1
        if self._at("("):
            self.i += 1
            args = self._arguments(")")
            self._take(")")
            return Node("call", first.pos, self._prev_end(), first.text, tuple(args))
        parts = [first.text]
        while self._at("."):
            self.i += 1
            if self.tok.kind != "name":
                raise self._error("字段名")
            parts.append(self.tok.text)
            self.i += 1
        return Node("name", first.pos, self._prev_end(), tuple(parts))

    def _arguments(self, closing: str) -> list[Node]:
        items = [self._or()]
        while self._at(","):
            self.i += 1
            items.append(self._or())
        if not self._at(closing):
            raise self._error(f"“,”或“{closing}”")
        return items
