"""学员首次使用：认领账号 — the page linked from the login page (domain/claim.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from jixing.accounts.claim_forms import ClaimForm
from jixing.accounts.domain.claim import ClaimRefused, claim_account
from jixing.security.net import client_ip


@sensitive_post_parameters("id_number", "password1", "password2")
@never_cache
def claim(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: claim (domain/claim.py); on success the new account is logged in and sent home,
    where its own application starts. A signed-in user has an account already: home."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ClaimForm(request.POST or None)
    if form.is_valid():
        try:
            user = claim_account(request=form.claim_request(), ip=client_ip(request))
        except ClaimRefused as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"账号已开通。今后请用学号 {user.username} 和刚设置的密码登录，可在“申报”中本人申报。",
            )
            return redirect("portal:home")
    return render(request, "accounts/claim.html", {"form": form})
