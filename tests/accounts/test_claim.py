"""A learner claims his account (issue 13, item 2): 学号, 姓名 and 身份证号 against the snapshot's keyed hash,
one message for every mismatch, each counted by the claim's throttle, nothing typed stored in clear."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from jixing.accounts.domain.claim import (
    ALREADY_CLAIMED,
    MISMATCH,
    ClaimRefused,
    ClaimRequest,
    claim_account,
    claim_lock,
)
from jixing.accounts.enums import UserRole
from jixing.accounts.models import ClaimFailure, LoginFailure, User
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.people.domain.imports import import_snapshot
from jixing.people.domain.queries import learners_visible_to
from jixing.people.models import Snapshot
from tests.factories import make_small_province
from tests.files import LEARNER_HEADER, csv_file, id_number

# Synthetic numbers: current Shanxi district codes (小店区, 平城区, 城区 of 长治), births 1958–2003, check digit
# right (stdnum), as the demo makes them.
WANG_ID = id_number("14010519870312123")
ZHAO_ID = id_number("14021319580704202")
LIU_ID = id_number("14040320030219331")
ROWS = [
    ["61234567", "王晓明", "10000000001", WANG_ID, "TY-QX-S1-D1", "36512", "12840", "2315"],
    ["61234568", "赵丽", "10000000002", ZHAO_ID, "TY-QX-S1", "21408", "9120", ""],
    ["61234569", "刘洋", "10000000003", "", "DT-S2", "1000", "800", ""],  # exported without an ID number
]
PASSWORD = "晋星-学习-2026"
IP = "10.0.0.1"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def world():
    tree = make_small_province()
    import_snapshot(
        csv_file([LEARNER_HEADER, *ROWS]), name="基准积分", taken_at=datetime(2023, 1, 3, tzinfo=UTC)
    )
    return tree


def wang(**changes: str) -> ClaimRequest:
    fields = {"account_id": "61234567", "name": "王晓明", "id_number": WANG_ID, "password": PASSWORD}
    return ClaimRequest(**{**fields, **changes})


# One of each kind of mismatch: another person's valid ID, another name, a 学号 the snapshot lacks, and the
# learner exported without an ID number typing one.
MISMATCHES = {
    "wrong_id": wang(id_number=ZHAO_ID),
    "wrong_name": wang(name="王晓红"),
    "unknown_account": wang(account_id="69999999"),
    "no_id_in_snapshot": ClaimRequest(
        account_id="61234569", name="刘洋", id_number=LIU_ID, password=PASSWORD
    ),
}


def refusal(request: ClaimRequest, *, ip: str | None = IP, now: datetime | None = None) -> ClaimRefused:
    with pytest.raises(ClaimRefused) as caught:
        claim_account(request=request, ip=ip, now=now)
    return caught.value


@pytest.mark.django_db
def test_claim_makes_a_learner_account_of_his_unit_with_an_audit_event(world):
    user = claim_account(request=wang(), ip=IP)

    assert (user.username, user.account_id, user.role, user.full_name) == (
        "61234567",
        "61234567",
        UserRole.LEARNER,
        "王晓明",
    )
    assert user.org == world["school"]  # his unit, not the department his row sits in
    assert user.check_password(PASSWORD) and user.is_active
    assert list(learners_visible_to(user).values_list("account_id", flat=True)) == ["61234567"]
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CLAIMED)
    assert (event.actor_id, event.target_id, event.ip) == (user.pk, str(user.pk), IP)
    assert event.summary == "学员认领账号：王晓明（学号 61234567），清徐县第一中学"


@pytest.mark.django_db
def test_claim_accepts_the_name_and_number_as_people_type_them(world):
    user = claim_account(request=wang(account_id=" 61234567 ", name="王 晓明"), ip=IP)
    assert user.username == "61234567"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(MISMATCHES))
def test_claim_every_kind_of_mismatch_gets_the_same_message_and_is_counted(world, kind):
    refused = refusal(MISMATCHES[kind])

    assert refused.message == MISMATCH
    assert ClaimFailure.objects.count() == 1
    assert not User.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_CLAIM_FAILED)
    assert event.summary == f"认领账号核验未通过：学号 {MISMATCHES[kind].account_id}"


@pytest.mark.django_db
def test_claim_without_a_current_snapshot_is_a_mismatch_like_any_other(world):
    Snapshot.objects.update(is_current=False)
    assert refusal(wang()).message == MISMATCH
    assert ClaimFailure.objects.count() == 1 and not User.objects.exists()


@pytest.mark.django_db
def test_claim_five_failures_lock_the_account_id_at_that_address_even_for_the_right_details(world):
    kinds = ["wrong_id", "wrong_name", "wrong_id", "wrong_name", "wrong_id"]
    for i, kind in enumerate(kinds[:4]):
        assert refusal(MISMATCHES[kind], now=T0 + i * MINUTE).message == MISMATCH
    # The fifth failure locks, and says so with the same words for the mismatch.
    fifth = refusal(MISMATCHES[kinds[4]], now=T0 + 4 * MINUTE)
    assert fifth.message.startswith(MISMATCH) and "认领已暂停 15 分钟" in fifth.message
    assert fifth.locked_until == T0 + 4 * MINUTE + 15 * MINUTE

    locked = refusal(wang(), now=T0 + 5 * MINUTE)  # the right details, refused unchecked and not counted
    assert locked.message == "核验未通过的次数过多，为保护学员信息，认领已暂停 15 分钟，请于 09:19 后再试。"
    assert ClaimFailure.objects.count() == 5 and not User.objects.exists()
    # Another address is not locked for this 学号, and the lock ends after 15 minutes.
    assert claim_lock(account_id="61234567", ip="10.0.0.2", now=T0 + 5 * MINUTE) is None
    assert claim_lock(account_id="61234567", ip=IP, now=T0 + 19 * MINUTE) is None
    assert claim_account(request=wang(), ip=IP, now=T0 + 19 * MINUTE).username == "61234567"


@pytest.mark.django_db
def test_claim_unknown_account_ids_count_alike(world):
    for i in range(5):
        refusal(MISMATCHES["unknown_account"], now=T0 + i * MINUTE)
    assert claim_lock(account_id="69999999", ip=IP, now=T0 + 5 * MINUTE) == T0 + 19 * MINUTE


@pytest.mark.django_db
def test_claim_ten_failures_from_many_addresses_lock_the_account_id_everywhere(world):
    for i in range(10):
        refusal(MISMATCHES["wrong_id"], ip=f"10.0.1.{i}", now=T0 + i * MINUTE)
    assert claim_lock(account_id="61234567", ip="10.0.2.1", now=T0 + 10 * MINUTE) == T0 + 24 * MINUTE
    assert "认领已暂停" in refusal(wang(), ip="10.0.2.1", now=T0 + 10 * MINUTE).message
    assert claim_lock(account_id="61234568", ip="10.0.2.1", now=T0 + 10 * MINUTE) is None


@pytest.mark.django_db
def test_claim_thirty_failures_lock_the_address_for_every_account_id(world):
    for i in range(30):
        wrong = wang(account_id=f"7{i:07d}")  # a new 学号 each time: no pair or 学号 limit is reached
        refusal(wrong, now=T0 + i * timedelta(seconds=30))
    now = T0 + 15 * MINUTE
    assert "认领已暂停" in refusal(wang(), now=now).message
    assert claim_account(request=wang(), ip="10.0.0.2", now=now).username == "61234567"


@pytest.mark.django_db
def test_claim_failures_do_not_touch_the_login_throttle(world):
    for i in range(5):
        refusal(MISMATCHES["wrong_id"], now=T0 + i * MINUTE)
    assert LoginFailure.objects.count() == 0


@pytest.mark.django_db
def test_claim_a_claimed_account_id_is_refused_without_telling_more_than_needed(world):
    claim_account(request=wang(), ip=IP)

    assert refusal(wang(password="另一个-密码-2026")).message == ALREADY_CLAIMED
    # Whoever does not know all three learns nothing, not even that the account exists.
    assert refusal(wang(id_number=ZHAO_ID)).message == MISMATCH
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_claim_an_account_id_taken_by_another_learner_account_is_refused(world):
    User.objects.create_user(
        username="wxm", password="单位代开-密码-2026", role=UserRole.LEARNER, account_id="61234567"
    )
    assert refusal(wang()).message == ALREADY_CLAIMED
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_claim_sent_twice_makes_one_account_and_the_second_gets_it_too(world):
    first = claim_account(request=wang(), ip=IP)
    second = claim_account(request=wang(), ip=IP)
    assert first == second and User.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CLAIMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_claim_two_taps_at_the_same_moment_make_one_account(world):
    barrier = threading.Barrier(2)
    made: list[int] = []
    errors: list[BaseException] = []

    def tap() -> None:
        try:
            barrier.wait(timeout=10)
            made.append(claim_account(request=wang(), ip=IP).pk)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(made) == 2 and made[0] == made[1]
    assert User.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_CLAIMED).count() == 1


@pytest.mark.django_db
def test_claim_stores_no_id_number_and_no_mistyped_name_anywhere(world):
    claim_account(request=wang(), ip=IP)
    refusal(MISMATCHES["wrong_id"], ip="10.0.0.2")
    refusal(wang(account_id="61234568", name="赵莉莉"), ip="10.0.0.3")

    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — table names from the database itself
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                for secret in (WANG_ID, ZHAO_ID, WANG_ID[6:14], ZHAO_ID[6:14], "赵莉莉", PASSWORD):
                    if secret in text:
                        found.append((table, secret))
    assert found == []


# The page.


def post(client: Client, **changes: str):
    body = {
        "account_id": "61234567",
        "name": "王晓明",
        "id_number": WANG_ID,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("accounts:claim"), {**body, **changes}, REMOTE_ADDR=IP)


def test_claim_page_is_linked_from_the_login_page(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accounts:claim")}"' in page and "学员首次使用：认领账号" in page


@pytest.mark.django_db
def test_claim_page_asks_for_the_three_and_a_password(client):
    page = client.get(reverse("accounts:claim"))
    assert page.status_code == 200
    assert list(page.context["form"].fields) == ["account_id", "name", "id_number", "password1", "password2"]
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


@pytest.mark.django_db
def test_claim_page_logs_the_new_learner_in_and_sends_him_home(world, client):
    response = post(client)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.context["user"].username == "61234567"
    assert "账号已开通。今后请用学号 61234567 和刚设置的密码登录" in home.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor__username="61234567").exists()


@pytest.mark.django_db
def test_claim_page_shows_one_message_for_every_mismatch(world, client):
    pages = {
        "wrong_id": post(client, id_number=ZHAO_ID),
        "wrong_name": post(client, name="王晓红"),
        "unknown_account": post(client, account_id="69999999"),
    }
    for response in pages.values():
        form = response.context["form"]
        assert response.status_code == 200
        assert form.non_field_errors() == [MISMATCH]
        assert {name: errors for name, errors in form.errors.items() if name != "__all__"} == {}
    assert ClaimFailure.objects.count() == 3 and not User.objects.exists()


@pytest.mark.django_db
def test_claim_page_after_five_mismatches_refuses_the_right_details(world, client):
    for wrong in ["王晓红", "王小明", "王晓", "王明", "晓明"]:
        post(client, name=wrong)
    response = post(client)
    assert "认领已暂停 15 分钟" in response.context["form"].non_field_errors()[0]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_claim_page_tells_a_malformed_id_number_by_itself_without_counting_it(world, client):
    response = post(client, id_number=WANG_ID[:-1] + ("0" if WANG_ID[-1] != "0" else "1"))
    assert response.context["form"].errors == {"id_number": ["身份证号校验位不正确，请核对。"]}
    assert post(client, id_number="1401").context["form"].errors == {
        "id_number": ["身份证号应为 18 位，请核对。"]
    }
    assert ClaimFailure.objects.count() == 0


@pytest.mark.django_db
def test_claim_page_refuses_an_id_number_typed_as_the_account_id_and_keeps_nothing(world, client):
    response = post(client, account_id=WANG_ID)
    assert response.context["form"].errors == {
        "account_id": ["这里请填写学号，不是身份证号。学号可在学习平台或积分导出表中查到。"]
    }
    assert ClaimFailure.objects.count() == 0
    assert not AuditEvent.objects.filter(summary__contains=WANG_ID).exists()


@pytest.mark.django_db
def test_claim_page_asks_for_a_good_password_twice(world, client):
    different = post(client, password2=PASSWORD + "x").context["form"].errors
    assert different == {"password2": ["两次输入的密码不一致。"]}
    weak = post(client, password1="12345678", password2="12345678").context["form"].errors
    assert list(weak) == ["password1"]
    assert not User.objects.exists() and ClaimFailure.objects.count() == 0


@pytest.mark.django_db
def test_claim_page_double_submit_makes_one_account(world):
    first, second = Client(), Client()
    assert post(first).status_code == 302
    assert post(second).status_code == 302  # the same form again: it is his account, he is let in
    assert User.objects.count() == 1
    assert second.get(reverse("portal:home")).context["user"].username == "61234567"


@pytest.mark.django_db
def test_claim_page_sends_a_signed_in_user_home(world, client):
    user = claim_account(request=wang(), ip=IP)
    client.force_login(user)
    response = client.get(reverse("accounts:claim"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
