"""Audit actions are one enum with their words; the values stored in the chain never change."""

import ast
from pathlib import Path

import pytest

from jixing.audit.domain.events import event_hash, record_event, verify_chain
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.history import event_label
from jixing.nominations.domain.states import Action

PACKAGE = Path(__file__).resolve().parent.parent.parent / "jixing"


def test_actions_every_move_of_the_state_table_has_its_audit_action_with_the_same_words():
    for action in Action:
        assert AuditAction(f"nomination.{action}").label == action.label


def test_actions_stored_values_are_the_ones_already_in_chains():
    assert {m.value for m in AuditAction} >= {
        "nomination.create", "nomination.return", "list.pick", "list.submit", "announcement.publish",
        "phase.extend", "export", "export.final_list", "login", "login_failed", "2fa_verified", "access_denied",
    }  # fmt: skip
    assert len(AuditAction.values) == len(set(AuditAction.values))


def test_actions_labels_are_chinese_and_unknown_actions_show_as_they_are():
    assert event_label("nomination.decide") == "资格条件人工判定"
    assert event_label("list.pick") == "选入推荐名单"
    assert event_label("something.old") == "something.old"
    assert all(m.label != m.value for m in AuditAction)


@pytest.mark.django_db
def test_actions_recorded_by_enum_store_the_plain_value_and_the_chain_verifies():
    event = record_event(action=AuditAction.LIST_PICK, summary="选入")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert type(stored.action) is str and stored.action == "list.pick"
    assert event_hash(stored) == stored.hash
    assert verify_chain() == []


def _literal_actions() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_event":
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                        found.append((str(path.relative_to(PACKAGE.parent)), node.lineno, kw.value.value))
    return found


def test_actions_written_as_strings_are_still_members_of_the_enum():
    # people.domain's imports and the demo loader still pass strings: they must name a member.
    strays = [
        f"{path}:{line}: {value!r}"
        for path, line, value in _literal_actions()
        if value not in AuditAction.values
    ]
    assert strays == []
