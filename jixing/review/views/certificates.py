"""The province's certificates and plaques (通报表扬 page): one person's certificate, the plaques'
production list and engraving proofs. Every download is an audit event (announcements.domain.certificates).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect

from jixing.announcements.domain.certificates import BuiltFile, build_certificate, build_plaque_sheet
from jixing.announcements.models import Certificate
from jixing.http import AuthedRequest
from jixing.refusals import Refused
from jixing.review.views.province import _campaign
from jixing.security.downloads import download_response
from jixing.security.net import client_ip


def _download(built: BuiltFile, *, fallback: str) -> HttpResponse:
    return download_response(
        built.content, filename=built.filename, fallback=fallback, content_type=built.content_type
    )


@login_required
def certificate_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """One commended person's certificate as PDF (A4 landscape, serial and QR code)."""
    campaign = _campaign(request)
    certificate = get_object_or_404(Certificate.objects.select_related("campaign"), pk=pk, campaign=campaign)
    try:
        built = build_certificate(certificate, actor=request.user, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("review:province_commendation")
    return _download(built, fallback=f"certificate-{certificate.serial}.pdf")


@login_required
def plaque_sheet(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The commended units' plaques: the production list (XLSX) or the engraving proofs (PDF)."""
    campaign = _campaign(request)
    try:
        built = build_plaque_sheet(campaign, fmt=fmt, actor=request.user, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("review:province_commendation")
    return _download(built, fallback=f"plaques.{fmt}")
