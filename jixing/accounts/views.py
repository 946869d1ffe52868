"""Login, the second factor and password change: each view parses, calls one domain function, renders."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from jixing.accounts.domain.enrolment import (
    issue_enrolment_code,
    province_admins_for_codes,
    redeem_enrolment_code,
)
from jixing.accounts.domain.provisioning import record_password_change
from jixing.accounts.domain.second_factor import (
    check_token,
    confirm_enrolment,
    confirmed_device,
    locked_until,
    manual_key,
    open_enrolment,
    requires_second_factor,
)
from jixing.accounts.forms import (
    EnrolmentCodeForm,
    IssueCodeForm,
    LoginForm,
    StrictPasswordChangeForm,
    TokenForm,
)
from jixing.http import AuthedRequest
from jixing.refusals import Refused
from jixing.security.net import client_ip

login = auth_views.LoginView.as_view(template_name="portal/login.html", authentication_form=LoginForm)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only: redirect() would read a bare word ("²", "home") as a URL name to reverse.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


def _passed(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    # The session has just gained rights: give it a new id, as Django does at password login.
    request.session.cycle_key()
    return redirect(_next_url(request))


# The unconfirmed device that an enrolment code opened in this session (domain/enrolment.py).
ENROLMENT_DEVICE = "jixing_enrolment_device"


def _enrolment_code_step(request: AuthedRequest) -> HttpResponse:
    """No key is shown before a valid one-time enrolment code: the password alone binds nothing."""
    form = EnrolmentCodeForm(request.POST or None)
    if form.is_valid():
        device = redeem_enrolment_code(
            user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if device is not None:
            request.session[ENROLMENT_DEVICE] = device.pk
            return redirect(request.get_full_path())
        form.add_error("code", "绑定码不正确、已使用或已过期。请核对，或请运维人员重新签发。")
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": _next_url(request)})


@login_required
@never_cache
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not requires_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if confirmed_device(user) is not None:
        return redirect(f"{reverse('accounts:2fa_verify')}?{request.GET.urlencode()}")
    device = open_enrolment(user, request.session.get(ENROLMENT_DEVICE))
    if device is None:
        return _enrolment_code_step(request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if confirm_enrolment(device=device, token=form.cleaned_data["token"], ip=client_ip(request)):
            request.session.pop(ENROLMENT_DEVICE, None)
            messages.success(request, "身份验证器已绑定。今后每次登录都需要输入其上的动态验证码。")
            return _passed(request, device)
        form.add_error("token", "验证码不正确。请确认手机时间准确，并输入当前显示的 6 位数字。")
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, light="#fff", title="绑定二维码"
    )
    context = {"form": form, "qr_svg": qr, "manual_key": manual_key(device), "next": _next_url(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not requires_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    device = confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('accounts:2fa_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        wait = locked_until(device)
        if wait is not None:
            when = timezone.localtime(wait).strftime("%H:%M:%S")
            form.add_error("token", f"验证码错误次数过多，请于 {when} 后再试。")
        elif check_token(device=device, token=form.cleaned_data["token"], ip=client_ip(request)):
            return _passed(request, device)
        else:
            form.add_error("token", "验证码不正确，请输入身份验证器上当前显示的 6 位数字。")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StrictPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session logged in
        record_password_change(self.request.user, ip=client_ip(self.request))
        messages.success(self.request, "密码已修改。")
        return response


password_change = PasswordChangeView.as_view()


@login_required
@never_cache
def enrolment_codes(request: AuthedRequest) -> HttpResponse:
    """A province admin issues a one-time enrolment code for another province admin (a new colleague, or
    one whose phone was reset). The code is shown in this response only, never again."""
    user = request.user
    if not user.is_province_admin:
        raise PermissionDenied("只有省平台管理员可以签发身份验证器绑定码")
    admins = province_admins_for_codes(user)
    form = IssueCodeForm(request.POST or None, candidates=admins.filter(has_device=False))
    issued = None
    if form.is_valid():
        target = form.cleaned_data["user"]
        try:
            code = issue_enrolment_code(user=target, actor=user, ip=client_ip(request))
        except Refused as exc:
            form.add_error("user", str(exc))
        else:
            issued = {"user": target, "code": code.code, "expires_at": code.expires_at}
            admins = province_admins_for_codes(user)  # the list shows the new code's expiry
    context = {"admins": admins, "form": form, "issued": issued}
    return render(request, "accounts/enrolment_codes.html", context)
