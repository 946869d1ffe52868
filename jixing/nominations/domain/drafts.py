"""Filling in a nomination: drafts saved as one types, and submission through the state table.

The columns of a nomination hold the values that parsed; `draft_data` holds the form exactly as typed,
so a value the form refuses (or a submission the rules refuse) is shown again, never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.eligibility.outcomes import Outcome
from jixing.nominations.domain.access import can_edit, send_move
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.forms_spec import FormSpec, form_spec
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import transition
from jixing.nominations.forms import NominationForm, raw_values
from jixing.nominations.models import Nomination

NUMBER_FIELDS = ("typed_total_points", "typed_annual_points", "activity_count")
# The typed values the eligibility rules read (G.9, 9.4): a change makes stored results stale.
RULE_INPUTS = NUMBER_FIELDS


class SubmissionInvalid(Exception):
    """The form is not complete or not valid; `form` carries the messages beside each field."""

    def __init__(self, form: NominationForm) -> None:
        super().__init__("申报表填写不完整或有误")
        self.form = form


def form_values(nomination: Nomination, spec: FormSpec | None = None) -> dict[str, Any]:
    """The form's values to show: the saved columns, overlaid by anything typed since (draft_data)."""
    spec = spec or form_spec(nomination.category)
    values: dict[str, Any] = {}
    for name in spec.fields:
        value = getattr(nomination, name)
        values[name] = "" if value is None else value
    for declaration in spec.declarations:
        values[declaration.field_name] = declaration.key in (nomination.declarations or [])
    values.update({k: v for k, v in (nomination.draft_data or {}).items() if k in values})
    return values


def _evidence_kinds(nomination: Nomination) -> frozenset[str]:
    return frozenset(nomination.attachments.values_list("kind", flat=True))


def _apply_columns(nomination: Nomination, form: NominationForm) -> list[str]:
    """Copy the values that validated onto the columns; returns the columns touched."""
    touched = []
    for name in form.spec.fields:
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if name in NUMBER_FIELDS:
            setattr(nomination, name, value)
        else:
            setattr(nomination, name, value or "")
        touched.append(name)
    nomination.declarations = form.declared_keys()
    return [*touched, "declarations"]


def save_draft(
    *, nomination: Nomination, data: Mapping[str, Any], actor, now: datetime | None = None
) -> Nomination:
    """Keep what was typed: `data` as typed in draft_data, the values that parse on the columns.

    Side effects: saves the nomination (locked meanwhile); marks the campaign's eligibility results stale
    when a value the rules read changed. Not an audit event: drafts change with every keystroke; what is
    sent up is recorded at submission (nomination.content). Raises PermissionDenied
    when the actor may not edit the nomination in its present state (e.g. it was submitted meanwhile).
    """
    spec = form_spec(nomination.category)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("category").get(pk=nomination.pk)
        if not can_edit(actor, locked):
            raise PermissionDenied("此申报当前不可编辑")
        form = NominationForm(data, spec=spec)
        form.is_valid()
        before = [getattr(locked, name) for name in RULE_INPUTS]
        touched = _apply_columns(locked, form)
        locked.draft_data = raw_values(spec, data)
        locked.draft_saved_at = now or timezone.now()
        locked.save(update_fields=[*touched, "draft_data", "draft_saved_at", "updated_at"])
        if before != [getattr(locked, name) for name in RULE_INPUTS]:
            # After the save: the refresh it queues reads the saved values.
            mark_changed(locked.campaign, [locked])
    for name in [*touched, "draft_data", "draft_saved_at", "updated_at"]:
        setattr(nomination, name, getattr(locked, name))
    return nomination


def submission_content(nomination: Nomination, spec: FormSpec) -> dict[str, Any]:
    """What was sent up, for the audit event of a submission."""
    return {
        "fields": {name: getattr(nomination, name) for name in spec.fields},
        "declarations": list(nomination.declarations or []),
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "sha256": a.sha256}
            for a in nomination.attachments.order_by("pk")
        ],
    }


def submit_nomination(
    *,
    nomination: Nomination,
    data: Mapping[str, Any],
    actor,
    now: datetime | None = None,
    ip: str | None = None,
) -> Nomination:
    """Save what was typed, check the form, and send the nomination up (SUBMIT, or APPLY for a learner).

    Side effects: first, always, the draft is saved as in save_draft (so nothing typed is lost whatever
    happens next). Then, in one transaction: the columns take the form's values, draft_data is cleared,
    `transition()` moves the state (its audit event), and a "nomination.content" event records what was
    sent. Raises SubmissionInvalid (field messages), PermissionDenied, or TransitionRefused (G.6, G.8, …);
    on any of them the transaction rolls back and the saved draft remains.
    """
    save_draft(nomination=nomination, data=data, actor=actor, now=now)
    spec = form_spec(nomination.category)
    first = send_move(actor, nomination)  # what it needs follows the move: checked again under the lock
    form = NominationForm(
        data,
        spec=spec,
        strict=True,
        present_evidence=_evidence_kinds(nomination),
        applying=first is not None and first.action == Action.APPLY,
    )
    if form.is_valid() and _needs_warn_reason(nomination, spec) and not form.cleaned_data.get("warn_reason"):
        form.add_error("warn_reason", WARN_REASON_NEEDED)
    if not form.is_valid():
        raise SubmissionInvalid(form)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("category").get(pk=nomination.pk)
        move = send_move(actor, locked)
        if move is None or first is None or move.action != first.action or not can_edit(actor, locked):
            raise PermissionDenied("您不能提交此申报")
        touched = _apply_columns(locked, form)
        locked.draft_data = {}
        locked.save(update_fields=[*touched, "draft_data", "updated_at"])
        transition(locked, move.action, actor=actor, now=now, ip=ip)
        record_event(
            action=AuditAction.NOMINATION_CONTENT,
            actor=actor,
            target=locked,
            summary=f"{locked.number} 提交的申报内容",
            after=submission_content(locked, spec),
            ip=ip,
        )
    nomination.refresh_from_db()
    return nomination


def submission_checklist(nomination: Nomination, *, applying: bool = False) -> list[str]:
    """What the form still lacks before it can be sent up, in the clerk's words: the fields, the ticks
    and the evidence the strict form asks for (from what is saved: the autosaved draft or the columns),
    and the written 推荐理由说明 when a condition the plan sets 「原则上」 is not met (stored results, as
    the reviewer's list will read them: lists.pick_problem). `applying`: a learner sends his own
    application to his unit, which gives the stamped form later. Empty: ready to send. Reads only."""
    spec = form_spec(nomination.category)
    values = form_values(nomination, spec)
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in values.items()}
    form = NominationForm(
        data, spec=spec, strict=True, present_evidence=_evidence_kinds(nomination), applying=applying
    )
    form.is_valid()
    missing: list[str] = []
    for name, errors in form.errors.items():
        if name.startswith("decl_"):
            missing.append(f"请勾选承诺：{str(form.fields[name].label)[:16]}…")
        else:  # a field's messages name it ("请填写事迹简介"); the evidence's are the form's own
            missing.extend(str(e) for e in errors)
    if _needs_warn_reason(nomination, spec) and not str(values.get("warn_reason") or "").strip():
        missing.append(WARN_REASON_NEEDED)
    return missing


WARN_REASON_NEEDED = (
    "请填写推荐理由说明：被推荐人不完全符合“原则上”的条件（详见申报页面的资格条件），须由推荐单位写明推荐理由"
)


def _needs_warn_reason(nomination: Nomination, spec: FormSpec) -> bool:
    """A condition the plan sets 「原则上」 is not met (a stored `warn`): the unit must say why it
    recommends anyway, or the reporting unit cannot pick it (lists.pick_problem)."""
    results = (nomination.rule_results or {}).values()
    return "warn_reason" in spec.fields and any(r.get("outcome") == Outcome.WARN for r in results)
