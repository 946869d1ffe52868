"""One door for state: outside the domain packages no code changes the state of a nomination, a
推荐总表 or an objection, nor writes a 公示 or an approval (issue 11).

Read from the source (ast), so that it holds for code no test runs: the demo, commands, admin, views.
A state changes only through the domain functions that check, lock and audit it —
nominations.domain.transitions, lists, announcements.domain.publishing, approval, objections.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jixing

PACKAGE = Path(jixing.__file__).parent
# The state fields: Nomination.state, RecommendationList.state, Objection.outcome.
STATE_FIELDS = frozenset({"state", "outcome"})
GUARDED_MODELS = frozenset({"Nomination", "RecommendationList", "Objection"})
# Their rows are the 公示 and the approval themselves: written only by publishing and approval.
ANNOUNCEMENT_MODELS = frozenset({"Announcement", "AnnouncementEntry", "Approval"})
WRITES = frozenset({"create", "get_or_create", "update_or_create", "update", "bulk_create", "bulk_update"})


def _outside_the_domain() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if not {"domain", "migrations"} & set(path.relative_to(PACKAGE).parts[:-1])
    )


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _model_of(call: ast.Call) -> str:
    """`Model` of `Model(...)` and of `Model.objects....create(...)`; "" when the receiver is not named."""
    node = call.func
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        found: list[ast.expr] = []
        for target in node.targets:
            found.extend(_unpacked(target))
        return found
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return _unpacked(node.target)
    return []


def _unpacked(target: ast.expr) -> list[ast.expr]:
    if isinstance(target, ast.Tuple | ast.List):
        return [t for element in target.elts for t in _unpacked(element)]
    return [target]


def state_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) of every write of a state field, or of a 公示/approval row, in `source`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS:
                found.append((target.lineno, f"assigns .{target.attr}"))
        if not isinstance(node, ast.Call):
            continue
        called, model = _name(node.func), _model_of(node)
        if called == "setattr" and len(node.args) > 1:
            field = node.args[1]
            if isinstance(field, ast.Constant) and field.value in STATE_FIELDS:
                found.append((node.lineno, f"setattr {field.value}"))
        keywords = {k.arg for k in node.keywords} & STATE_FIELDS
        if keywords and (called in WRITES or called in GUARDED_MODELS | ANNOUNCEMENT_MODELS):
            found.append((node.lineno, f"{called}({', '.join(sorted(keywords))}=…)"))
        if called == "bulk_update" and any(
            isinstance(c, ast.Constant) and c.value in STATE_FIELDS
            for argument in node.args[1:] + [k.value for k in node.keywords]
            for c in ast.walk(argument)
        ):
            found.append((node.lineno, "bulk_update of a state field"))
        if model in ANNOUNCEMENT_MODELS and (called == model or called in WRITES - {"update"}):
            found.append((node.lineno, f"writes {model} rows"))
    return sorted(set(found))


def test_state_writes_finds_each_kind_of_write():
    source = """
row.state = "recommended"
plan.outcome, other = "upheld", 1
Nomination.objects.filter(pk=1).update(state="selected")
rows.update(state="draft")
Nomination(number="x", state="submitted")
RecommendationList.objects.create(state="submitted")
Nomination.objects.bulk_update(changed, ["state"], batch_size=500)
setattr(row, "state", "published")
Announcement.objects.create(campaign=c)
AnnouncementEntry(announcement=a)
Approval.objects.create(document_ref="x")
"""
    assert [line for line, _ in state_writes(source)] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]


def test_state_writes_leaves_reads_and_other_fields_alone():
    source = """
Nomination.objects.filter(state="draft").update(summary="")
rows = Nomination.objects.exclude(state__in=states)
if row.state == "draft":
    label = row.get_state_display()
Announcement.objects.filter(campaign=c).delete()
Attachment.objects.bulk_create(attachments)
job.phase = "reading"
"""
    assert state_writes(source) == []


def test_no_code_outside_the_domain_writes_a_state():
    modules = _outside_the_domain()
    assert PACKAGE / "demo" / "load.py" in modules
    assert PACKAGE / "nominations" / "domain" / "transitions.py" not in modules
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in modules
        for line, what in state_writes(path.read_text(encoding="utf-8"))
    ]
    assert offences == []
