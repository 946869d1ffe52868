"""材料打包: a reporting unit's reviewers (their unit) and the province (any unit, or a category across the
province) build one zip of the 报名表 and evidence files in the background, watch its progress — the panel
htmx polls every second, as an import job's — and download it.

Access: anonymous → login; a role with no list to see → 403; another reporting unit's package → 404; a
category's package for anyone but the province → 403 (starting) or 404 (an existing one). Every download
is an audit event (nominations/domain/packages.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest
from jixing.nominations.domain.packages import (
    PackageRefused,
    can_see_package,
    record_package_download,
    start_package,
)
from jixing.nominations.enums import PackageState
from jixing.nominations.models import EvidencePackage
from jixing.nominations.permissions import screened_unit
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.security.downloads import stored_download
from jixing.security.net import client_ip

ZIP = "application/zip"


def _campaign() -> Campaign:
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚未加载评选活动")
    return campaign


def _require_package_role(request: AuthedRequest) -> None:
    user = request.user
    if not (user.is_province_admin or screened_unit(user) is not None):
        raise PermissionDenied("只有报送单位审核员和省平台管理员可以打包下载材料")


def _visible_package(request: AuthedRequest, pk: int) -> EvidencePackage:
    _require_package_role(request)
    package = get_object_or_404(
        EvidencePackage.objects.select_related("reporting_unit", "category", "actor"), pk=pk
    )
    if not can_see_package(request.user, package):
        raise Http404
    return package


def _started(request: AuthedRequest, package: EvidencePackage, created: bool) -> HttpResponse:
    if not created:
        messages.info(request, "该材料包已在生成中，无需重复提交：下面是它的进度")
    return redirect("review:package", pk=package.pk)


@login_required
@require_POST
def unit_package_start(request: AuthedRequest, org_pk: int) -> HttpResponse:
    """Build a reporting unit's package (its reviewers, the province)."""
    _require_package_role(request)
    unit = get_object_or_404(Org, pk=org_pk, level=OrgLevel.REPORTING_UNIT)
    if not request.user.has_perm("nominations.view_list", unit):
        raise Http404
    try:
        package, created = start_package(
            campaign=_campaign(), reporting_unit=unit, actor=request.user, ip=client_ip(request)
        )
    except PackageRefused as exc:
        messages.error(request, str(exc))
        return redirect("review:list", org_pk=unit.pk)
    return _started(request, package, created)


@login_required
@require_POST
def category_package_start(request: AuthedRequest, number: int) -> HttpResponse:
    """Build a category's package across the province (the province only)."""
    if not request.user.is_province_admin:
        raise PermissionDenied("只有省平台管理员可以按项目打包下载全省材料")
    campaign = _campaign()
    category = get_object_or_404(campaign.categories, number=number)
    try:
        package, created = start_package(
            campaign=campaign, category=category, actor=request.user, ip=client_ip(request)
        )
    except PackageRefused as exc:
        messages.error(request, str(exc))
        return redirect("review:province_lists")
    return _started(request, package, created)


@login_required
def package(request: AuthedRequest, pk: int) -> HttpResponse:
    """One package's page: its panel (polled while it builds), then the download."""
    item = _visible_package(request, pk)
    return render(request, "review/packages/package.html", _panel_context(item))


@login_required
def package_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The package's panel alone, polled by htmx every second until the build ends."""
    item = _visible_package(request, pk)
    return render(request, "review/packages/_panel.html", _panel_context(item))


def _panel_context(package: EvidencePackage) -> dict:
    return {
        "package": package,
        "live": package.state in (PackageState.QUEUED, PackageState.RUNNING),
        "queued": package.state == PackageState.QUEUED,
        "done": package.state == PackageState.DONE,
    }


@login_required
def package_download(request: AuthedRequest, pk: int) -> HttpResponse | FileResponse:
    item = _visible_package(request, pk)
    try:
        path = record_package_download(package=item, actor=request.user, ip=client_ip(request))
    except PackageRefused as exc:
        messages.error(request, str(exc))
        return redirect("review:package", pk=item.pk)
    return stored_download(path, filename=item.filename, content_type=ZIP)
