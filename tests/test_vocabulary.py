"""One vocabulary: no state, outcome, status or audit action is written as a string literal in a view or a
template. Views compare with the enums; templates with the enums the `vocabulary` context processor
gives them (`{% if n.state == NominationState.SUBMITTED %}`).

The scan is precise rather than broad, because the same words are also CSS classes, GET parameters and
button names:
- Python views: a string constant compared (==, !=, in, not in; tuple/list/set operands included), or
  given as a keyword argument about state (state, status, outcome, action, window …, `__in` lookups too),
  or returned/defaulted as one of those in a comparison's place.
- Templates: a quoted literal inside a `{% %}` tag or a `{{ }}` variable (an `if`, a `url` argument after
  the URL's name, a filter argument); HTML attributes and text outside them are not read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from jixing.announcements.enums import ObjectionOutcome, WindowState
from jixing.audit.enums import AuditAction
from jixing.campaigns.enums import PhaseKey
from jixing.eligibility.outcomes import Outcome, Status
from jixing.imports.enums import JobState
from jixing.nominations.enums import ListState, NominationState

PACKAGE = Path(__file__).resolve().parent.parent / "jixing"
ENUMS = (
    NominationState,
    ListState,
    WindowState,
    JobState,
    ObjectionOutcome,
    PhaseKey,
    Outcome,
    Status,
    AuditAction,
)
VOCABULARY: dict[str, str] = {}
for _enum in ENUMS:
    for _member in _enum:
        VOCABULARY.setdefault(str(_member.value), f"{_enum.__name__}.{_member.name}")

STATE_KEYWORDS = re.compile(r"(^|_)(state|states|status|outcome|action|window|phase|key)(__in)?$")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
URL_TAG = re.compile(r"\{%\s*url\s")
QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def view_files(root: Path = PACKAGE) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.py")
        if p.name.startswith("views") or "views" in p.relative_to(root).parts[:-1]
    )


def template_files(root: Path = PACKAGE) -> list[Path]:
    return sorted(root.rglob("templates/**/*.html"))


def _constants(node: ast.AST) -> list[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [c for elt in node.elts for c in _constants(elt)]
    return []


def python_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every vocabulary word compared or passed as a state in `source`."""
    found: list[ast.Constant] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                found += _constants(operand)
        elif isinstance(node, ast.keyword) and node.arg and STATE_KEYWORDS.search(node.arg):
            found += _constants(node.value)
        elif isinstance(node, ast.match_case):
            found += [p.value for p in ast.walk(node.pattern) if isinstance(p, ast.MatchValue)]  # type: ignore[misc]
    return sorted(
        (c.lineno, c.value)
        for c in found
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value in VOCABULARY
    )


def template_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every vocabulary word quoted inside a template tag or variable of `source`."""
    found = []
    for tag in TEMPLATE_TAG.finditer(source):
        quoteds = list(QUOTED.finditer(tag.group()))
        if URL_TAG.match(tag.group()):
            quoteds = quoteds[1:]  # the URL's name ('logout'), not a word of the vocabulary
        for quoted in quoteds:
            value = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            if value in VOCABULARY:
                found.append((source.count("\n", 0, tag.start() + quoted.start()) + 1, value))
    return found


def _report(path: Path, hits: list[tuple[int, str]]) -> list[str]:
    name = path.relative_to(PACKAGE.parent)
    return [f"{name}:{line}: {value!r} — use {VOCABULARY[value]}" for line, value in hits]


def test_vocabulary_scan_reads_the_views_and_templates():
    views = {str(p.relative_to(PACKAGE)) for p in view_files()}
    templates = {str(p.relative_to(PACKAGE)) for p in template_files()}
    assert {"review/views/province.py", "portal/views/nominations.py", "public/views.py"} <= views
    assert "templates/review/screening/_row.html" in templates
    # Every template directory Django reads is inside the package, so the scan sees every template.
    assert all(str(d).startswith(str(PACKAGE)) for d in settings.TEMPLATES[0]["DIRS"])


def test_vocabulary_no_literal_in_views():
    problems = [
        line for path in view_files() for line in _report(path, python_literals(path.read_text("utf-8")))
    ]
    assert problems == []


def test_vocabulary_no_literal_in_templates():
    problems = [
        line
        for path in template_files()
        for line in _report(path, template_literals(path.read_text("utf-8")))
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if nomination.state == "returned":\n    pass\n', [(1, "returned")]),
        ('x = n.state in ("draft", "returned")\n', [(1, "draft"), (1, "returned")]),
        ('rows.filter(state__in=["published"])\n', [(1, "published")]),
        ('record_event(action="list.pick")\n', [(1, "list.pick")]),
        ('if row.outcome != "fail":\n    pass\n', [(1, "fail")]),
        # Not vocabulary in these places: a context key, a GET parameter's name, a CSS class, a button.
        ('context = {"published": 1, "state": "open"}\n', []),
        ('request.GET.get("state", "")\nintent == "save"\n', []),
    ],
)
def test_vocabulary_python_scan_catches_literals_and_only_them(source, expected):
    assert python_literals(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{% if row.outcome == "fail" %}x{% endif %}', [(1, "fail")]),
        ("<p>\n{% if n.state == 'submitted' %}{% endif %}", [(2, "submitted")]),
        ('{% url "review:list" "open" %}', [(1, "open")]),
        ('{{ s|default:"manual" }}', [(1, "manual")]),
        ("{% url 'logout' %}", []),
        # Outside tags the words are CSS classes, query strings and text.
        ('<span class="badge open fail">公示中</span><a href="?show=pending">', []),
        ("{% if n.state == NominationState.SUBMITTED %}{% endif %}", []),
    ],
)
def test_vocabulary_template_scan_catches_literals_and_only_them(source, expected):
    assert template_literals(source) == expected
