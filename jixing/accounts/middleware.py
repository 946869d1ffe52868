"""Two checks on every logged-in request, after authentication:

- SessionTimeoutMiddleware ends sessions idle for 30 minutes or older than 12 hours (domain/sessions.py);
- AccountGateMiddleware sends a province admin who has not passed the second factor to the TOTP pages,
  and (strict mode) a user whose password is older than 90 days to the change-password page: until then
  every other page, /admin/ included, answers with that redirect.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from jixing.accounts.domain.passwords import is_password_expired
from jixing.accounts.domain.second_factor import confirmed_device, requires_second_factor
from jixing.accounts.domain.sessions import MESSAGES, session_end, touch
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.security.net import client_ip

Handler = Callable[[HttpRequest], HttpResponse]


def _send(request: HttpRequest, url: str, *, keep_next: bool = True) -> HttpResponse:
    """Redirect, or for an htmx request ask htmx to load the page (a plain redirect would be followed by
    the XHR and its target swapped into a fragment of the page)."""
    if keep_next and request.method == "GET" and not request.headers.get("HX-Request"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Reading the user id from the session costs no query; anonymous requests stop here.
        if SESSION_KEY in request.session:
            now = time.time()
            end = session_end(request.session, now=now)
            if end is not None:
                user = request.user
                if user.is_authenticated:
                    record_event(
                        action=AuditAction.SESSION_EXPIRED, actor=user, target=user, summary=MESSAGES[end][:60],
                        ip=client_ip(request),
                    )  # fmt: skip
                request.session.flush()  # server-side: the old session key no longer exists
                request.user = AnonymousUser()
                messages.info(request, MESSAGES[end])
                return _send(request, reverse("login"))
            touch(request.session, now=now)
        return self.get_response(request)


class AccountGateMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def _paths(self) -> tuple[set[str], set[str]]:
        # Reversed per request (cheap, cached by the resolver): the URLconf may differ between tests.
        always = {reverse("login"), reverse("logout")}
        second = always | {reverse("accounts:2fa_setup"), reverse("accounts:2fa_verify")}
        password = always | {reverse("accounts:password_change")}
        return second, password

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            second_factor_paths, password_paths = self._paths()
            if requires_second_factor(user) and not user.is_verified():
                if request.path_info not in second_factor_paths:
                    page = "accounts:2fa_verify" if confirmed_device(user) else "accounts:2fa_setup"
                    return _send(request, reverse(page))
            elif is_password_expired(user) and request.path_info not in password_paths:
                days = settings.PASSWORD_MAX_AGE_DAYS
                messages.warning(request, f"您的密码已使用超过 {days} 天，请先修改密码。")
                return _send(request, reverse("accounts:password_change"), keep_next=False)
        return self.get_response(request)
