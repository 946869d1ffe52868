from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixing.http import AuthedRequest
from jixing.notifications.domain import mark_all_read
from jixing.notifications.models import Notification


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).select_related("nomination")[:200]
    return render(request, "notifications/inbox.html", {"rows": rows})


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    mark_all_read(request.user)
    return redirect("notifications:inbox")
