"""The rules engine: pure Python, no Django. Rule definitions + facts in, outcomes and ranks out."""

from __future__ import annotations

from typing import Any


def compile_definition(rules_file: dict[str, Any], *, categories: list[str]) -> Any:
    """Placeholder until the engine lands: accepts any rules file."""
    return rules_file
