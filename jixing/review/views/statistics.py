"""统计: the campaign in figures — the province's page (every reporting unit, totals, charts) and each
reporting unit's own part, both also as XLSX.

The province sees every unit; a reporting unit's reviewers see their own unit only (another unit's page
is a 404); other roles get 403. Charts are drawn here as SVG bars, no script.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest
from jixing.nominations.domain.statistics import Figures, campaign_statistics, export_statistics
from jixing.nominations.permissions import screened_unit
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.security.downloads import download_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, its figure, the bar's length in percent of the longest."""

    label: str
    value: int
    width: int
    note: str = ""


def _bars(items: list[tuple[str, int, str]]) -> list[Bar]:
    longest = max((value for _, value, _ in items), default=0)
    return [
        Bar(label, value, round(100 * value / longest) if longest else 0, note)
        for label, value, note in items
    ]


def _quota_bars(items: list[tuple[str, Figures]]) -> list[Bar]:
    """Seats used in percent of the seats, the bar cut at 100."""
    return [
        Bar(label, f.quota_use or 0, min(100, f.quota_use or 0), f"{f.submitted}/{f.seats}")
        for label, f in items
        if f.seats
    ]


def _campaign() -> Campaign:
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚未加载评选活动")
    return campaign


def _statistics_unit(request: AuthedRequest, org_pk: int) -> Org:
    """The reporting unit of a statistics page: 403 for roles that see no statistics, 404 for another
    unit's."""
    user = request.user
    if not (user.is_province_admin or screened_unit(user) is not None):
        raise PermissionDenied("只有报送单位审核员和省平台管理员可以查看统计")
    unit = get_object_or_404(Org, pk=org_pk, level=OrgLevel.REPORTING_UNIT)
    if not user.has_perm("nominations.view_statistics", unit):
        raise Http404
    return unit


@login_required
def province(request: AuthedRequest) -> HttpResponse:
    """The province's statistics; a reviewer is taken to his own unit's part."""
    user = request.user
    if not user.has_perm("nominations.view_statistics", None):
        unit = screened_unit(user)
        if unit is None:
            raise PermissionDenied("只有报送单位审核员和省平台管理员可以查看统计")
        return redirect("review:statistics_unit", org_pk=unit.pk)
    campaign = _campaign()
    statistics = campaign_statistics(campaign=campaign)
    return render(
        request,
        "review/statistics/province.html",
        {
            "statistics": statistics,
            "unit_bars": _bars(
                [
                    (row.unit.name, row.total.nominated, f"已报送 {row.total.submitted}")
                    for row in statistics.units
                ]
            ),
            "category_bars": _bars(
                [(c.name, f.nominated, f"拟入选 {f.selected}") for c, f in statistics.by_category]
            ),
            "quota_bars": _quota_bars([(c.name, f) for c, f in statistics.by_category]),
        },
    )


@login_required
def unit(request: AuthedRequest, org_pk: int) -> HttpResponse:
    """One reporting unit's statistics, per category."""
    reporting_unit = _statistics_unit(request, org_pk)
    statistics = campaign_statistics(campaign=_campaign(), reporting_unit=reporting_unit)
    row = statistics.units[0]
    return render(
        request,
        "review/statistics/unit.html",
        {
            "unit": reporting_unit,
            "statistics": statistics,
            "row": row,
            "category_bars": _bars(
                [(c.name, f.nominated, f"已报送 {f.submitted}") for c, f in row.by_category]
            ),
            "quota_bars": _quota_bars([(c.name, f) for c, f in row.by_category]),
        },
    )


@login_required
def province_export(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("nominations.view_statistics", None):
        raise PermissionDenied("只有省平台管理员可以下载全省统计")
    filename, content = export_statistics(campaign=_campaign())
    return download_response(content, filename=filename, fallback="statistics.xlsx", content_type=XLSX)


@login_required
def unit_export(request: AuthedRequest, org_pk: int) -> HttpResponse:
    reporting_unit = _statistics_unit(request, org_pk)
    filename, content = export_statistics(campaign=_campaign(), reporting_unit=reporting_unit)
    return download_response(content, filename=filename, fallback="statistics.xlsx", content_type=XLSX)
