"""Province admins' pages: importing the org tree, a points snapshot and the roles."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jixing.orgs.domain.imports import import_orgs
from jixing.people.domain.imports import default_taken_at, import_roles, import_snapshot
from jixing.review.forms import ImportForm
from jixing.review.rules import is_province_admin
from jixing.tables import TEMPLATES, ImportRefused, template_bytes

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _require_import_permission(request: HttpRequest) -> None:
    # The predicate, not user.has_perm: Django grants every permission to superusers, and imports
    # belong to the province admin role, whatever other flags an account carries.
    if not is_province_admin(request.user):
        raise PermissionDenied("只有省平台管理员可以导入数据")


def _run_import(data: dict, user):
    upload = data["file"]
    if data["kind"] == "orgs":
        return import_orgs(upload, actor=user)
    if data["kind"] == "learners":
        return import_snapshot(
            upload,
            name=data["name"] or Path(upload.name).stem,
            taken_at=data["taken_at"] or default_taken_at(),
            actor=user,
            filename=upload.name,
        )
    return import_roles(upload, actor=user)


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": "orgs"})
    result = refused = None
    if request.method == "POST" and form.is_valid():
        try:
            result = _run_import(form.cleaned_data, request.user)
        except ImportRefused as exc:
            refused = exc
    return render(
        request,
        "review/imports.html",
        {"form": form, "result": result, "refused": refused, "templates": TEMPLATES.values()},
    )


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    _require_import_permission(request)
    spec = TEMPLATES.get(kind)
    if spec is None or fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(template_bytes(spec, fmt), content_type=CONTENT_TYPES[fmt])
    filename = f"{spec.title}模板.{fmt}"
    response["Content-Disposition"] = f"attachment; filename={kind}.{fmt}; filename*=UTF-8''{quote(filename)}"
    return response
