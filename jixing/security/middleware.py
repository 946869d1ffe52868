"""Every refused request (403) becomes an audit event; responses to signed-in users are never stored."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
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
                action=AuditAction.ACCESS_DENIED,
                actor=actor,
                summary=f"拒绝访问 {request.method} {request.path}（事件 {incident}）",
                after={"path": request.path, "method": request.method, "incident": incident},
                ip=client_ip(request),
            )


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user, and on every answer
    to a POST (the public objection form echoes what was typed).

    Nearly every signed-in page shows personal data — nominations, learner lists, phone numbers of
    objections, import results, evidence downloads — so marking them all is safer than a decorator
    each view must remember: a browser's cache, its back button after logout or a shared proxy never
    keeps them. Static files (served before this runs) and anonymous public pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or request.method not in ("GET", "HEAD", "OPTIONS"):
            patch_cache_control(response, no_store=True, private=True)
        return response
