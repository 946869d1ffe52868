"""账号管理: the accounts a province admin or a reporting unit's reviewer looks after (disable, enable,
reset the password), and the province's 账号 import and generation from the org tree.

New passwords leave the server once, as the response to the POST that made them: a zip of account slips
(XLSX and PDF per reporting unit), never a page, never stored (accounts/domain/slips.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jixing.accounts.domain.bulk import import_accounts
from jixing.accounts.domain.generation import generate_org_accounts, missing_accounts
from jixing.accounts.domain.provisioning import IssuedAccount
from jixing.accounts.domain.slips import slips_zip
from jixing.accounts.domain.stewardship import (
    StewardshipRefused,
    accounts_looked_after_by,
    can_look_after_accounts,
    disable_account,
    enable_account,
    reset_password,
)
from jixing.accounts.stewardship_forms import AccountActionForm, AccountFileForm
from jixing.http import AuthedRequest
from jixing.security.downloads import download_response
from jixing.security.net import client_ip
from jixing.security.params import search_text
from jixing.tables import ImportRefused

PAGE_SIZE = 50
# New accounts one request makes: their slips' PDFs are built in the request (about 25 ms a slip here,
# under load), and the server ends a request after 120 s (scripts/serve.sh). More go by batches or by
# the commands, which have no such limit.
WEB_BATCH = 500


def _require_steward(request: AuthedRequest) -> None:
    if not can_look_after_accounts(request.user):
        raise PermissionDenied("只有省平台管理员和报送单位审核员可以管理账号")


def _require_province(request: AuthedRequest) -> None:
    if not request.user.is_province_admin:
        raise PermissionDenied("只有省平台管理员可以导入或生成账号")


def _slips_download(accounts: list[IssuedAccount], *, label: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download_response(
        slips_zip(accounts),
        filename=f"账号单-{label}-{stamp}.zip",
        fallback=f"account-slips-{stamp}.zip",
        content_type="application/zip",
    )


@login_required
def accounts(request: AuthedRequest) -> HttpResponse:
    """The accounts the user looks after, searchable by 用户名, 姓名, 组织名称 or 组织编码, 50 a page."""
    _require_steward(request)
    rows = accounts_looked_after_by(request.user).order_by("org__path", "role", "username")
    q = search_text(request.GET.get("q"))
    if q:
        rows = rows.filter(
            Q(username__startswith=q) | Q(full_name__contains=q) | Q(org__name__contains=q)
            | Q(org__code__startswith=q)
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "missing": missing_accounts() if request.user.is_province_admin else None,
        "batch": WEB_BATCH,
    }
    return render(request, "accounts/accounts.html", context)


@login_required
@require_POST
@never_cache
def account_act(request: AuthedRequest) -> HttpResponse:
    """停用 / 启用 an account, or 重置密码 (the answer is the new slip)."""
    _require_steward(request)
    form = AccountActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accounts:accounts")
    account = get_object_or_404(accounts_looked_after_by(request.user), pk=form.cleaned_data["account"])
    action, ip = form.cleaned_data["action"], client_ip(request)
    try:
        if action == "reset":
            issued = reset_password(account, actor=request.user, ip=ip)
            return _slips_download([issued], label=f"{account.username}-重置密码")
        if action == "disable":
            done = disable_account(account, actor=request.user, ip=ip)
            messages.success(request, f"已停用账号 {account.username}。" if done else "此账号已是停用状态。")
        else:
            done = enable_account(account, actor=request.user, ip=ip)
            messages.success(request, f"已启用账号 {account.username}。" if done else "此账号已是启用状态。")
    except StewardshipRefused as exc:
        messages.error(request, str(exc))
    return redirect("accounts:accounts")


@login_required
@never_cache
def accounts_import(request: AuthedRequest) -> HttpResponse:
    """Upload a 账号 file: the answer is the zip of the new accounts' slips, or the page with every problem."""
    _require_province(request)
    form = AccountFileForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_accounts(
                form.cleaned_data["file"], actor=request.user, ip=client_ip(request), max_new=WEB_BATCH
            )
        except ImportRefused as exc:
            refusal = exc
        else:
            if result.created:
                return _slips_download(result.created, label="导入")
            messages.info(request, f"{result.summary}。文件中的账号均已存在，未生成账号单。")
            return redirect("accounts:accounts_import")
    return render(request, "accounts/accounts_import.html", {"form": form, "refusal": refusal})


@login_required
@require_POST
@never_cache
def accounts_generate(request: AuthedRequest) -> HttpResponse:
    """按组织架构生成账号: the answer is the zip of the new accounts' slips, or back to the list."""
    _require_province(request)
    result = generate_org_accounts(actor=request.user, ip=client_ip(request), limit=WEB_BATCH)
    if result.created:
        return _slips_download(result.created, label="按组织架构生成")
    messages.info(request, "组织架构所需的账号均已存在，未新建账号。")
    return redirect("accounts:accounts")
