"""A reviewer's judgement on a rule the data cannot settle (`manual`): recorded with name, time, comment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.eligibility.outcomes import Outcome, outcome_label
from jixing.nominations.domain.changes import mark_changed
from jixing.nominations.domain.states import Party
from jixing.nominations.domain.text_limits import REASON_MAX, length_problem
from jixing.nominations.domain.transitions import acts_as
from jixing.nominations.models import Nomination, RuleDecision
from jixing.refusals import Refused

REVIEWERS = frozenset({Party.REPORTING_UNIT, Party.PROVINCE})


class DecisionRefused(Refused):
    pass


def can_decide(user, nomination: Nomination) -> bool:
    return bool(acts_as(user, nomination) & REVIEWERS)


def record_decision(
    nomination: Nomination, *, rule_id: str, holds: bool, comment: str, actor, ip: str | None = None
) -> RuleDecision:
    """Record (or replace) the decision on `rule_id` for this nomination.

    Only the nomination's reporting unit or the province may decide, only rules that await a person's
    judgement (`manual`, or already decided), and a 不符合 needs a comment. Side effects: the decision
    row, an audit event in the same transaction, the campaign marked for re-evaluation.
    """
    if not can_decide(actor, nomination):
        raise PermissionDenied("只有报送单位或省平台可以对规则作出判定")
    entry = (nomination.rule_results or {}).get(rule_id)
    if entry is None:
        raise DecisionRefused("这一条件不适用于此申报")
    if entry["outcome"] != Outcome.MANUAL and not entry.get("reviewed"):
        raise DecisionRefused(f"这一条件由数据判定（{outcome_label(entry['outcome'])}），无需审核人员判断")
    if not holds and not comment.strip():
        raise DecisionRefused("判定为“不符合”时须填写意见")
    if problem := length_problem(comment, what="意见", cap=REASON_MAX):
        raise DecisionRefused(problem)
    with transaction.atomic():
        previous = RuleDecision.objects.filter(nomination=nomination, rule_id=rule_id).first()
        before = {"holds": previous.holds, "comment": previous.comment} if previous else None
        decision, _ = RuleDecision.objects.update_or_create(
            nomination=nomination,
            rule_id=rule_id,
            defaults={"holds": holds, "comment": comment.strip(), "decided_by": actor},
        )
        record_event(
            action=AuditAction.NOMINATION_DECIDE,
            actor=actor,
            target=nomination,
            summary=f"{nomination.number} 规则 {rule_id} 判定为{'符合' if holds else '不符合'}"
            + (f"：{comment.strip()}" if comment.strip() else ""),
            before=before,
            after={"rule": rule_id, "holds": holds, "comment": comment.strip()},
            ip=ip,
        )
        mark_changed(nomination.campaign, [nomination])
    return decision
