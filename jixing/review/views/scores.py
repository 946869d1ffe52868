"""评审分 (plan 7.3): the volunteer-group managers' page — the volunteer nominations they may score, a form
for each. Everybody else gets 403; a nomination outside the manager's list is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixing.accounts.permissions import is_volunteer_manager
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest
from jixing.nominations.domain.scores import SCORABLE_STATES, nominations_to_score, record_score
from jixing.nominations.domain.text_limits import REASON_MAX
from jixing.refusals import Refused
from jixing.security.net import client_ip


def _campaign(request: AuthedRequest) -> Campaign:
    if not is_volunteer_manager(request.user):
        raise PermissionDenied("只有志愿者工作群管理人员可以评分")
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚无评选活动")
    return campaign


@login_required
def scores(request: AuthedRequest) -> HttpResponse:
    campaign = _campaign(request)
    rows = (
        nominations_to_score(request.user, campaign=campaign)
        .select_related("category", "recommending_org", "reporting_unit", "judges_scored_by")
        .order_by("reporting_unit__code", "number")
    )
    return render(
        request,
        "review/scores/index.html",
        {"campaign": campaign, "rows": rows, "scorable": SCORABLE_STATES, "comment_max": REASON_MAX},
    )


@login_required
@require_POST
def score(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request)
    nomination = get_object_or_404(nominations_to_score(request.user, campaign=campaign), pk=pk)
    try:
        record_score(
            nomination,
            raw_score=request.POST.get("score", ""),
            comment=request.POST.get("comment", ""),
            actor=request.user,
            ip=client_ip(request),
        )
    except Refused as exc:
        messages.error(request, f"{nomination.nominee_name}（{nomination.number}）：{exc}")
    else:
        messages.success(request, f"已记录 {nomination.nominee_name}（{nomination.number}）的评审分")
    return redirect(reverse("review:scores") + f"#n{nomination.pk}")
