"""The public face (no login): the 公示 list with real-name objections, and the final list.

Pages here show a nomination's public columns only (name, unit, category): never an ID number,
phone number, 学号 or points.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.domain.notices import NoticeFormat, build_announcement_notice, public_announcement
from jixing.announcements.domain.objections import REAL_NAME_REQUIRED, submit_objection
from jixing.announcements.domain.public import (
    entry_open_to_objection,
    final_list,
    objection_by_receipt,
    public_announcements,
    window_state,
)
from jixing.campaigns.domain.queries import current_campaign
from jixing.public.throttle import OBJECTIONS_PER_HOUR, allow
from jixing.refusals import Refused
from jixing.security.net import client_ip


def announcement(request: HttpRequest) -> HttpResponse:
    """公示名单: the current campaign's published lists with their windows."""
    campaign = current_campaign()
    now = timezone.now()
    lists = public_announcements(campaign, now=now) if campaign else []
    return render(request, "public/announcement.html", {"the_campaign": campaign, "lists": lists})


def announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The 公示 notice as PDF, for anybody while the 公示 is published (404 otherwise); each download is
    an audit event."""
    published = public_announcement(pk)
    if published is None:
        raise Http404("没有这个公示")
    built = build_announcement_notice(
        published,
        fmt=NoticeFormat.PDF,
        objection_url=request.build_absolute_uri(reverse("public:announcement")),
        actor=None,
        ip=client_ip(request),
        public=True,
    )
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=announcement-{published.pk}.pdf; filename*=UTF-8''{quote(built.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def final(request: HttpRequest) -> HttpResponse:
    """通报表扬名单: the commended people and units."""
    campaign = current_campaign()
    blocks = final_list(campaign) if campaign else []
    return render(request, "public/final.html", {"the_campaign": campaign, "blocks": blocks})


def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """实名反映 about one published entry: the form, and on POST the objection (window and real name
    checked by the domain). The phone number typed is never written back into the page."""
    entry = entry_open_to_objection(pk)
    if entry is None:
        raise Http404("该公示对象不存在或已不在公示名单中")
    context = {
        "entry": entry,
        "window": window_state(entry.announcement, timezone.now()),
        "real_name_notice": REAL_NAME_REQUIRED,
        "values": {"name": "", "content": ""},
    }
    if request.method != "POST":
        return render(request, "public/objection.html", context)
    if not allow("objection", client_ip(request), limit=OBJECTIONS_PER_HOUR, seconds=3600):
        context["error"] = "提交过于频繁，请一小时后再试"
        return render(request, "public/objection.html", context, status=429)
    values = {key: request.POST.get(key, "") for key in ("name", "phone", "content")}
    try:
        received = submit_objection(
            entry=entry,
            ip=client_ip(request),
            name=values["name"],
            phone=values["phone"],
            content=values["content"],
        )
    except Refused as exc:
        context.update(error=str(exc), values={"name": values["name"], "content": values["content"]})
        return render(request, "public/objection.html", context, status=400)
    return redirect("public:objection_received", receipt=received.receipt)


def objection_received(request: HttpRequest, receipt: str) -> HttpResponse:
    """The objector's confirmation: receipt, time, whom it is about, whether it has been handled."""
    received = objection_by_receipt(receipt)
    if received is None:
        raise Http404("没有这个受理编号")
    return render(request, "public/objection_received.html", {"objection": received})
