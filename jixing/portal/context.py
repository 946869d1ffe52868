from __future__ import annotations

from enum import Enum
from types import SimpleNamespace

from django.http import HttpRequest

from jixing.announcements.enums import ObjectionOutcome, WindowState
from jixing.audit.enums import AuditAction
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.enums import PhaseKey
from jixing.eligibility.outcomes import Outcome, Status
from jixing.imports.enums import JobState
from jixing.nominations.domain.states import Action
from jixing.nominations.enums import ListState, NominationState
from jixing.notifications.domain import unread_count


def _members(enum: type[Enum]) -> SimpleNamespace:
    # A namespace, not the class: the template engine would call a plain Enum class it is given.
    return SimpleNamespace(**{member.name: member for member in enum})


# The words templates compare with (`{% if n.state == NominationState.SUBMITTED %}`), never literals.
VOCABULARY = {
    enum.__name__: _members(enum)
    for enum in (
        NominationState, ListState, Action, Outcome, Status, ObjectionOutcome, WindowState, JobState,
        PhaseKey, AuditAction,
    )
}  # fmt: skip


def vocabulary(request: HttpRequest) -> dict:
    """The enums of states, outcomes, statuses and audit actions, for every template (signed in or not)."""
    return VOCABULARY


def campaign_context(request: HttpRequest) -> dict:
    """The campaign and its phase now, for the header of every page."""
    if not request.user.is_authenticated:
        return {}
    campaign = current_campaign()
    return {
        "campaign": campaign,
        "current_phase": campaign.phase_at() if campaign else None,
        "unread_notifications": unread_count(request.user),
    }
