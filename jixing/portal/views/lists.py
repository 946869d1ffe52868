"""Pages every signed-in role shares: the home page and the scoped lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixing.campaigns.domain.queries import current_campaign
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.orgs.domain.queries import orgs_visible_to, scope_root
from jixing.people.domain.queries import learners_visible_to, matching_learners, roles_visible_to
from jixing.security.params import search_text

PAGE_SIZE = 50


def _page(request: HttpRequest, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _list(request: HttpRequest, template: str, rows, **context) -> HttpResponse:
    """Render a list page, or only its table when HTMX asks (search as one types)."""
    context.update(page=_page(request, rows), q=search_text(request.GET.get("q")))
    if request.htmx:
        template = template.replace(".html", "_rows.html")
    return render(request, template, context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    root = scope_root(user)
    ancestors = []
    node = root or user.org
    while node is not None:
        ancestors.append(node)
        node = node.parent
    campaign = current_campaign()
    counts = {}
    if campaign is not None:
        visible = nominations_visible_to(user, campaign=campaign)
        counts = {"nominations": visible.count()}
    return render(
        request,
        "portal/home.html",
        {"root": root, "trail": list(reversed(ancestors)), "counts": counts},
    )


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    rows = orgs_visible_to(request.user).select_related("parent")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(code__startswith=q))
    return _list(request, "portal/org_list.html", rows)


@login_required
def learner_list(request: HttpRequest) -> HttpResponse:
    rows = learners_visible_to(request.user).select_related("org").order_by("-total_points", "account_id")
    q = search_text(request.GET.get("q"))
    if q:
        rows = matching_learners(rows, q)
    return _list(request, "portal/learner_list.html", rows)


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    rows = roles_visible_to(request.user).select_related("org").order_by("org__path", "kind", "account_id")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(account_id=q) | Q(org__name__contains=q))
    return _list(request, "portal/role_list.html", rows)


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign()
    rows = nominations_visible_to(request.user, campaign=campaign).select_related(
        "category", "recommending_org", "reporting_unit", "nominee_org"
    )
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(nominee_name__contains=q) | Q(number=q) | Q(recommending_org__name__contains=q))
    state = request.GET.get("state", "")
    if state:
        rows = rows.filter(state=state)
    return _list(request, "portal/nomination_list.html", rows.order_by("category__number", "number"))
