"""One base exception for refusals: every `*Refused` of the package subclasses jixing.refusals.Refused,
so a view catches the base once."""

import ast
import importlib
from pathlib import Path

import pytest

from jixing.nominations.domain.list_picks import ListRefused
from jixing.nominations.domain.transitions import TransitionRefused
from jixing.refusals import Refused

PACKAGE = Path(__file__).resolve().parent.parent / "jixing"
# The demo's loader (jixing/demo/load.py) is being rebuilt on the domain functions; its DemoDataRefused
# is a command-line refusal of the demo, not a rule of the product.
NOT_YET = {"jixing.demo.load.DemoDataRefused"}


def _refusal_classes() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Refused") and node.name != "Refused":
                found.append(f"{module}.{node.name}")
    return found


def test_refusals_are_found_in_the_package():
    names = _refusal_classes()
    assert "jixing.nominations.domain.transitions.TransitionRefused" in names
    assert "jixing.tables.problems.ImportRefused" in names
    assert len(names) >= 14


@pytest.mark.parametrize("name", sorted(set(_refusal_classes()) - NOT_YET))
def test_refusals_subclass_the_one_base(name):
    module, _, cls = name.rpartition(".")
    assert issubclass(getattr(importlib.import_module(module), cls), Refused)


def test_refusals_carry_message_and_rule_id():
    exc = TransitionRefused("名额已满（G.7）", rule_id="G.7")
    assert (str(exc), exc.message, exc.rule_id) == ("名额已满（G.7）", "名额已满（G.7）", "G.7")
    assert ListRefused("重复选入").rule_id is None
