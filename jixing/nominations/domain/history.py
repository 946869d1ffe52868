"""A nomination's history, read from the audit chain (every change is an event targeting it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from jixing.audit.models import AuditEvent
from jixing.nominations.domain.states import Action
from jixing.nominations.models import Nomination

TARGET_TYPE = Nomination._meta.label_lower

OTHER_LABELS = {
    "nomination.create": "创建申报",
    "nomination.content": "提交的申报内容",
    "nomination.attachment_add": "上传材料",
    "nomination.attachment_delete": "删除材料",
    "nomination.decide": "资格条件人工判定",
    "nomination.objection_received": "公示期间收到实名反映",
    "nomination.objection_handled": "公示异议处理",
}


def event_label(action: str) -> str:
    if action in OTHER_LABELS:
        return OTHER_LABELS[action]
    name = action.removeprefix("nomination.")
    return Action(name).label if name in Action.values else action


def nomination_events(nomination: Nomination) -> QuerySet[AuditEvent]:
    """The nomination's audit events, oldest first, with their actors (one query)."""
    return (
        AuditEvent.objects.filter(target_type=TARGET_TYPE, target_id=str(nomination.pk))
        .select_related("actor")
        .order_by("seq")
    )


@dataclass(frozen=True)
class ReturnNote:
    reason: str
    by: str
    at: datetime


def last_return(nomination: Nomination) -> ReturnNote | None:
    """The reason given by whoever last returned the nomination for correction (退回修改)."""
    event = (
        nomination_events(nomination).filter(action=f"nomination.{Action.RETURN}").order_by("-seq").first()
    )
    if event is None:
        return None
    by = (event.actor.full_name or event.actor.username) if event.actor else event.actor_label
    return ReturnNote(reason=(event.after or {}).get("reason", ""), by=by, at=event.at)
