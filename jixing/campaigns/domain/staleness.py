"""Whether a campaign's stored eligibility results still reflect the data they were computed from, and
the request to compute them again.

Every domain function that changes something the rules read calls `mark_stale` once the change is written,
inside its transaction: with `whole=True` (the default) for data every nomination reads — the snapshot,
the org tree, the roles, the quotas — which makes the whole campaign due; with `whole=False` after the
nominations domain has counted up the changed nominations' own data_version
(nominations.domain.changes.mark_changed), which makes only those and the nominations compared with them
due. Either way it queues one refresh per campaign (the refreshers registered by `on_stale`: the
nominations app queues a background task, nominations.tasks.refresh_results); pages never evaluate, they
show the stored results and say when a refresh is under way (`freshness`).

Versions, not times, say what is due: a refresh stores the versions it read, so a change that commits while
it runs stays due, whatever the clocks of the machines say.

The refresh is queued in the same transaction as the change: with the database task backend the worker
sees it only once the change is committed, and never when it was rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from jixing.campaigns.models import Campaign

_refreshers: list[Callable[[int], None]] = []
# A refresh queued this long ago and never started (no worker was running, or it was lost) no longer
# holds back the next one.
QUEUED_EXPIRES = timedelta(minutes=10)


def on_stale(refresher: Callable[[int], None]) -> None:
    """Call `refresher(campaign_id)` when a campaign's results become stale and no refresh is queued
    (registered once, by an app's ready())."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def mark_stale(campaign: Campaign | None = None, *, whole: bool = True) -> None:
    """Note that data the rules read has changed (all active campaigns when none is given), and queue a
    refresh of each campaign that has none queued. Call it after the change is written. `whole=False`:
    only nominations whose data_version was counted up are due (nominations.domain.changes)."""
    campaigns = Campaign.objects.all()
    campaigns = campaigns.filter(pk=campaign.pk) if campaign is not None else campaigns.filter(is_active=True)
    now = timezone.now()
    if whole:
        campaigns.update(data_changed_at=now, whole_version=F("whole_version") + 1)
    else:
        campaigns.update(data_changed_at=now)
    for pk in list(campaigns.values_list("pk", flat=True)):
        # Only the change that finds no refresh queued queues one: on deadline day thousands of saves
        # share the next refresh instead of queueing thousands.
        unqueued = Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=now - QUEUED_EXPIRES)
        if Campaign.objects.filter(unqueued, pk=pk).update(refresh_queued_at=now):
            for refresher in _refreshers:
                refresher(pk)


def mark_tree_stale(tree_id: int | None) -> None:
    """Data of one org tree changed (its orgs, a snapshot or roles imported into it): mark stale the
    active campaigns that decide from that tree, and no other (orgs.domain.trees)."""
    for campaign in Campaign.objects.filter(is_active=True, org_tree_id=tree_id):
        mark_stale(campaign)


def take_refresh(campaign_id: int) -> None:
    """A refresh starts: changes from now on queue the next one."""
    Campaign.objects.filter(pk=campaign_id).update(refresh_queued_at=None)


def is_stale(campaign: Campaign) -> bool:
    if campaign.evaluated_at is None:
        return True
    return campaign.data_changed_at is not None and campaign.data_changed_at >= campaign.evaluated_at


@dataclass(frozen=True)
class Freshness:
    """What a page says about the results it shows: stale while a refresh is due, and as of when."""

    stale: bool
    evaluated_at: datetime | None
    campaign_id: int


def freshness(campaign: Campaign) -> Freshness:
    campaign.refresh_from_db(fields=["data_changed_at", "evaluated_at"])
    return Freshness(is_stale(campaign), campaign.evaluated_at, campaign.pk)
