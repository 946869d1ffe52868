"""Province admins bind an authenticator only with a one-time enrolment code, never with the password
alone (jixing/accounts/domain/enrolment.py)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.domain.enrolment import (
    EnrolmentRefused,
    issue_enrolment_code,
    normalise_code,
)
from jixing.accounts.enums import UserRole
from jixing.accounts.models import EnrolmentCode
from jixing.audit.models import AuditEvent
from tests.accounts.flows import current_code, password_login
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db

SETUP, CODES = reverse("accounts:2fa_setup"), reverse("accounts:enrolment_codes")
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def tree():
    return make_small_province()


@pytest.fixture
def admin(tree):
    return make_user(username="prov", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True)


@pytest.fixture
def colleague(tree):
    return make_user(username="prov2", role=UserRole.PROVINCE_ADMIN, org=tree["province"], full_name="李华")


def test_enrolment_page_shows_no_key_without_a_code(client, admin):
    password_login(client, "prov")
    page = client.get(SETUP).content.decode()
    assert "绑定码" in page and "<svg" not in page and "<code>" not in page
    # A token posted straight away is taken for a missing code: nothing is bound, no device exists.
    response = client.post(SETUP, {"token": "123456"})
    assert "请输入运维人员或其他省平台管理员提供的绑定码" in response.content.decode()
    assert TOTPDevice.objects.count() == 0
    assert client.get("/").status_code == 302


def test_enrolment_wrong_code_binds_nothing_and_is_audited(client, admin):
    issue_enrolment_code(user=admin)
    password_login(client, "prov")
    response = client.post(SETUP, {"code": "ABCD-EFGH-JKMN"})
    assert "绑定码不正确、已使用或已过期" in response.content.decode()
    assert TOTPDevice.objects.count() == 0
    assert AuditEvent.objects.filter(action="2fa_code_failed", actor=admin).count() == 1


def test_enrolment_code_opens_the_key_once_in_one_session(client, admin):
    issued = issue_enrolment_code(user=admin)
    password_login(client, "prov")
    assert client.post(SETUP, {"code": issued.code})["Location"] == SETUP
    assert "<svg" in client.get(SETUP).content.decode()
    # Another session with the same password and the same code gets no key: the code is spent.
    other = Client()
    password_login(other, "prov")
    response = other.post(SETUP, {"code": issued.code})
    assert "绑定码不正确、已使用或已过期" in response.content.decode()
    assert "<svg" not in other.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=admin)
    assert other.post(SETUP, {"token": current_code(device)}).status_code == 200
    assert TOTPDevice.objects.get(user=admin).confirmed is False
    assert EnrolmentCode.objects.get().used_at is not None


def test_enrolment_code_expires_after_72_hours(client, admin):
    issued = issue_enrolment_code(user=admin, now=timezone.now() - timedelta(hours=72, seconds=1))
    password_login(client, "prov")
    assert "已过期" in client.post(SETUP, {"code": issued.code}).content.decode()
    assert TOTPDevice.objects.count() == 0


def test_enrolment_code_is_kept_only_as_a_hash(admin):
    issued = issue_enrolment_code(user=admin)
    row = EnrolmentCode.objects.get()
    raw = normalise_code(issued.code)
    assert raw not in row.code_hash and issued.code not in row.code_hash
    assert check_password(raw, row.code_hash)
    assert row.expires_at - row.issued_at == timedelta(hours=72)


def test_enrolment_code_typed_in_lower_case_with_blanks_is_accepted(client, admin):
    issued = issue_enrolment_code(user=admin)
    password_login(client, "prov")
    typed = " " + issued.code.lower().replace("-", " ") + " "
    assert client.post(SETUP, {"code": typed})["Location"] == SETUP


def test_enrolment_new_code_voids_the_earlier_one(client, admin):
    first = issue_enrolment_code(user=admin)
    issue_enrolment_code(user=admin)
    password_login(client, "prov")
    assert "绑定码不正确" in client.post(SETUP, {"code": first.code}).content.decode()


def test_enrolment_code_refused_for_other_roles_and_bound_admins(tree, admin):
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    with pytest.raises(EnrolmentRefused, match="不是在用的省平台管理员账号"):
        issue_enrolment_code(user=reviewer)
    TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    with pytest.raises(EnrolmentRefused, match="已绑定身份验证器"):
        issue_enrolment_code(user=admin)
    assert EnrolmentCode.objects.count() == 0


def test_enrolment_code_issued_in_the_app_only_by_a_bound_province_admin(admin, colleague):
    with pytest.raises(EnrolmentRefused, match="只有已绑定身份验证器的省平台管理员"):
        issue_enrolment_code(user=colleague, actor=admin)  # admin has no authenticator yet
    TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    assert issue_enrolment_code(user=colleague, actor=admin).code


def test_issue_enrolment_code_command_prints_a_code_that_enrols(client, admin, capsys):
    call_command("issue_enrolment_code", "prov")
    out = capsys.readouterr().out
    assert "prov 的身份验证器绑定码：" in out and "前有效，只能使用一次" in out
    code = CODE.search(out)[0]
    event = AuditEvent.objects.get(action="2fa_code_issued")
    assert (event.actor, event.target_id, code in event.summary) == (None, str(admin.pk), False)
    password_login(client, "prov")
    client.post(SETUP, {"code": code})
    device = TOTPDevice.objects.get(user=admin)
    assert client.post(SETUP, {"token": current_code(device), "next": "/"})["Location"] == "/"
    assert client.get("/").templates[0].name == "portal/home.html"


def test_issue_enrolment_code_command_refuses_in_chinese(tree, admin):
    with pytest.raises(CommandError, match="账号不存在：nobody"):
        call_command("issue_enrolment_code", "nobody")
    make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    with pytest.raises(CommandError, match="无需绑定身份验证器"):
        call_command("issue_enrolment_code", "ty")


def test_enrolment_codes_page_issues_a_code_for_a_colleague(client, admin, colleague):
    client.force_login(admin)  # verified, with a device (tests/conftest.py)
    page = client.get(CODES).content.decode()
    assert "prov2" in page and "未绑定" in page
    response = client.post(CODES, {"user": colleague.pk})
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    code = CODE.search(body)[0]
    assert "已为 <strong>李华</strong>（prov2）签发绑定码" in body
    event = AuditEvent.objects.get(action="2fa_code_issued")
    assert (event.actor, event.target_id) == (admin, str(colleague.pk))
    # The colleague uses it.
    other = Client()
    password_login(other, "prov2")
    assert other.post(SETUP, {"code": code})["Location"] == SETUP
    assert "未绑定，绑定码" not in client.get(CODES).content.decode()  # spent


def test_enrolment_codes_page_refuses_a_colleague_already_bound(client, admin, colleague):
    TOTPDevice.objects.create(user=colleague, name="手机", confirmed=True)
    client.force_login(admin)
    assert "已绑定" in client.get(CODES).content.decode()
    for value in (colleague.pk, admin.pk, "²", "1e3", ""):
        response = client.post(CODES, {"user": value})
        assert response.status_code == 200
        assert not CODE.search(response.content.decode())
    assert EnrolmentCode.objects.count() == 0


def test_enrolment_codes_page_queries_do_not_grow_with_admins(client, tree, admin):
    client.force_login(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CODES).status_code == 200
        return len(captured)

    make_user(username="p1", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    one = queries()
    for name in ("p2", "p3"):
        colleague = make_user(username=name, role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    issue_enrolment_code(user=colleague)
    assert queries() == one
