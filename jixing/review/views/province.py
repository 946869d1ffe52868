"""The province's pages for 汇总公示 and 通报表扬: verify the lists, choose, publish, handle
objections, record approval, commend, export the final list; and the phase windows.

Every view: login required, province admins only (403 for the rest), parse → one domain call →
message → render or redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jixing.announcements.domain import queries
from jixing.announcements.domain.approval import approval_blockers, commend, record_approval
from jixing.announcements.domain.certificate_batches import is_stale, latest_batch
from jixing.announcements.domain.certificates import certificates_by_nomination
from jixing.announcements.domain.exports import export_final_list, final_entries
from jixing.announcements.domain.notices import (
    BuiltNotice,
    NoticeFormat,
    build_announcement_notice,
    build_commendation_notice,
)
from jixing.announcements.domain.objections import handle_objection, record_objection
from jixing.announcements.domain.publishing import (
    preview_window,
    publication_problems,
    publish,
    selected_for_publication,
)
from jixing.announcements.domain.selection import change_selection
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import Announcement, CertificateBatch
from jixing.campaigns.domain.phases import extend_phase
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import freshness
from jixing.campaigns.enums import PhaseKey
from jixing.campaigns.models import Campaign
from jixing.http import AuthedRequest
from jixing.imports.enums import JobState
from jixing.nominations.domain.packages import category_scope_key, scope_packages
from jixing.nominations.domain.states import Action
from jixing.nominations.enums import NominationState as S
from jixing.refusals import Refused
from jixing.review.province_forms import (
    ApprovalForm,
    ObjectionOutcomeForm,
    PhaseExtendForm,
    PublishForm,
    RecordedObjectionForm,
)
from jixing.security.downloads import download_response
from jixing.security.net import client_ip
from jixing.security.params import parse_id, parse_ids, parse_int

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_FILTERS = ("category", "unit", "state")


def _campaign(request: AuthedRequest) -> Campaign:
    if not request.user.has_perm("announcements.manage"):
        raise PermissionDenied("只有省平台管理员可以使用汇总公示页面")
    campaign = current_campaign()
    if campaign is None:
        raise Http404("尚未加载评选活动")
    return campaign


@login_required
def lists(request: AuthedRequest) -> HttpResponse:
    """名单核对: each reporting unit's list in one category, quotas, G.9 side by side, G.3 conflicts."""
    campaign = _campaign(request)
    categories = list(campaign.categories.all())
    number = parse_int(request.GET.get("category"), low=1, high=999)
    category = next((c for c in categories if c.number == number), categories[0])
    state = request.GET.get("state", "")
    state = state if state in S.listed_states() else ""
    unit_id = parse_id(request.GET.get("unit"))
    counts = queries.listed_counts(request.user, campaign=campaign)
    context = {
        "freshness": freshness(campaign),
        "categories": categories,
        "category": category,
        "tabs": [(c, counts.get(c.id, 0)) for c in categories],
        "groups": queries.unit_lists(
            request.user, campaign=campaign, category=category, reporting_unit_id=unit_id, state=state
        ),
        "conflicts": queries.award_conflicts(request.user, campaign=campaign),
        "reporting_units": queries.reporting_units(campaign),
        "states": [(s, S(s).label) for s in S.values if s in S.listed_states()],
        "filters": {"category": category.number, "unit": unit_id, "state": state},
        "packages": scope_packages(campaign, category_scope_key(category)),
    }
    return render(request, "review/province/lists.html", context)


@login_required
@require_POST
def select(request: AuthedRequest) -> HttpResponse:
    """拟入选 / 不入选, for one nomination (`only` = "action:id") or every ticked one (`ids`)."""
    campaign = _campaign(request)
    action, _, one = request.POST.get("only", "").partition(":")
    ids = [pk] if (pk := parse_id(one)) is not None else parse_ids(request.POST.getlist("ids"))
    action = action or request.POST.get("action", "")
    if request.POST.get("next") == "publication":
        back = reverse("review:province_publication")
    else:
        filters = {k: request.POST.get(k, "") for k in LIST_FILTERS}
        back = reverse("review:province_lists") + "?" + urlencode(filters)
    if action not in (Action.SELECT, Action.DESELECT):
        messages.error(request, "请选择“拟入选”或“不入选”")
        return redirect(back)
    if not ids:
        messages.error(request, "请先勾选要处理的申报")
        return redirect(back)
    result = change_selection(
        campaign=campaign, ids=ids, action=action, actor=request.user, ip=client_ip(request)
    )
    if result.done:
        messages.success(request, f"已将 {len(result.done)} 项设为“{Action(action).label}”")
    for _, reason in result.refused:
        messages.error(request, reason)
    return redirect(back)


@login_required
def publication(request: AuthedRequest) -> HttpResponse:
    """发布公示: what is chosen, the window it would get; POST publishes. Lists past publications."""
    campaign = _campaign(request)
    # GET with a date previews its window (the "重新计算公示期" button); POST publishes.
    form = PublishForm(request.POST if request.method == "POST" else (request.GET or None))
    if request.method == "POST" and form.is_valid():
        try:
            announcement = publish(
                campaign=campaign,
                actor=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ip=client_ip(request),
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"已发布公示 {announcement.entries.count()} 项，公示期 {announcement.starts_on:%Y年%m月%d日}"
                f"至 {announcement.ends_on:%Y年%m月%d日}",
            )
        return redirect("review:province_publication")
    starts_on = (form.cleaned_data.get("starts_on") if form.is_bound and form.is_valid() else None) or (
        timezone.localdate()
    )
    window = window_error = None
    try:
        window = preview_window(campaign=campaign, starts_on=starts_on)
    except Refused as exc:
        window_error = str(exc)
    chosen = list(selected_for_publication(campaign))
    problems = publication_problems(campaign=campaign, chosen=chosen)
    context = {
        "freshness": freshness(campaign),
        "form": form,
        "chosen": chosen,
        "rows": [(n, problems.get(n.pk, "")) for n in chosen],
        "problems": problems,
        "window": window,
        "window_error": window_error,
        "announcements": queries.announcements_with_counts(campaign=campaign),
        "now": timezone.now(),
    }
    return render(request, "review/province/publication.html", context)


@login_required
def objections(request: AuthedRequest) -> HttpResponse:
    """公示异议: every objection of the campaign (pending first), with the handling form, and the form
    that records an objection received by phone, letter or e-mail."""
    campaign = _campaign(request)
    return _objections_page(request, campaign)


def _objections_page(
    request: AuthedRequest, campaign: Campaign, *, record_form=None, error: str = "", status: int = 200
) -> HttpResponse:
    pending_only = request.GET.get("show", ObjectionOutcome.PENDING) == ObjectionOutcome.PENDING
    rows = queries.objections_visible_to(request.user, campaign=campaign).select_related(
        "nomination__category", "nomination__announcement_entry", "handled_by", "recorded_by"
    )
    if pending_only:
        rows = rows.filter(outcome=ObjectionOutcome.PENDING)
    entries = list(queries.entries_open_to_objection(request.user, campaign=campaign))
    if record_form is None:
        record_form = RecordedObjectionForm(
            entries=entries, initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    context = {
        "objections": rows.order_by("received_at"),
        "pending_only": pending_only,
        "form": ObjectionOutcomeForm(),
        "record_form": record_form,
        "record_error": error,
        "can_record": bool(entries),
        "pending": queries.objections_visible_to(request.user, campaign=campaign)
        .filter(outcome=ObjectionOutcome.PENDING)
        .count(),
    }
    return render(request, "review/province/objections.html", context, status=status)


@login_required
@require_POST
def objection_record(request: AuthedRequest) -> HttpResponse:
    """An objection received by phone, letter or e-mail, recorded with the objector's real name: taken
    and handled like one sent on the public page. A refusal shows the form again, as typed."""
    campaign = _campaign(request)
    entries = list(queries.entries_open_to_objection(request.user, campaign=campaign))
    form = RecordedObjectionForm(request.POST, entries=entries)
    if not form.is_valid():
        return _objections_page(request, campaign, record_form=form, error=form.problem(), status=400)
    entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
    try:
        objection = record_objection(
            entry=entry,
            channel=form.cleaned_data["channel"],
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            content=form.cleaned_data["content"],
            received_at=form.cleaned_data["received_at"],
            actor=request.user,
            ip=client_ip(request),
        )
    except Refused as exc:
        return _objections_page(request, campaign, record_form=form, error=str(exc), status=400)
    messages.success(
        request,
        f"已登记{objection.get_channel_display()}反映，受理编号 {objection.receipt}。"
        "请告知反映人：可凭受理编号在公示页面查询办理情况。",
    )
    return redirect(reverse("review:province_objections") + f"#objection-{objection.pk}")


@login_required
@require_POST
def objection_handle(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request)
    objection = get_object_or_404(queries.objections_visible_to(request.user, campaign=campaign), pk=pk)
    form = ObjectionOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.problem("请选择处理结果并填写核查情况"))
    else:
        try:
            handle_objection(
                objection=objection,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip=client_ip(request),
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"异议 {objection.receipt} 已处理：{objection.get_outcome_display()}")
    if request.POST.get("next") == "nomination":
        return redirect("portal:nomination_detail", pk=objection.nomination_id)
    return redirect("review:province_objections")


@login_required
def approval(request: AuthedRequest) -> HttpResponse:
    """省委宣传部审批: what still blocks it; POST records it (PUBLISHED → APPROVED)."""
    campaign = _campaign(request)
    form = ApprovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = record_approval(
                campaign=campaign, actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"已登记审批（{recorded.document_ref}），审批通过 {recorded.nomination_count} 项"
            )
        return redirect("review:province_approval")
    context = {
        "form": form,
        "blockers": approval_blockers(campaign=campaign),
        "approvals": queries.approvals(campaign=campaign),
        "published": queries.state_count(campaign=campaign, state=S.PUBLISHED),
    }
    return render(request, "review/province/approval.html", context)


@login_required
def commendation(request: AuthedRequest) -> HttpResponse:
    """通报表扬: APPROVED → COMMENDED in bulk (commend phase only), the final list, its export."""
    campaign = _campaign(request)
    if request.method == "POST":
        try:
            count = commend(campaign=campaign, actor=request.user, ip=client_ip(request))
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已通报表扬 {count} 项")
        return redirect("review:province_commendation")
    phase = campaign.phase_at()
    entries = final_entries(campaign=campaign)
    certificates = certificates_by_nomination(campaign)
    context = {
        "approved": queries.state_count(campaign=campaign, state=S.APPROVED),
        "entries": entries,
        "rows": [(e, certificates.get(e.nomination.pk)) for e in entries],
        "certificate_count": sum(1 for c in certificates.values() if not c.is_plaque and not c.is_revoked),
        "plaque_count": sum(1 for c in certificates.values() if c.is_plaque and not c.is_revoked),
        **batch_context(latest_batch(campaign)),
        "in_commend_phase": phase is not None and phase.key == PhaseKey.COMMEND,
    }
    return render(request, "review/province/commendation.html", context)


def batch_context(batch: CertificateBatch | None) -> dict:
    """The certificate batch's panel (review/province/_certificate_batch.html): polled while it runs."""
    stale = batch is not None and is_stale(batch)
    live = batch is not None and batch.state in (JobState.QUEUED, JobState.RUNNING) and not stale
    return {"batch": batch, "batch_live": live, "batch_stale": stale}


@login_required
def final_export(request: AuthedRequest) -> HttpResponse:
    campaign = _campaign(request)
    filename, content = export_final_list(campaign=campaign, actor=request.user, ip=client_ip(request))
    return download_response(content, filename=filename, fallback="final-list.xlsx", content_type=XLSX)


def notice_response(built: BuiltNotice, *, fallback: str) -> HttpResponse:
    """A notice as a download named 「…公示（2023年1月20日）.pdf」."""
    return download_response(
        built.content, filename=built.filename, fallback=fallback, content_type=built.content_type
    )


@login_required
def announcement_notice(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The 公示 notice of one publication, as Word or PDF (an audited download)."""
    campaign = _campaign(request)
    announcement = get_object_or_404(
        Announcement.objects.select_related("campaign"), pk=pk, campaign=campaign
    )
    built = build_announcement_notice(
        announcement,
        fmt=NoticeFormat(fmt),
        objection_url=request.build_absolute_uri(reverse("public:announcement")),
        actor=request.user,
        ip=client_ip(request),
    )
    return notice_response(built, fallback=f"announcement-{announcement.pk}.{fmt}")


@login_required
def commendation_notice(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The 表扬通报 with the approved list, as Word or PDF (an audited download)."""
    campaign = _campaign(request)
    try:
        built = build_commendation_notice(
            campaign, fmt=NoticeFormat(fmt), actor=request.user, ip=client_ip(request)
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("review:province_approval")
    return notice_response(built, fallback=f"commendation.{fmt}")


@login_required
def phases(request: AuthedRequest) -> HttpResponse:
    """阶段窗口: the campaign's phases and a form to extend each window (reason required, recorded)."""
    campaign = _campaign(request)
    context = {
        "phases": list(campaign.phases.all()),
        "current": campaign.phase_at(),
        "form": PhaseExtendForm(),
        "extensions": queries.phase_extensions(campaign=campaign),
    }
    return render(request, "review/province/phases.html", context)


@login_required
@require_POST
def phase_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request)
    phase = get_object_or_404(campaign.phases.all(), pk=pk)
    form = PhaseExtendForm(request.POST)
    if not form.is_valid():
        problems = "；".join(
            f"{form.fields[k].label}：{'、'.join(map(str, v))}" for k, v in form.errors.items()
        )
        messages.error(request, f"未延长“{phase.name}”：{problems}")
        return redirect("review:province_phases")
    try:
        extend_phase(phase, actor=request.user, ip=client_ip(request), **form.cleaned_data)
    except Refused as exc:
        messages.error(request, f"未延长“{phase.name}”：{exc}")
    else:
        messages.success(
            request, f"已将“{phase.name}”延长至 {timezone.localtime(phase.ends_at):%Y-%m-%d %H:%M}"
        )
    return redirect("review:province_phases")
