"""The province's certificates and plaques (通报表扬 page): one person's certificate, the plaques'
production list and engraving proofs; every certificate at once as a zip made in the background, its
progress polled by the page (htmx). Every download is an audit event (announcements.domain.certificates).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixing.announcements.domain.certificate_batches import batch_filename, batch_for_download, start_batch
from jixing.announcements.domain.certificates import BuiltFile, build_certificate, build_plaque_sheet
from jixing.announcements.models import Certificate, CertificateBatch
from jixing.http import AuthedRequest
from jixing.refusals import Refused
from jixing.review.views.province import _campaign, batch_context
from jixing.security.downloads import download_response, stored_download
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


@require_POST
@login_required
def batch_start(request: AuthedRequest) -> HttpResponse:
    """生成全部证书: queue the batch; the 通报表扬 page then shows its progress."""
    campaign = _campaign(request)
    try:
        start_batch(campaign=campaign, actor=request.user, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已开始生成全部证书，完成后可在此下载")
    return redirect(reverse("review:province_commendation") + "#certificates")


@login_required
def batch_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The batch's panel alone, polled by htmx every two seconds until it ends."""
    campaign = _campaign(request)
    batch = get_object_or_404(CertificateBatch, pk=pk, campaign=campaign)
    return render(request, "review/province/_certificate_batch.html", batch_context(batch))


@login_required
def batch_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The finished batch's zip (an audited download)."""
    campaign = _campaign(request)
    batch = get_object_or_404(CertificateBatch.objects.select_related("campaign"), pk=pk, campaign=campaign)
    try:
        path = batch_for_download(batch, actor=request.user, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("review:province_commendation")
    return stored_download(path, filename=batch_filename(batch), content_type="application/zip")
