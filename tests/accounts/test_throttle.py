from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jixing.accounts.domain.throttle import (
    LoginLock,
    clear_login_failures,
    login_lock,
    record_login_failure,
)
from jixing.accounts.models import LoginFailure
from jixing.audit.models import AuditEvent
from jixing.security.net import client_ip
from tests.accounts.flows import password_login
from tests.factories import make_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _fail(count: int, *, username: str = "zhang", ip: str = "10.0.0.1", start=T0, step=MINUTE) -> None:
    for i in range(count):
        record_login_failure(username=username, ip=ip, now=start + i * step)


def test_throttle_five_failures_lock_the_account_for_fifteen_minutes():
    _fail(5)  # 01:00 … 01:04
    last = T0 + 4 * MINUTE
    assert login_lock(username="zhang", ip="10.9.9.9", now=T0 + 5 * MINUTE) == LoginLock(
        until=last + 15 * MINUTE, by_address=False
    )
    assert (
        login_lock(username="zhang", ip="10.9.9.9", now=last + 15 * MINUTE - timedelta(seconds=1)) is not None
    )
    assert login_lock(username="zhang", ip="10.9.9.9", now=last + 15 * MINUTE) is None


def test_throttle_four_failures_do_not_lock():
    _fail(4)
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 5 * MINUTE) is None


def test_throttle_counts_only_failures_within_thirty_minutes():
    _fail(5, step=8 * MINUTE)  # 01:00, 01:08, 01:16, 01:24, 01:32
    # At 01:33 the window (01:03, 01:33] holds four of them.
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 33 * MINUTE) is None


def test_throttle_five_failures_from_one_address_lock_it_for_every_account():
    for n, name in enumerate(["a", "b", "c", "d", "e"]):
        record_login_failure(username=name, ip="10.0.0.7", now=T0 + n * MINUTE)
    assert login_lock(username="someone-else", ip="10.0.0.7", now=T0 + 5 * MINUTE) == LoginLock(
        until=T0 + 19 * MINUTE, by_address=True
    )
    assert login_lock(username="someone-else", ip="10.0.0.8", now=T0 + 5 * MINUTE) is None


def test_throttle_success_clears_only_its_own_account():
    _fail(4, username="li", ip="10.0.0.7")
    _fail(3, username="zhang", ip="10.0.0.7", start=T0 + 4 * MINUTE)
    clear_login_failures(username="zhang")  # zhang logged in from the same address
    assert login_lock(username="zhang", ip="10.0.0.8", now=T0 + 8 * MINUTE) is None
    # The address still has li's four failures: one more, against any account, locks it.
    record_login_failure(username="wang", ip="10.0.0.7", now=T0 + 8 * MINUTE)
    assert login_lock(username="zhang", ip="10.0.0.7", now=T0 + 9 * MINUTE) == LoginLock(
        until=T0 + 23 * MINUTE, by_address=True
    )


def test_throttle_case_and_blanks_do_not_make_another_account():
    for n, name in enumerate(["Zhang", "zhang ", "ZHANG", "zhang", " zhang"]):
        record_login_failure(username=name, ip=f"10.0.1.{n}", now=T0 + n * MINUTE)
    assert login_lock(username="zhang", ip="10.0.2.1", now=T0 + 5 * MINUTE) is not None


def test_throttle_prunes_failures_older_than_a_day():
    _fail(2)
    record_login_failure(username="li", ip="10.0.0.2", now=T0 + timedelta(days=1, minutes=2))
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["li"]


def test_login_page_locks_after_five_wrong_passwords(client):
    make_user(username="zhang")
    for _ in range(4):
        body = password_login(client, "zhang", "wrong-password").content.decode()
        assert "账号或密码不正确" in body
    fifth = password_login(client, "zhang", "wrong-password").content.decode()
    last = LoginFailure.objects.latest("at").at
    until = timezone.localtime(last + timedelta(minutes=15, seconds=59)).strftime("%H:%M")
    assert f"登录失败次数过多，此账号已被暂时锁定 15 分钟，请于 {until} 后再试。" in fifth
    # Even the right password is refused while locked, and is neither checked nor counted.
    response = password_login(client, "zhang")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "已被暂时锁定" in response.content.decode()
    assert LoginFailure.objects.count() == 5
    assert AuditEvent.objects.filter(action="login_failed").count() == 5


def test_login_page_success_clears_the_accounts_failures(client):
    make_user(username="zhang")
    for _ in range(4):
        password_login(client, "zhang", "wrong-password")
    assert password_login(client, "zhang").status_code == 302
    assert LoginFailure.objects.count() == 0


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.1.1.1"
    settings.JIXING_PROXY_COUNT = 1
    # The client may write anything left of what our one proxy appended.
    assert client_ip(request) == "203.0.113.9"
    settings.JIXING_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
