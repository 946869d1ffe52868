"""The public face (no login): the 公示 list with real-name objections, the final list, and the
objection receipts. The front page (/ for a visitor, and /public/) is the final list once anybody is
commended, the 公示 before.

Pages here show a nomination's public columns only (name, unit, category): never an ID number,
phone number, 学号 or points.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jixing.announcements.domain.certificates import certificate_by_serial, normalise_serial
from jixing.announcements.domain.notices import NoticeFormat, build_announcement_notice, public_announcement
from jixing.announcements.domain.objections import (
    REAL_NAME_REQUIRED,
    DuplicateObjection,
    normalise_receipt,
    submit_objection,
)
from jixing.announcements.domain.public import (
    CategoryBlock,
    entry_open_to_objection,
    final_approvals,
    final_list,
    objection_by_receipt,
    public_announcements,
    window_state,
)
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.public.glossary import GLOSSARY
from jixing.public.throttle import OBJECTIONS_PER_HOUR, RECEIPT_LOOKUPS_PER_HOUR, allow
from jixing.refusals import Refused
from jixing.security.downloads import download_response
from jixing.security.net import client_ip


def front(request: HttpRequest) -> HttpResponse:
    """The public front page: the final list once anybody is commended, the 公示 until then."""
    campaign = current_campaign()
    blocks = final_list(campaign) if campaign else []
    if blocks:
        return _final_page(request, campaign, blocks)
    return announcement(request)


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
    return download_response(
        built.content,
        filename=built.filename,
        fallback=f"announcement-{published.pk}.pdf",
        content_type=built.content_type,
    )


def final(request: HttpRequest) -> HttpResponse:
    """通报表扬名单: the commended people and units, with the approval they rest on."""
    campaign = current_campaign()
    return _final_page(request, campaign, final_list(campaign) if campaign else [])


def _final_page(request: HttpRequest, campaign: Campaign | None, blocks: list[CategoryBlock]) -> HttpResponse:
    approvals = final_approvals(campaign) if campaign and blocks else []
    context = {"the_campaign": campaign, "blocks": blocks, "approvals": approvals}
    return render(request, "public/final.html", context)


def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """实名反映 about one published entry: the form, and on POST the objection (window and real name
    checked by the domain). The phone number typed is never written back into the page."""
    entry = entry_open_to_objection(pk)
    if entry is None:
        raise Http404("该公示对象不存在或已不在公示名单中")
    context = {
        "the_campaign": entry.announcement.campaign,  # its contact, in the footer
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
        context["first_receipt"] = exc.receipt if isinstance(exc, DuplicateObjection) else None
        return render(request, "public/objection.html", context, status=400)
    return redirect("public:objection_received", receipt=received.receipt)


def objection_received(request: HttpRequest, receipt: str) -> HttpResponse:
    """The objector's confirmation: receipt, time, whom it is about, and once handled the outcome and
    the reply. Unknown receipts count against the lookup limit, so that this address cannot be used
    to guess receipts past the lookup box."""
    received = objection_by_receipt(receipt)
    if received is None:
        if not allow("receipt", client_ip(request), limit=RECEIPT_LOOKUPS_PER_HOUR, seconds=3600):
            return _lookup_page(request, LOOKUP_THROTTLED, status=429)
        raise Http404("没有这个受理编号")
    context = {"objection": received, "the_campaign": current_campaign()}
    return render(request, "public/objection_received.html", context)


LOOKUP_THROTTLED = "查询过于频繁，请一小时后再试"


def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """受理编号查询: a receipt typed in the box → its page; a malformed or unknown one is said so. Every
    lookup counts against the per-address limit."""
    typed = request.GET.get("receipt", "")
    if not typed.strip():
        return _lookup_page(request, None)
    if not allow("receipt", client_ip(request), limit=RECEIPT_LOOKUPS_PER_HOUR, seconds=3600):
        return _lookup_page(request, LOOKUP_THROTTLED, typed=typed, status=429)
    receipt = normalise_receipt(typed)
    if receipt is None:
        error = "受理编号格式不正确：受理编号以 YY 开头，共 10 位，如 YYKMPQ2580"
        return _lookup_page(request, error, typed=typed, status=400)
    if objection_by_receipt(receipt) is None:
        error = f"没有找到受理编号为 {receipt} 的反映，请核对后重新输入"
        return _lookup_page(request, error, typed=typed, status=404)
    return redirect("public:objection_received", receipt=receipt)


def _lookup_page(
    request: HttpRequest, error: str | None, *, typed: str = "", status: int = 200
) -> HttpResponse:
    context = {"the_campaign": current_campaign(), "error": error, "typed_receipt": typed[:32]}
    return render(request, "public/receipt_lookup.html", context, status=status)


def verify(request: HttpRequest, serial: str) -> HttpResponse:
    """证书核验, the address of a certificate's or plaque's QR code: holder, category and campaign of a
    valid one; 「已撤销」 for a revoked one; a 404 page saying the serial is unknown for any other."""
    certificate = certificate_by_serial(serial)
    context = {"certificate": certificate, "serial": normalise_serial(serial)[:40]}
    return render(request, "public/verify.html", context, status=200 if certificate else 404)


def glossary(request: HttpRequest) -> HttpResponse:
    """术语说明: the terms that remain, for a visitor (the public layout) and a signed-in user (his own)."""
    layout = "base.html" if request.user.is_authenticated else "public/base.html"
    return render(request, "public/glossary.html", {"terms": GLOSSARY, "layout": layout})
