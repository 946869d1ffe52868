"""Error pages: Chinese, with an incident id the user can quote to the help desk, never a traceback.

The incident id is also in the response header `X-Incident-Id`, in the log line (500) and in the audit
event (403), so a support call leads straight to the record.
"""

from __future__ import annotations

import logging
import sys
import uuid

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("jixing.errors")


def new_incident_id() -> str:
    """A short form of a uuid4: 12 hex characters are easy to read out and still unique in practice."""
    return uuid.uuid4().hex[:12]


def incident_id_for(request: HttpRequest) -> str:
    # One id per request: the audit middleware reads the one the error page showed.
    incident: str | None = getattr(request, "incident_id", None)
    if not incident:
        incident = new_incident_id()
        request.incident_id = incident  # type: ignore[attr-defined]  # an attribute of this request only
    return incident


def _render(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    incident = incident_id_for(request)
    body = loader.render_to_string(template, {"incident_id": incident, **context}, request=request)
    response = HttpResponse(body, status=status)
    response["X-Incident-Id"] = incident
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's text is written for the user (domain functions raise PermissionDenied("您无权…")).
    reason = str(exception) if exception is not None and str(exception) else ""
    return _render(request, "403.html", 403, reason=reason)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's reason is English and technical; the user needs to know only what to do.
    return _render(request, "403.html", 403, reason="页面已过期或表单来源无效，请刷新页面后重试。")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    incident = incident_id_for(request)
    # Called while the exception is being handled; the log gets the traceback, the page only the id.
    logger.error(
        "事件 %s：处理 %s %s 时出错", incident, request.method, request.path, exc_info=sys.exc_info()
    )
    # Rendered without the request's context processors: they read the database, which may be what failed.
    body = loader.render_to_string("500.html", {"incident_id": incident})
    response = HttpResponse(body, status=500)
    response["X-Incident-Id"] = incident
    return response
