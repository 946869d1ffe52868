"""申报推荐: starting a nomination, filling its form (autosaved), sending it up, and its page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jixing.announcements.domain.queries import objections_visible_to
from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.domain.staleness import freshness
from jixing.campaigns.models import Category
from jixing.http import AuthedRequest
from jixing.nominations.domain.access import (
    SEND_ACTIONS,
    available_moves,
    can_edit,
    is_applying,
    send_move,
    startable_categories,
)
from jixing.nominations.domain.attachments import upload_slots
from jixing.nominations.domain.decisions import can_decide
from jixing.nominations.domain.drafts import (
    SubmissionInvalid,
    form_values,
    save_draft,
    submission_checklist,
    submit_nomination,
)
from jixing.nominations.domain.earlier_commendations import (
    can_see_earlier_commendations,
    earlier_commendations,
)
from jixing.nominations.domain.evaluation import rule_table
from jixing.nominations.domain.forms_spec import form_spec
from jixing.nominations.domain.history import event_label, last_return, nomination_events
from jixing.nominations.domain.nominee import nominee_learner
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.starting import StartRefused, category_places, place_holder, start_nomination
from jixing.nominations.domain.text_limits import REASON_MAX, length_problem
from jixing.nominations.domain.transitions import transition
from jixing.nominations.enums import NominationState
from jixing.nominations.forms import NominationForm
from jixing.nominations.models import Nomination
from jixing.people.domain.queries import learners_visible_to
from jixing.refusals import Refused
from jixing.security.net import client_ip
from jixing.security.params import search_text

PICK_PAGE_SIZE = 20


def visible_nomination(request: AuthedRequest, pk: int) -> Nomination:
    """The nomination if the user may see it (nominations_visible_to), else 404."""
    rows = nominations_visible_to(request.user).select_related(
        "campaign", "category", "category__campaign", "recommending_org", "reporting_unit", "nominee_org"
    )
    return get_object_or_404(rows, pk=pk)


def _startable(request: AuthedRequest) -> list[Category]:
    campaign = current_campaign()
    categories = startable_categories(request.user, campaign) if campaign else []
    if not categories:
        raise PermissionDenied("您的账号不能发起申报")
    return categories


@login_required
def nomination_start(request: AuthedRequest) -> HttpResponse:
    """GET: the categories this user may start. POST: start one (unit category, or a learner himself,
    or a unit/reporting unit for the learner chosen on the pick page)."""
    categories = _startable(request)
    if request.method != "POST":
        places = category_places(request.user, categories)
        rows = [(c, places.get(c.pk)) for c in categories]
        return render(request, "portal/nominations/start.html", {"rows": rows})
    category = next((c for c in categories if str(c.number) == request.POST.get("category")), None)
    if category is None:
        raise PermissionDenied("您不能发起该项目的申报")
    learner = None
    if category.is_person:
        # The pick page sends the 学号: a snapshot's rows are indexed by it, not by id (people/0005).
        account = search_text(request.POST.get("learner"))
        if request.user.is_learner:
            learner = learners_visible_to(request.user).first()
        elif account:
            learner = get_object_or_404(learners_visible_to(request.user), account_id=account)
    try:
        nomination = start_nomination(
            category=category, actor=request.user, learner=learner, ip=client_ip(request)
        )
    except StartRefused as exc:
        messages.error(request, str(exc))
        if exc.existing is not None:
            editable = exc.existing.state in NominationState.editable_states()
            return redirect(
                "portal:nomination_edit" if editable else "portal:nomination_detail", pk=exc.existing.pk
            )
        return redirect("portal:nomination_start")
    messages.success(request, f"已创建申报 {nomination.number}，请填写申报表")
    return redirect("portal:nomination_edit", pk=nomination.pk)


@login_required
def nomination_pick(request: AuthedRequest, number: int) -> HttpResponse:
    """Choose the nominee of a person category: the learners of the user's subtree, by name or 学号."""
    category = next((c for c in _startable(request) if c.number == number), None)
    if category is None or not category.is_person or request.user.is_learner:
        raise PermissionDenied("您不能为他人发起该项目的申报")
    rows = learners_visible_to(request.user).select_related("org").order_by("-total_points", "account_id")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(account_id=q))
    context = {"category": category, "learners": rows[:PICK_PAGE_SIZE], "q": q, "page_size": PICK_PAGE_SIZE}
    template = "portal/nominations/pick_rows.html" if request.htmx else "portal/nominations/pick.html"
    return render(request, template, context)


def submit_state(user, nomination: Nomination) -> dict:
    """What _submit_state.html needs to swap in the checklist and the send button after a change (empty
    `send_move`, nothing to swap, when the user cannot send this nomination)."""
    move = send_move(user, nomination) if can_edit(user, nomination) else None
    if move is None:
        return {"send_move": None}
    return {
        "nomination": nomination,
        "send_move": move,
        "checklist": submission_checklist(nomination, applying=is_applying(user, nomination)),
        "place_taken_by": place_holder(nomination),
    }


def _edit_context(request: AuthedRequest, nomination: Nomination, form: NominationForm, **extra) -> dict:
    spec = form.spec
    move = send_move(request.user, nomination)
    return {
        "nomination": nomination,
        "spec": spec,
        "form": form,
        "send_move": move,
        # G.6 before the form is sent: the unit's one place in this category is taken by another.
        "place_taken_by": place_holder(nomination) if move is not None else None,
        "checklist": submission_checklist(nomination, applying=is_applying(request.user, nomination))
        if move is not None
        else [],
        "learner": nominee_learner(nomination),
        "return_note": last_return(nomination) if nomination.state == NominationState.RETURNED else None,
        "attachments": nomination.attachments.order_by("kind", "pk"),
        "slots": upload_slots(spec, applying=is_applying(request.user, nomination)),
        "editable": True,
        "saved_at_ms": int(nomination.draft_saved_at.timestamp() * 1000) if nomination.draft_saved_at else 0,
        **extra,
    }


@login_required
def nomination_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form. POST intent=save keeps a draft; intent=submit sends it up through the state table."""
    nomination = visible_nomination(request, pk)
    if not can_edit(request.user, nomination):
        if request.method != "POST" and nomination.state not in NominationState.editable_states():
            # Back to a form already sent (browser back after 提交): its page as it is now, not an error.
            messages.info(
                request,
                f"申报 {nomination.number} 已提交，当前状态为“{nomination.get_state_display()}”，不能再修改；"
                "以下是它的内容。",
            )
            return redirect("portal:nomination_detail", pk=nomination.pk)
        raise PermissionDenied("此申报当前不可编辑")
    spec = form_spec(nomination.category)
    if request.method != "POST":
        form = NominationForm(initial=form_values(nomination, spec), spec=spec)
        return render(request, "portal/nominations/edit.html", _edit_context(request, nomination, form))
    if request.POST.get("intent") != "submit":
        save_draft(nomination=nomination, data=request.POST, actor=request.user)
        messages.success(request, f"草稿已保存（{timezone.localtime():%H:%M}）")
        return redirect("portal:nomination_edit", pk=nomination.pk)
    try:
        nomination = submit_nomination(
            nomination=nomination, data=request.POST, actor=request.user, ip=client_ip(request)
        )
    except SubmissionInvalid as exc:
        count = len(exc.form.errors)
        top = f"申报表有 {count} 处需要修改，请查看标红的项目；已填写的内容已保存为草稿。"
        context = _edit_context(request, nomination, exc.form, top_error=top)
        return render(request, "portal/nominations/edit.html", context)
    except Refused as exc:
        form = NominationForm(request.POST, spec=spec)
        form.is_valid()
        context = _edit_context(request, nomination, form, top_error=str(exc))
        return render(request, "portal/nominations/edit.html", context)
    messages.success(request, f"申报 {nomination.number} 已提交，现为：{nomination.get_state_display()}")
    return redirect("portal:nomination_detail", pk=nomination.pk)


@login_required
@require_POST
def nomination_autosave(request: AuthedRequest, pk: int) -> HttpResponse:
    """HTMX: keep what was typed; answers with the small "已自动保存 HH:MM" indicator."""
    nomination = visible_nomination(request, pk)
    nomination = save_draft(nomination=nomination, data=request.POST, actor=request.user)
    saved_at = nomination.draft_saved_at
    assert saved_at is not None  # save_draft sets it
    response = render(
        request,
        "portal/nominations/_autosave_response.html",
        {"saved_at": saved_at, **submit_state(request.user, nomination)},
    )
    response["HX-Trigger"] = json.dumps({"jixing:draft-saved": {"at": int(saved_at.timestamp() * 1000)}})
    return response


def came_from(request: HttpRequest) -> str:
    """The page a link said it came from (?from=, this site's own paths only), or ""."""
    path = request.GET.get("from", "")
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return path
    return ""


@login_required
def nomination_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = visible_nomination(request, pk)
    spec = form_spec(nomination.category)
    events = [(event, event_label(event.action)) for event in nomination_events(nomination)]
    moves = available_moves(request.user, nomination)
    return render(
        request,
        "portal/nominations/detail.html",
        {
            "nomination": nomination,
            # Where the page was opened from (the screening page's 去判定): its back link returns there.
            "came_from": came_from(request),
            "spec": spec,
            "learner": nominee_learner(nomination),
            "attachments": nomination.attachments.select_related("uploaded_by").order_by("kind", "pk"),
            "events": events,
            "send_moves": [m for m in moves if m.action in SEND_ACTIONS],
            "other_moves": [m for m in moves if m.action not in SEND_ACTIONS],
            "can_edit": can_edit(request.user, nomination),
            "return_note": last_return(nomination) if nomination.state == NominationState.RETURNED else None,
            "rule_rows": rule_table(nomination),
            "freshness": freshness(nomination.campaign),
            "can_decide": can_decide(request.user, nomination),
            # The nominee's commendations in earlier years: for the reviewers only (None hides the card).
            "earlier": earlier_commendations(nomination)
            if can_see_earlier_commendations(request.user, nomination)
            else None,
            # The objectors' names and phones: the province only (empty for everyone else).
            "objections": objections_visible_to(request.user)
            .filter(nomination=nomination)
            .select_related("handled_by"),
        },
    )


@login_required
@require_POST
def nomination_act(request: AuthedRequest, pk: int) -> HttpResponse:
    """A move of the state table other than sending the form up (that goes through the form)."""
    nomination = visible_nomination(request, pk)
    action = request.POST.get("action", "")
    if action in SEND_ACTIONS:
        return redirect("portal:nomination_edit", pk=nomination.pk)
    reason = request.POST.get("reason", "")
    if problem := length_problem(reason, what="理由", cap=REASON_MAX):
        messages.error(request, problem)
        return redirect(reverse("portal:nomination_detail", args=[nomination.pk]))
    try:
        transition(nomination, action, actor=request.user, reason=reason, ip=client_ip(request))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"申报 {nomination.number} 现为：{nomination.get_state_display()}")
    return redirect(reverse("portal:nomination_detail", args=[nomination.pk]))
