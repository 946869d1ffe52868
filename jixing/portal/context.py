from __future__ import annotations

from django.http import HttpRequest

from jixing.campaigns.domain.queries import current_campaign
from jixing.notifications.domain import unread_count


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
