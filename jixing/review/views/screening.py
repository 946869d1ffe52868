"""审核报送: a reporting unit screens its nominations per category, picks its list within quota, gets
its 推荐总表, uploads the sealed scan and submits; the province may reopen a submitted list.

Access: anonymous → login; a role with no business here → 403; another reporting unit's list or
nomination → 404. Every change goes through one domain function (nominations/domain/lists.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixing.audit.models import AuditEvent
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import freshness
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest
from jixing.nominations.domain.list_picks import in_screen_phase, list_is_open, scan_is_current
from jixing.nominations.domain.lists import (
    latest_scan,
    list_of,
    list_readiness,
    reopen_list,
    screen_out,
    set_picks,
    submit_list,
)
from jixing.nominations.domain.packages import scope_packages, unit_scope_key
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.screening import (
    SCREENED_STATES,
    SCREENED_STATUSES,
    ScreeningFilter,
    screening_candidates,
    screening_rows,
    seats_by_category,
    sent_up_counts,
)
from jixing.nominations.domain.sealed_scans import add_sealed_scan, scan_download_name
from jixing.nominations.domain.sheet import export_sheet
from jixing.nominations.domain.states import Action
from jixing.nominations.enums import NominationState
from jixing.nominations.models import RecommendationList, SealedScan
from jixing.nominations.permissions import screened_unit
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org
from jixing.refusals import Refused
from jixing.review.forms import PickValues, ReasonForm, ScanForm, picks_from_post
from jixing.security.downloads import download_response, protected_download
from jixing.security.net import client_ip
from jixing.security.params import parse_ids, parse_int, search_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
SCREEN_OUT_ACTIONS = {"return": Action.RETURN, "reject": Action.REJECT}
# Rows of a category per page: a city's 2,000 nominations on one page took 200–470 ms and 814 KiB.
SCREEN_PAGE_SIZE = 50
MAX_PAGE = 10**6


def _campaign() -> Campaign:
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚未加载评选活动")
    return campaign


def _screener_unit(request: AuthedRequest) -> Org:
    unit = screened_unit(request.user)
    if unit is None:
        raise PermissionDenied("只有报送单位审核员可以审核报送")
    return unit


def _list_unit(request: AuthedRequest, org_pk: int) -> Org:
    """The reporting unit of a list page: 403 for roles that see no list, 404 for another unit's."""
    user = request.user
    if not (user.is_province_admin or screened_unit(user) is not None):
        raise PermissionDenied("只有报送单位审核员和省平台管理员可以查看推荐总表")
    unit = get_object_or_404(Org, pk=org_pk, level=OrgLevel.REPORTING_UNIT)
    if not user.has_perm("nominations.view_list", unit):
        raise Http404
    return unit


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """A reviewer's way in: his unit's list page."""
    return redirect("review:list", org_pk=_screener_unit(request).pk)


def _screening_filter(data) -> ScreeningFilter:
    """The list's filter from a query string (or the picking form, which carries it along)."""
    return ScreeningFilter(
        q=search_text(data.get("q")), status=data.get("status", ""), state=data.get("state", "")
    )


def _where(data) -> dict[str, str]:
    """The page and filter a request came from, as query parameters: where the page goes back to."""
    filters = _screening_filter(data)
    where = {
        "q": filters.q,
        "status": filters.status if filters.status in SCREENED_STATUSES else "",
        "state": filters.state if filters.state in SCREENED_STATES else "",
        "page": str(parse_int(data.get("page"), low=1, high=MAX_PAGE) or 1),
    }
    return {k: v for k, v in where.items() if v and (k, v) != ("page", "1")}


def _category_url(number: int, data) -> str:
    where = _where(data)
    url = reverse("review:screening_category", args=[number])
    return f"{url}?{urlencode(where)}" if where else url


def _category_context(
    request: AuthedRequest,
    unit: Org,
    campaign: Campaign,
    number: int,
    *,
    data,
    values: dict[int, PickValues] | None = None,
    **extra,
) -> dict:
    """One category's screening page: the picked nominations (every one, with the form's inputs, so that
    saving one page never drops a pick made on another) and one page of all, filtered, in default order.

    `values`, after a refused save, are the form's values as typed: they are shown again, and a row ticked
    there but not yet on the list joins the picked ones.
    """
    category = get_object_or_404(campaign.categories, number=number)
    rl = list_of(campaign=campaign, reporting_unit=unit)
    all_seats = seats_by_category(campaign=campaign, reporting_unit=unit, recommendation_list=rl)
    seats = next(s for s in all_seats if s.category.pk == category.pk)
    candidates = screening_candidates(
        user=request.user, campaign=campaign, category=category, reporting_unit=unit
    )
    filters = _screening_filter(data)
    page = Paginator(filters.apply(candidates), SCREEN_PAGE_SIZE).get_page(
        parse_int(data.get("page"), low=1, high=MAX_PAGE) or 1
    )
    picked = [entry.nomination for entry in seats.entries]
    on_list = {n.pk for n in picked}
    typed = [pk for pk, v in (values or {}).items() if v.picked and pk not in on_list]
    if typed:
        picked += list(candidates.filter(pk__in=typed))
    listed = {n.pk for n in picked}
    rows = screening_rows(picked + [n for n in page if n.pk not in listed])
    by_pk = {row.nomination.pk: row for row in rows}
    for row in rows:
        entry = row.entry
        typed_values = (values or {}).get(row.nomination.pk)
        row.form = (
            {"picked": typed_values.picked, "order": typed_values.order, "reason": typed_values.reason}
            if typed_values
            else {
                "picked": entry is not None,
                "order": str(entry.position) if entry else "",
                "reason": entry.override_reason if entry else "",
            }
        )
    counts = sent_up_counts(user=request.user, campaign=campaign, reporting_unit=unit)
    return {
        "unit": unit,
        "category": category,
        "tabs": [(s, counts.get(s.category.pk, 0)) for s in all_seats],
        "picked_rows": [by_pk[n.pk] for n in picked],
        "page": page,
        "rows": [by_pk[n.pk] for n in page],
        "listed": listed,
        "sent_up": counts.get(category.pk, 0),
        "filters": filters,
        "where": _where(data),
        "statuses": SCREENED_STATUSES,
        "states": [(s, NominationState(s).label) for s in SCREENED_STATES],
        "seats": seats,
        "list": rl,
        "editable": list_is_open(campaign, rl),
        "in_phase": in_screen_phase(campaign),
        "freshness": freshness(campaign),
        "in_error": set(),
        **extra,
    }


@login_required
def category(request: AuthedRequest, number: int) -> HttpResponse:
    """One category's nominations of the reviewer's unit, a page at a time in default order, filterable,
    with the picking form."""
    unit = _screener_unit(request)
    context = _category_context(request, unit, _campaign(), number, data=request.GET)
    return render(request, "review/screening/category.html", context)


@login_required
@require_POST
def save_picks(request: AuthedRequest, number: int) -> HttpResponse:
    unit = _screener_unit(request)
    campaign = _campaign()
    category = get_object_or_404(campaign.categories, number=number)
    posted = parse_ids(request.POST.getlist("row"))
    # The rows in the default order (picks_from_post places ties and unnumbered picks by it): the page
    # sends the picked ones first. Ids that are no candidate stay, for set_picks to refuse.
    known = list(
        screening_candidates(user=request.user, campaign=campaign, category=category, reporting_unit=unit)
        .filter(pk__in=posted)
        .values_list("pk", flat=True)
    )
    seen = set(known)
    ids = known + [pk for pk in dict.fromkeys(posted) if pk not in seen]
    picks, values = picks_from_post(request.POST, ids=ids)
    try:
        set_picks(
            campaign=campaign, category=category, actor=request.user, picks=picks, ip=client_ip(request)
        )
    except Refused as exc:
        messages.error(request, str(exc))
        # The rows the refusal is about are marked, and the first is scrolled into view (screening.js).
        in_error = set(getattr(exc, "nominations", ()))
        context = _category_context(
            request, unit, campaign, number, data=request.POST, values=values, in_error=in_error
        )
        return render(request, "review/screening/category.html", context, status=200)
    messages.success(request, f"已保存“{category.name}”推荐名单（{len(picks)} 个）")
    return redirect(_category_url(number, request.POST))


@login_required
@require_POST
def act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
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
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"申报 {nomination.number} 现为：{nomination.get_state_display()}")
    return redirect(_category_url(nomination.category.number, request.POST))


def _list_events(rl: RecommendationList | None):
    if rl is None:
        return []
    return (
        AuditEvent.objects.filter(target_type=RecommendationList._meta.label_lower, target_id=str(rl.pk))
        .select_related("actor")
        .order_by("-seq")[:50]
    )


@login_required
def list_page(request: AuthedRequest, org_pk: int) -> HttpResponse:
    """The 推荐总表 of a reporting unit: seats and picks per category, the sheet, the sealed scan,
    submission (its reviewers) and reopening (the province)."""
    unit = _list_unit(request, org_pk)
    campaign = _campaign()
    rl = list_of(campaign=campaign, reporting_unit=unit)
    scan = latest_scan(rl) if rl else None
    is_screener = screened_unit(request.user) is not None
    seats = seats_by_category(campaign=campaign, reporting_unit=unit, recommendation_list=rl)
    context = {
        "unit": unit,
        "list": rl,
        "seats": seats,
        "picked": sum(len(s.entries) for s in seats),
        # The checklist of an open list (可以报送 / 还差 N 项): its sheet is given out for sealing and the
        # list is sent only when nothing is missing.
        "readiness": (
            list_readiness(campaign=campaign, reporting_unit=unit, recommendation_list=rl)
            if not (rl and rl.is_submitted)
            else None
        ),
        "scan": scan,
        "scans": rl.scans.select_related("uploaded_by") if rl else [],
        "scan_outdated": scan is not None and rl is not None and not scan_is_current(rl, scan),
        "is_screener": is_screener,
        "editable": is_screener and list_is_open(campaign, rl),
        "can_reopen": bool(rl and rl.is_submitted) and request.user.has_perm("nominations.reopen_list", rl),
        "events": _list_events(rl),
        "packages": scope_packages(campaign, unit_scope_key(unit)),
        "scan_form": ScanForm(),
        "reopen_form": ReasonForm(),
    }
    return render(request, "review/screening/list.html", context)


@login_required
def sheet_download(request: AuthedRequest, org_pk: int, fmt: str = "xlsx") -> HttpResponse:
    """The 推荐总表 as XLSX, or as a landscape PDF to print and stamp (an audited export)."""
    unit = _list_unit(request, org_pk)
    campaign = _campaign()
    rl = list_of(campaign=campaign, reporting_unit=unit)
    if rl is None or not rl.entries.exists():
        messages.error(request, "推荐名单为空：请先在各项目中选入推荐对象")
        return redirect("review:list", org_pk=unit.pk)
    if not rl.is_submitted:
        readiness = list_readiness(campaign=campaign, reporting_unit=unit, recommendation_list=rl)
        if not readiness.can_seal:
            messages.error(
                request,
                "推荐名单还有问题，改正后才能下载盖章用的推荐总表：" + "；".join(readiness.pick_problems),
            )
            return redirect("review:list", org_pk=unit.pk)
    pdf = fmt == "pdf"
    content, filename = export_sheet(
        recommendation_list=rl, actor=request.user, ip=client_ip(request), fmt="pdf" if pdf else "xlsx"
    )
    return download_response(
        content,
        filename=filename,
        fallback=f"list.{'pdf' if pdf else 'xlsx'}",
        content_type=PDF if pdf else XLSX,
    )


@login_required
@require_POST
def scan_upload(request: AuthedRequest, org_pk: int) -> HttpResponse:
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
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已上传盖章扫描件“{scan.original_name}”")
    return redirect("review:list", org_pk=unit.pk)


@login_required
def scan_download(request: AuthedRequest, org_pk: int, scan_pk: int) -> FileResponse:
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
def submit(request: AuthedRequest, org_pk: int) -> HttpResponse:
    unit = _list_unit(request, org_pk)
    if screened_unit(request.user) is None:
        raise PermissionDenied("只有报送单位审核员可以报送推荐总表")
    campaign = _campaign()
    try:
        rl = submit_list(campaign=campaign, reporting_unit=unit, actor=request.user, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        when = timezone.localtime(rl.submitted_at)
        messages.success(request, f"推荐总表已于 {when:%Y-%m-%d %H:%M} 报送省平台")
    return redirect("review:list", org_pk=unit.pk)


@login_required
@require_POST
def reopen(request: AuthedRequest, org_pk: int) -> HttpResponse:
    """Province only: send a submitted list back to its reporting unit, with a reason."""
    unit = _list_unit(request, org_pk)
    if not request.user.has_perm("nominations.reopen_list"):
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
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重新开放{unit.name}的推荐总表")
    return redirect("review:list", org_pk=unit.pk)
