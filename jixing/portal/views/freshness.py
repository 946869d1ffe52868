"""Whether a campaign's stored results are fresh, for the 判定更新中 banner to poll (templates/_freshness.html).

A poll costs one row read: while the refresh is due the answer is 204 (htmx leaves the page alone); once
the results are fresh, a banner in region mode gets the `results-fresh` event (the results region then asks
for its page once and puts the new results in place), and a banner in link mode gets its fresh wording.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jixing.campaigns.domain.staleness import freshness
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest

FRESH_EVENT = "results-fresh"


@login_required
@require_GET
def results_freshness(request: AuthedRequest, campaign_pk: int) -> HttpResponse:
    state = freshness(get_object_or_404(Campaign, pk=campaign_pk))
    if state.stale:
        return HttpResponse(status=204)
    if request.GET.get("region"):
        return HttpResponse(headers={"HX-Trigger": FRESH_EVENT})
    return render(request, "_freshness.html", {"freshness": state, "fresh_notice": True})
