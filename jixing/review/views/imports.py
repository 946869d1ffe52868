"""Province admins' pages: importing the org tree, a points snapshot and the roles.

An upload becomes a background job (jixing/imports): the page redirects to the job, whose panel htmx
polls every second until it ends — progress bar, phase, rows, rate, time left, then the result or the
table of problems."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jixing.campaigns.domain.queries import current_campaign
from jixing.http import AuthedRequest
from jixing.imports.domain.jobs import ImportBusy, start_import
from jixing.imports.domain.progress import job_status
from jixing.imports.domain.queries import active_jobs, recent_jobs
from jixing.imports.models import ImportJob
from jixing.review.forms import ImportForm
from jixing.security.downloads import download_response
from jixing.security.net import client_ip
from jixing.tables import TEMPLATES, template_bytes

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _require_import_permission(request: AuthedRequest) -> None:
    # Imports belong to the province admin role, whatever other flags an account carries (User.has_perm
    # gives a superuser only what the predicates give him).
    if not request.user.has_perm("review.import_data"):
        raise PermissionDenied("只有省平台管理员可以导入数据")


def _page(request: AuthedRequest, form: ImportForm, job: ImportJob | None = None) -> HttpResponse:
    shown = [job] if job is not None else active_jobs()
    return render(
        request,
        "review/imports.html",
        {
            "form": form,
            "panels": [_panel_context(j) for j in shown],
            "recent": recent_jobs(),
            "templates": TEMPLATES.values(),
            # Which campaign's data the files go into: after next year has started, its own tree.
            "the_campaign": current_campaign(),
        },
    )


def _panel_context(job: ImportJob) -> dict:
    return {"job": job, "status": job_status(job)}


@login_required
def imports(request: AuthedRequest) -> HttpResponse:
    _require_import_permission(request)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": "orgs"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = start_import(
                data["kind"],
                data["file"],
                actor=request.user,
                name=data["name"],
                taken_at=data["taken_at"],
                ip=client_ip(request),
            )
        except ImportBusy as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("review:import_job", pk=job.pk)
    return _page(request, form)


@login_required
def import_job(request: AuthedRequest, pk: int) -> HttpResponse:
    """The 数据导入 page with one job's panel on top: where an upload lands."""
    _require_import_permission(request)
    job = get_object_or_404(ImportJob.objects.select_related("actor"), pk=pk)
    return _page(request, ImportForm(initial={"kind": job.kind}), job)


@login_required
def import_job_panel(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's panel alone, polled by htmx every second until the job ends."""
    _require_import_permission(request)
    job = get_object_or_404(ImportJob.objects.select_related("actor"), pk=pk)
    return render(request, "review/_import_job.html", _panel_context(job))


@login_required
def template_download(request: AuthedRequest, kind: str, fmt: str) -> HttpResponse:
    _require_import_permission(request)
    spec = TEMPLATES.get(kind)
    if spec is None or fmt not in CONTENT_TYPES:
        raise Http404
    return download_response(
        template_bytes(spec, fmt),
        filename=f"{spec.title}模板.{fmt}",
        fallback=f"{kind}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
