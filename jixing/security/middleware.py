"""Every refused request (403) becomes an audit event."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from jixing.audit.domain.events import record_event
from jixing.security.net import client_ip
from jixing.security.views import incident_id_for


class AccessDeniedAuditMiddleware:
    """Records `access_denied` with path, user and address for every 403 response, whether it came from
    PermissionDenied (handler403), a CSRF failure or a view returning HttpResponseForbidden.

    It sees the response after the view has returned: any transaction of the view (ATOMIC_REQUESTS, or the
    view's own atomic block that PermissionDenied left) has already rolled back, so the event is written in
    a transaction of its own and survives that rollback.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            self._record(request, response)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        incident = response.get("X-Incident-Id") or incident_id_for(request)
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
        with transaction.atomic():
            record_event(
                action="access_denied",
                actor=actor,
                summary=f"拒绝访问 {request.method} {request.path}（事件 {incident}）",
                after={"path": request.path, "method": request.method, "incident": incident},
                ip=client_ip(request),
            )
