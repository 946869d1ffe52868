"""A nomination's own data changed: it is due for re-evaluation, with the nominations compared with it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from jixing.campaigns.domain.staleness import mark_stale
from jixing.campaigns.models import Campaign
from jixing.nominations.models import Nomination


def mark_changed(campaign: Campaign, nominations: Iterable[Nomination | int]) -> None:
    """Count up the nominations' data_version and queue the campaign's refresh, which re-evaluates them
    and every nomination compared with them (evaluation.due_scope). Call it after the change is written,
    inside its transaction."""
    ids = [n if isinstance(n, int) else n.pk for n in nominations]
    Nomination.objects.filter(pk__in=ids).update(data_version=F("data_version") + 1)
    mark_stale(campaign, whole=False)
