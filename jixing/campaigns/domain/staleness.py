"""Whether a campaign's stored eligibility results still reflect the data they were computed from.

Every domain function that changes something the rules read (a nomination, a decision, an attachment,
the snapshot, the org tree, the roles) calls `mark_stale`; pages that show results re-evaluate first
(nominations.domain.evaluation.ensure_fresh).
"""

from __future__ import annotations

from django.utils import timezone

from jixing.campaigns.models import Campaign


def mark_stale(campaign: Campaign | None = None) -> None:
    """Note that data the rules read has changed (all active campaigns when none is given)."""
    campaigns = Campaign.objects.all()
    campaigns = campaigns.filter(pk=campaign.pk) if campaign is not None else campaigns.filter(is_active=True)
    campaigns.update(data_changed_at=timezone.now())


def is_stale(campaign: Campaign) -> bool:
    if campaign.evaluated_at is None:
        return True
    return campaign.data_changed_at is not None and campaign.data_changed_at >= campaign.evaluated_at
