from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jixing.accounts.domain.throttle import (
    LockKind,
    LoginLock,
    clear_login_failures,
    login_lock,
    record_login_failure,
    slow_down_wait,
)
from jixing.accounts.models import LoginFailure
from jixing.audit.models import AuditEvent
from jixing.security.net import client_ip
from tests.accounts.flows import password_login
from tests.factories import make_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


def _fail(count: int, *, username: str = "zhang", ip: str = "10.0.0.1", start=T0, step=MINUTE) -> None:
    for i in range(count):
        record_login_failure(username=username, ip=ip, now=start + i * step)


def test_throttle_five_failures_lock_the_account_at_that_address_for_fifteen_minutes():
    _fail(5)  # 01:00 … 01:04 from 10.0.0.1
    last = T0 + 4 * MINUTE
    pair = LoginLock(until=last + 15 * MINUTE, kind=LockKind.PAIR)
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 5 * MINUTE) == pair
    assert login_lock(username="zhang", ip="10.0.0.1", now=last + 15 * MINUTE - SECOND) == pair
    assert login_lock(username="zhang", ip="10.0.0.1", now=last + 15 * MINUTE) is None


def test_throttle_locked_pair_leaves_the_account_open_from_another_address():
    _fail(5, ip="10.0.0.1")
    assert login_lock(username="zhang", ip="10.9.9.9", now=T0 + 5 * MINUTE) is None


def test_throttle_four_failures_do_not_lock():
    _fail(4)
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 5 * MINUTE) is None


def test_throttle_counts_only_failures_within_thirty_minutes():
    _fail(5, step=8 * MINUTE)  # 01:00, 01:08, 01:16, 01:24, 01:32
    # At 01:33 the window (01:03, 01:33] holds four of them.
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 33 * MINUTE) is None


def test_throttle_twenty_failures_from_one_address_lock_it_for_every_account():
    for n in range(19):
        record_login_failure(username=f"user{n}", ip="10.0.0.7", now=T0 + n * SECOND)
    assert login_lock(username="someone-else", ip="10.0.0.7", now=T0 + MINUTE) is None
    record_login_failure(username="user19", ip="10.0.0.7", now=T0 + MINUTE)
    assert login_lock(username="someone-else", ip="10.0.0.7", now=T0 + 2 * MINUTE) == LoginLock(
        until=T0 + 16 * MINUTE, kind=LockKind.ADDRESS
    )
    assert login_lock(username="someone-else", ip="10.0.0.8", now=T0 + 2 * MINUTE) is None


def test_throttle_slow_down_waits_double_from_the_fifth_failure_up_to_fifteen_minutes():
    waits = {failures: slow_down_wait(failures) for failures in (0, 4, 5, 6, 7, 10, 11, 12, 500)}
    assert waits == {
        0: timedelta(0),
        4: timedelta(0),
        5: timedelta(seconds=15),
        6: timedelta(seconds=30),
        7: timedelta(minutes=1),
        10: timedelta(minutes=8),
        11: timedelta(minutes=15),
        12: timedelta(minutes=15),
        500: timedelta(minutes=15),
    }


def test_throttle_many_addresses_on_one_account_are_slowed_each():
    # Ten addresses, one wrong password each, a second apart: no pair and no address reaches its lock.
    for n in range(10):
        record_login_failure(username="zhang", ip=f"10.0.1.{n}", now=T0 + n * SECOND)
    now = T0 + 10 * SECOND
    # The account has 10 failures: each of those addresses waits 15 s × 2^5 = 8 minutes after its own.
    assert login_lock(username="zhang", ip="10.0.1.0", now=now) == LoginLock(
        until=T0 + 8 * MINUTE, kind=LockKind.SLOWED
    )
    assert login_lock(username="zhang", ip="10.0.1.9", now=now) == LoginLock(
        until=T0 + 9 * SECOND + 8 * MINUTE, kind=LockKind.SLOWED
    )
    assert login_lock(username="zhang", ip="10.0.1.0", now=T0 + 8 * MINUTE) is None
    # An address that has not failed on the account (the owner elsewhere) is never made to wait, and
    # other accounts are not slowed at all.
    assert login_lock(username="zhang", ip="10.0.2.1", now=now) is None
    assert login_lock(username="li", ip="10.0.1.0", now=now) is None


def test_throttle_a_few_failures_from_several_addresses_do_not_slow_anyone():
    for n in range(4):
        record_login_failure(username="zhang", ip=f"10.0.1.{n}", now=T0 + n * SECOND)
    assert login_lock(username="zhang", ip="10.0.1.0", now=T0 + 4 * SECOND) is None


def test_throttle_success_clears_only_its_own_address():
    _fail(5, ip="10.0.0.66")  # the guesser's address: locked for zhang
    _fail(3, ip="10.0.0.8", start=T0 + 5 * MINUTE)  # the owner mistypes at his own address
    clear_login_failures(username="zhang", ip="10.0.0.8")  # … then gets it right
    assert LoginFailure.objects.filter(ip="10.0.0.8").count() == 0
    assert login_lock(username="zhang", ip="10.0.0.66", now=T0 + 9 * MINUTE) == LoginLock(
        until=T0 + 19 * MINUTE, kind=LockKind.PAIR
    )


def test_throttle_success_keeps_the_addresses_failures_on_other_accounts():
    _fail(4, username="li", ip="10.0.0.7")
    _fail(1, username="zhang", ip="10.0.0.7", start=T0 + 4 * MINUTE)
    clear_login_failures(username="zhang", ip="10.0.0.7")
    assert list(LoginFailure.objects.values_list("username", flat=True).distinct()) == ["li"]


def test_throttle_case_and_blanks_do_not_make_another_account():
    for n, name in enumerate(["Zhang", "zhang ", "ZHANG", "zhang", " zhang"]):
        record_login_failure(username=name, ip="10.0.1.1", now=T0 + n * MINUTE)
    assert login_lock(username="zhang", ip="10.0.1.1", now=T0 + 5 * MINUTE).kind == LockKind.PAIR


def test_throttle_requests_without_an_address_are_counted_together():
    _fail(5, ip=None)
    assert login_lock(username="zhang", ip=None, now=T0 + 5 * MINUTE).kind == LockKind.PAIR
    assert login_lock(username="zhang", ip="10.0.0.1", now=T0 + 5 * MINUTE) is None


def test_throttle_prunes_failures_older_than_a_day():
    _fail(2)
    record_login_failure(username="li", ip="10.0.0.2", now=T0 + timedelta(days=1, minutes=2))
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["li"]


GUESSER, OWNER = {"REMOTE_ADDR": "203.0.113.66"}, {"REMOTE_ADDR": "198.51.100.8"}


def test_login_page_locks_the_account_at_the_address_after_five_wrong_passwords(client):
    make_user(username="zhang")
    for _ in range(4):
        body = password_login(client, "zhang", "wrong-password", **GUESSER).content.decode()
        assert "账号或密码不正确" in body
    fifth = password_login(client, "zhang", "wrong-password", **GUESSER).content.decode()
    last = LoginFailure.objects.latest("at").at
    until = timezone.localtime(last + timedelta(minutes=15, seconds=59)).strftime("%H:%M")
    assert f"登录失败次数过多，此账号在当前网络地址已被暂时锁定 15 分钟，请于 {until} 后再试。" in fifth
    # Even the right password is refused there while locked, and is neither checked nor counted.
    response = password_login(client, "zhang", **GUESSER)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "已被暂时锁定" in response.content.decode()
    assert LoginFailure.objects.count() == 5
    assert AuditEvent.objects.filter(action="login_failed").count() == 5


def test_login_page_owner_elsewhere_logs_in_while_the_guessers_address_stays_locked(client):
    from django.test import Client

    make_user(username="zhang")
    for _ in range(5):
        password_login(client, "zhang", "wrong-password", **GUESSER)
    owner = Client()
    assert password_login(owner, "zhang", **OWNER).status_code == 302
    assert "_auth_user_id" in owner.session
    # The owner's login unlocked nothing for the guesser, not even with the right password.
    response = password_login(client, "zhang", **GUESSER)
    assert "已被暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_many_addresses_on_one_account_are_made_to_wait(client):
    from django.test import Client

    make_user(username="zhang")
    for n in range(8):
        password_login(Client(), "zhang", "wrong-password", REMOTE_ADDR=f"203.0.113.{n}")
    # The sixth address on was already told to wait after its wrong password.
    again = password_login(client, "zhang", "wrong-password", REMOTE_ADDR="203.0.113.0").content.decode()
    assert "此账号近期在多个网络地址登录失败，为保护账号安全，请于" in again
    assert LoginFailure.objects.count() == 8  # the refused try was not counted
    # The owner, from an address that has not failed, is let in at once.
    assert password_login(Client(), "zhang", **OWNER).status_code == 302


def test_login_page_success_clears_the_accounts_failures_at_that_address(client):
    make_user(username="zhang")
    for _ in range(4):
        password_login(client, "zhang", "wrong-password", **OWNER)
    assert password_login(client, "zhang", **OWNER).status_code == 302
    assert LoginFailure.objects.count() == 0


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.1.1.1"
    settings.JIXING_PROXY_COUNT = 1
    # The client may write anything left of what our one proxy appended.
    assert client_ip(request) == "203.0.113.9"
    settings.JIXING_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
