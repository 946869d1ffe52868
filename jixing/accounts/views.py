"""Login, the second factor and password change: each view parses, calls one domain function, renders."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from jixing.accounts.domain.second_factor import (
    check_token,
    confirm_enrolment,
    confirmed_device,
    enrolment_device,
    locked_until,
    manual_key,
    requires_second_factor,
)
from jixing.accounts.forms import LoginForm, StrictPasswordChangeForm, TokenForm
from jixing.audit.domain.events import record_event
from jixing.security.net import client_ip

login = auth_views.LoginView.as_view(template_name="portal/login.html", authentication_form=LoginForm)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


def _passed(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    # The session has just gained rights: give it a new id, as Django does at password login.
    request.session.cycle_key()
    return redirect(_next_url(request))


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not requires_second_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if confirmed_device(user) is not None:
        return redirect(f"{reverse('accounts:2fa_verify')}?{request.GET.urlencode()}")
    device = enrolment_device(user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if confirm_enrolment(device=device, token=form.cleaned_data["token"], ip=client_ip(request)):
            messages.success(request, "身份验证器已绑定。今后每次登录都需要输入其上的动态验证码。")
            return _passed(request, device)
        form.add_error("token", "验证码不正确。请确认手机时间准确，并输入当前显示的 6 位数字。")
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, light="#fff", title="绑定二维码"
    )
    context = {"form": form, "qr_svg": qr, "manual_key": manual_key(device), "next": _next_url(request)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
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
        user = self.request.user
        record_event(
            action="password_changed", actor=user, target=user, summary="修改密码", ip=client_ip(self.request)
        )
        messages.success(self.request, "密码已修改。")
        return response


password_change = PasswordChangeView.as_view()
