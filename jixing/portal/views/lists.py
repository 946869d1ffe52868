"""Pages every signed-in role shares: the home page and the scoped lists."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from jixing.campaigns.domain.phases import next_deadline
from jixing.campaigns.domain.queries import current_campaign
from jixing.http import AuthedRequest
from jixing.nominations.domain.queries import nominations_visible_to
from jixing.nominations.domain.statistics import campaign_totals
from jixing.nominations.domain.worklist import WorkItem, work_list
from jixing.nominations.permissions import screened_unit
from jixing.orgs.domain.queries import orgs_visible_to, scope_root
from jixing.people.domain.queries import (
    matching_learners,
    phone_mask_of,
    roles_visible_to,
    searchable_learners,
)
from jixing.public.views import front as public_front
from jixing.security.params import parse_int, search_text

PAGE_SIZE = 50
MAX_PAGE = 10**6


def _page(request: AuthedRequest, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def counted_page(request: AuthedRequest, rows: QuerySet) -> Page:
    """A page of search results with their count from the same query (`COUNT(*) OVER ()`).

    Paginator counts the rows and then reads the page: two passes over everything the search matches, each
    as dear as the search (a name inside a unit's 27,000 learners is a LIKE on each of them). For searches
    only: the window holds every matching row, which for a whole scope of millions would be worse.
    """
    paginator = Paginator(rows, PAGE_SIZE)
    number = parse_int(request.GET.get("page"), low=1, high=MAX_PAGE) or 1
    start = (number - 1) * PAGE_SIZE
    found = list(rows.annotate(matches=Window(Count("pk")))[start : start + PAGE_SIZE])
    if not found and number > 1:  # past the last page: the last one, as Paginator.get_page gives
        return paginator.get_page(number)
    paginator.count = found[0].matches if found else 0  # a cached_property: set, it is never queried
    return Page(found, number, paginator)


def _list(
    request: AuthedRequest, template: str, rows, *, page: Page | None = None, **context
) -> HttpResponse:
    """Render a list page, or only its table when HTMX asks (search as one types)."""
    context.update(page=page or _page(request, rows), q=search_text(request.GET.get("q")))
    if request.htmx:
        template = template.replace(".html", "_rows.html")
    return render(request, template, context)


def home(request: HttpRequest) -> HttpResponse:
    """The site root: a visitor sees the public front page (the 公示 or, once commended, the final list,
    with the staff login at its top); a signed-in user the work home."""
    if not request.user.is_authenticated:
        return public_front(request)
    return _work_home(cast(AuthedRequest, request))


def _work_home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    root = scope_root(user)
    ancestors = []
    node = root or user.org
    while node is not None:
        ancestors.append(node)
        node = node.parent
    campaign = current_campaign()
    context: dict = {"root": root, "trail": list(reversed(ancestors))}
    if campaign is not None:
        work = work_list(user, campaign=campaign)
        context["counts"] = {"nominations": work.visible}
        context["work"] = [(item, _work_link(item, user)) for item in work.items]
        context["deadline"] = next_deadline(campaign)
        # The figures that matter to the role: the province's totals, a reviewer's own unit's.
        unit = screened_unit(user)
        if user.has_perm("nominations.view_statistics", None):
            context["figures"] = campaign_totals(campaign=campaign)
            context["figures_url"] = reverse("review:statistics")
        elif unit is not None and user.has_perm("nominations.view_statistics", unit):
            context["figures"] = campaign_totals(campaign=campaign, reporting_unit=unit)
            context["figures_url"] = reverse("review:statistics_unit", args=[unit.pk])
    return render(request, "portal/home.html", context)


# Where each piece of work is done (worklist.WorkItem.key → the page); nominations in one state open
# the nomination list filtered by that state.
_WORK_PAGES = {
    "to_screen": "review:screening",
    "to_check": "review:screening",
    "lists": "review:province_lists",
    "to_select": "review:province_lists",
    "objections": "review:province_objections",
    "to_approve": "review:province_approval",
    "to_commend": "review:province_commendation",
    "to_score": "review:scores",
}


def _work_link(item: WorkItem, user) -> str:
    if item.state:
        return f"{reverse('portal:nomination_list')}?state={item.state}"
    if item.key == "list":
        unit = screened_unit(user)
        return reverse("review:list", args=[unit.pk]) if unit is not None else ""
    page = _WORK_PAGES.get(item.key)
    return reverse(page) if page else ""


@login_required
def org_list(request: AuthedRequest) -> HttpResponse:
    rows = orgs_visible_to(request.user).select_related("parent")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(code__startswith=q))
    return _list(request, "portal/org_list.html", rows)


@login_required
def learner_list(request: AuthedRequest) -> HttpResponse:
    rows, from_start = searchable_learners(request.user)
    rows = rows.select_related("org").order_by("-total_points", "account_id")
    q = search_text(request.GET.get("q"))
    if not q:
        return _list(request, "portal/learner_list.html", rows, names_from_start=from_start)
    rows = matching_learners(rows, q, from_start=from_start)
    return _list(
        request,
        "portal/learner_list.html",
        rows,
        page=counted_page(request, rows),
        phone_mask=phone_mask_of(q),
        names_from_start=from_start,
    )


@login_required
def role_list(request: AuthedRequest) -> HttpResponse:
    rows = roles_visible_to(request.user).select_related("org").order_by("org__path", "kind", "account_id")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(Q(account_id=q) | Q(org__name__contains=q))
    return _list(request, "portal/role_list.html", rows)


@login_required
def nomination_list(request: AuthedRequest) -> HttpResponse:
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
