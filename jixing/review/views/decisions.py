"""Reviewers' judgement on rules the data cannot settle (manual): one POST per decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from jixing.http import AuthedRequest
from jixing.nominations.domain.decisions import record_decision
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.refusals import Refused
from jixing.security.net import client_ip


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int, rule_id: str) -> HttpResponse:
    nomination = get_object_or_404(nominations_visible_to(request.user), pk=pk)
    holds = request.POST.get("holds")
    if holds not in ("1", "0"):
        messages.error(request, "请选择“符合”或“不符合”")
    else:
        try:
            record_decision(
                nomination,
                rule_id=rule_id,
                holds=holds == "1",
                comment=request.POST.get("comment", ""),
                actor=request.user,
                ip=client_ip(request),
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已记录判定")
    page = reverse("portal:nomination_detail", args=[nomination.pk])
    back = request.POST.get("from", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        # Opened from the screening page: its back link still returns there, and the table is in view.
        return redirect(page + "?" + urlencode({"from": back}) + "#rule-table")
    return redirect(page)
