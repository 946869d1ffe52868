"""A nomination's history, read from the audit chain (every change is an event targeting it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.models import Nomination

TARGET_TYPE = Nomination._meta.label_lower


def event_label(action: str) -> str:
    return AuditAction.label_of(action)


def nomination_events(nomination: Nomination) -> QuerySet[AuditEvent]:
    """The nomination's audit events, oldest first, with their actors (one query). Downloads of its
    报名表 and 承诺书 are reads, not changes: they stay in the audit log, out of the history."""
    return (
        AuditEvent.objects.filter(target_type=TARGET_TYPE, target_id=str(nomination.pk))
        .exclude(action=AuditAction.NOMINATION_DOCUMENT_DOWNLOAD)
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
        nomination_events(nomination).filter(action=AuditAction.NOMINATION_RETURN).order_by("-seq").first()
    )
    if event is None:
        return None
    by = (event.actor.full_name or event.actor.username) if event.actor else event.actor_label
    return ReturnNote(reason=(event.after or {}).get("reason", ""), by=by, at=event.at)
