"""审核报送: a reporting unit screens its nominations per category, picks its list within quota, gets
its 推荐总表, uploads the sealed scan and submits; the province may reopen a submitted list.

Access: anonymous → login; a role with no business here → 403; another reporting unit's list or
nomination → 404. Every change goes through one domain function (nominations/domain/lists.py).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixing.audit.models import AuditEvent
from jixing.audit.signals import client_ip
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import freshness
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.attachments import UploadRefused
from jixing.nominations.domain.list_rules import (
    can_view_list,
    in_screen_phase,
    list_is_open,
    scan_is_current,
    screened_unit,
)
from jixing.nominations.domain.lists import (
    ListRefused,
    latest_scan,
    list_of,
    reopen_list,
    screen_out,
    set_picks,
    submit_list,
)
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.screening import screening_rows, seats_by_category
from jixing.nominations.domain.sealed_scans import add_sealed_scan, scan_download_name
from jixing.nominations.domain.sheet import export_sheet
from jixing.nominations.domain.states import Action
from jixing.nominations.domain.transitions import TransitionRefused
from jixing.nominations.models import RecommendationList, SealedScan
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.review.forms import ReasonForm, ScanForm, picks_from_post
from jixing.security.downloads import protected_download
from jixing.security.params import parse_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCREEN_OUT_ACTIONS = {"return": Action.RETURN, "reject": Action.REJECT}


def _campaign() -> Campaign:
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚未加载评选活动")
    return campaign


def _screener_unit(request: HttpRequest) -> Org:
    unit = screened_unit(request.user)
    if unit is None:
        raise PermissionDenied("只有报送单位审核员可以审核报送")
    return unit


def _list_unit(request: HttpRequest, org_pk: int) -> Org:
    """The reporting unit of a list page: 403 for roles that see no list, 404 for another unit's."""
    user = request.user
    if not (user.is_province_admin or screened_unit(user) is not None):
        raise PermissionDenied("只有报送单位审核员和省平台管理员可以查看推荐总表")
    unit = get_object_or_404(Org, pk=org_pk, level=OrgLevel.REPORTING_UNIT)
    if not can_view_list(user, unit):
        raise Http404
    return unit


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A reviewer's way in: his unit's list page."""
    return redirect("review:list", org_pk=_screener_unit(request).pk)


def _category_context(request: HttpRequest, unit: Org, campaign: Campaign, number: int, **extra) -> dict:
    category = get_object_or_404(campaign.categories, number=number)
    rl = list_of(campaign=campaign, reporting_unit=unit)
    seats = next(s for s in seats_by_category(campaign=campaign, reporting_unit=unit, recommendation_list=rl)
                 if s.category.pk == category.pk)  # fmt: skip
    rows = screening_rows(user=request.user, campaign=campaign, category=category, reporting_unit=unit)
    values = extra.pop("values", None)
    for row in rows:
        entry = row.entry
        row.form = (values or {}).get(row.nomination.pk) or {
            "picked": entry is not None,
            "order": str(entry.position) if entry else "",
            "reason": entry.override_reason if entry else "",
        }
    return {
        "unit": unit,
        "category": category,
        "categories": campaign.categories.order_by("number"),
        "rows": rows,
        "seats": seats,
        "list": rl,
        "editable": list_is_open(campaign, rl),
        "in_phase": in_screen_phase(campaign),
        "freshness": freshness(campaign),
        **extra,
    }


@login_required
def category(request: HttpRequest, number: int) -> HttpResponse:
    """One category's nominations of the reviewer's unit, default order, with the picking form."""
    unit = _screener_unit(request)
    context = _category_context(request, unit, _campaign(), number)
    return render(request, "review/screening/category.html", context)


@login_required
@require_POST
def save_picks(request: HttpRequest, number: int) -> HttpResponse:
    unit = _screener_unit(request)
    campaign = _campaign()
    category = get_object_or_404(campaign.categories, number=number)
    ids = parse_ids(request.POST.getlist("row"))
    picks, values = picks_from_post(request.POST, ids=ids)
    try:
        set_picks(
            campaign=campaign, category=category, actor=request.user, picks=picks, ip=client_ip(request)
        )
    except ListRefused as exc:
        messages.error(request, str(exc))
        typed = {pk: {"picked": v.picked, "order": v.order, "reason": v.reason} for pk, v in values.items()}
        context = _category_context(request, unit, campaign, number, values=typed)
        return render(request, "review/screening/category.html", context, status=200)
    messages.success(request, f"已保存“{category.name}”推荐名单（{len(picks)} 个）")
    return redirect("review:screening_category", number=number)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Return a nomination for correction, or reject it, with a reason."""
    unit = _screener_unit(request)
    if action not in SCREEN_OUT_ACTIONS:
        raise Http404
    rows = nominations_visible_to(request.user, campaign=_campaign()).filter(reporting_unit=unit)
    nomination = get_object_or_404(rows.select_related("category", "campaign", "reporting_unit"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.problem(f"“{SCREEN_OUT_ACTIONS[action].label}”须填写理由"))
    else:
        try:
            screen_out(
                nomination=nomination,
                action=SCREEN_OUT_ACTIONS[action],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"申报 {nomination.number} 现为：{nomination.get_state_display()}")
    return redirect("review:screening_category", number=nomination.category.number)


def _list_events(rl: RecommendationList | None):
    if rl is None:
        return []
    return (
        AuditEvent.objects.filter(target_type=RecommendationList._meta.label_lower, target_id=str(rl.pk))
        .select_related("actor")
        .order_by("-seq")[:50]
    )


@login_required
def list_page(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The 推荐总表 of a reporting unit: seats and picks per category, the sheet, the sealed scan,
    submission (its reviewers) and reopening (the province)."""
    unit = _list_unit(request, org_pk)
    campaign = _campaign()
    rl = list_of(campaign=campaign, reporting_unit=unit)
    scan = latest_scan(rl) if rl else None
    is_screener = screened_unit(request.user) is not None
    context = {
        "unit": unit,
        "list": rl,
        "seats": seats_by_category(campaign=campaign, reporting_unit=unit, recommendation_list=rl),
        "scan": scan,
        "scans": rl.scans.select_related("uploaded_by") if rl else [],
        "scan_outdated": scan is not None and not scan_is_current(rl, scan),
        "is_screener": is_screener,
        "editable": is_screener and list_is_open(campaign, rl),
        "can_reopen": request.user.is_province_admin and rl is not None and rl.is_submitted,
        "events": _list_events(rl),
        "scan_form": ScanForm(),
        "reopen_form": ReasonForm(),
    }
    return render(request, "review/screening/list.html", context)


@login_required
def sheet_download(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The 推荐总表 as XLSX (an audited export)."""
    unit = _list_unit(request, org_pk)
    campaign = _campaign()
    rl = list_of(campaign=campaign, reporting_unit=unit)
    if rl is None or not rl.entries.exists():
        messages.error(request, "推荐名单为空：请先在各项目中选入推荐对象")
        return redirect("review:list", org_pk=unit.pk)
    content, filename = export_sheet(recommendation_list=rl, actor=request.user, ip=client_ip(request))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=list.xlsx; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def scan_upload(request: HttpRequest, org_pk: int) -> HttpResponse:
    unit = _list_unit(request, org_pk)
    if screened_unit(request.user) is None:
        raise PermissionDenied("只有报送单位审核员可以上传盖章扫描件")
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择盖章扫描件（PDF 或图片）")
        return redirect("review:list", org_pk=unit.pk)
    try:
        scan = add_sealed_scan(
            campaign=_campaign(), upload=form.cleaned_data["file"], actor=request.user, ip=client_ip(request)
        )
    except (UploadRefused, ListRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已上传盖章扫描件“{scan.original_name}”")
    return redirect("review:list", org_pk=unit.pk)


@login_required
def scan_download(request: HttpRequest, org_pk: int, scan_pk: int) -> FileResponse:
    """A sealed scan, always as a download and never to be sniffed into something else."""
    unit = _list_unit(request, org_pk)
    scan = get_object_or_404(
        SealedScan,
        pk=scan_pk,
        recommendation_list__reporting_unit=unit,
        recommendation_list__campaign=_campaign(),
    )
    return protected_download(scan.file, filename=scan_download_name(scan), content_type=scan.content_type)


@login_required
@require_POST
def submit(request: HttpRequest, org_pk: int) -> HttpResponse:
    unit = _list_unit(request, org_pk)
    if screened_unit(request.user) is None:
        raise PermissionDenied("只有报送单位审核员可以报送推荐总表")
    campaign = _campaign()
    try:
        rl = submit_list(campaign=campaign, reporting_unit=unit, actor=request.user, ip=client_ip(request))
    except ListRefused as exc:
        messages.error(request, str(exc))
    else:
        when = timezone.localtime(rl.submitted_at)
        messages.success(request, f"推荐总表已于 {when:%Y-%m-%d %H:%M} 报送省平台")
    return redirect("review:list", org_pk=unit.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Province only: send a submitted list back to its reporting unit, with a reason."""
    unit = _list_unit(request, org_pk)
    if not request.user.is_province_admin:
        raise PermissionDenied("只有省平台管理员可以重新开放推荐总表")
    rl = get_object_or_404(RecommendationList, campaign=_campaign(), reporting_unit=unit)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.problem("重新开放推荐总表须填写理由"))
        return redirect("review:list", org_pk=unit.pk)
    try:
        reopen_list(
            recommendation_list=rl,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ListRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重新开放{unit.name}的推荐总表")
    return redirect("review:list", org_pk=unit.pk)
