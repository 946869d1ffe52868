"""Checks on every request, after authentication:

- SessionTimeoutMiddleware ends sessions idle for 30 minutes or older than 12 hours (domain/sessions.py);
- HtmxLoginMiddleware sends an htmx request of a signed-out user to the login as a whole page, back to the
  page it came from (an autosave that meets the end of the session: the text is kept in the browser);
- AccountGateMiddleware sends a province admin who has not passed the second factor to the TOTP pages,
  a user still holding an initial or reset password (must_change_password) and (strict mode) a user whose
  password is older than 90 days to the change-password page: until then every other page, /admin/
  included, answers with that redirect.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_htmx.http import HttpResponseClientRedirect

from jixing.accounts.domain.passwords import is_password_expired
from jixing.accounts.domain.second_factor import confirmed_device, requires_second_factor
from jixing.accounts.domain.sessions import MESSAGES, SessionEnd, session_end, touch
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.security.net import client_ip

Handler = Callable[[HttpRequest], HttpResponse]


# Said on the change-password page to whom an account slip's password has let in.
FIRST_PASSWORD = "您使用的是初始密码（或刚重置的密码），请先设置自己的新密码。"
# Said on the login page when a page's background request (an autosave) met the end of the session: the
# form keeps what was typed in this browser (nomination-form.js) and puts it back once it is open again.
KEPT_IN_BROWSER = "登录已过期，内容已暂存在本机。请重新登录，登录后将回到原页面并恢复填写的内容。"


def _sent_in_background(request: HttpRequest) -> bool:
    """A change sent by a page in the background (an htmx POST: autosave, upload), not a page asked for."""
    return bool(request.headers.get("HX-Request")) and request.method == "POST"


def _current_page(request: HttpRequest) -> str | None:
    """The path of the page an htmx request was sent from (HX-Current-URL), if it is one of ours."""
    current = request.headers.get("HX-Current-URL", "")
    parts = urlsplit(current)
    if not current or not url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _send(request: HttpRequest, url: str, *, keep_next: bool = True) -> HttpResponse:
    """Redirect, or for an htmx request ask htmx to load the page (a plain redirect would be followed by
    the XHR and its target swapped into a fragment of the page); `next` is the page the user was on."""
    htmx = bool(request.headers.get("HX-Request"))
    page = _current_page(request) if htmx else (request.get_full_path() if request.method == "GET" else None)
    if keep_next and page:
        url = f"{url}?{urlencode({'next': page})}"
    if htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class HtmxLoginMiddleware:
    """An htmx request of a signed-out user (its session ended or was removed) is sent to the login page
    as a whole page, back to the page it came from, instead of having the login page swapped into a
    fragment (login_required answers a plain redirect, which the XHR would follow)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login = resolve_url(settings.LOGIN_URL)
        if (
            request.headers.get("HX-Request")
            and response.status_code == 302
            and urlsplit(response["Location"]).path == login
            and not request.user.is_authenticated
        ):
            messages.info(
                request, KEPT_IN_BROWSER if _sent_in_background(request) else MESSAGES[SessionEnd.UNSTAMPED]
            )
            return _send(request, login)
        return response


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
                messages.info(request, KEPT_IN_BROWSER if _sent_in_background(request) else MESSAGES[end])
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
            elif user.must_change_password and request.path_info not in password_paths:
                # An initial or reset password (account slips): the user's first page is the change.
                messages.info(request, FIRST_PASSWORD)
                return _send(request, reverse("accounts:password_change"), keep_next=False)
            elif is_password_expired(user) and request.path_info not in password_paths:
                days = settings.PASSWORD_MAX_AGE_DAYS
                messages.warning(request, f"您的密码已使用超过 {days} 天，请先修改密码。")
                return _send(request, reverse("accounts:password_change"), keep_next=False)
        return self.get_response(request)
