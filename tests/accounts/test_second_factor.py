import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.enums import UserRole
from jixing.audit.models import AuditEvent
from tests.accounts.flows import current_code, give_enrolment_code, password_login, verified_login
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db

SETUP, VERIFY = reverse("accounts:2fa_setup"), reverse("accounts:2fa_verify")


@pytest.fixture
def admin():
    tree = make_small_province()
    return make_user(username="prov", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True)


@pytest.fixture
def enrolled(admin):
    return TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)


def test_second_factor_new_province_admin_is_sent_to_enrolment(client, admin):
    assert password_login(client, "prov").status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2F"
    first = client.get(response["Location"]).content.decode()
    assert "请先输入<strong>绑定码</strong>" in first and "<svg" not in first
    give_enrolment_code(client, admin)
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed is False
    assert "<svg" in page and "绑定身份验证器" in page
    assert page.count("<script") == 2  # base.html's htmx and confirm.js only: the QR code is inline SVG


def test_second_factor_enrolment_with_a_valid_code_lets_the_admin_in(client, admin):
    password_login(client, "prov")
    give_enrolment_code(client, admin)
    device = TOTPDevice.objects.get(user=admin)
    before = client.session.session_key
    response = client.post(SETUP, {"token": current_code(device), "next": "/review/imports/"})
    assert response.status_code == 302
    assert response["Location"] == "/review/imports/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session.session_key != before  # new rights, new session id
    assert client.get("/").templates[0].name == "portal/home.html"
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="2fa_enrolled", actor=admin).count() == 1


def test_second_factor_wrong_code_does_not_enrol(client, admin):
    password_login(client, "prov")
    give_enrolment_code(client, admin)
    response = client.post(SETUP, {"token": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert TOTPDevice.objects.get(user=admin).confirmed is False
    assert client.get("/").status_code == 302


def test_second_factor_enrolled_admin_must_enter_a_code(client, admin, enrolled):
    password_login(client, "prov")
    for path in ("/", "/admin/", "/review/imports/", SETUP):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path
    response = client.post(VERIFY, {"token": current_code(enrolled), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["login", "2fa_verified"]


def test_second_factor_wrong_code_is_refused_and_audited(client, admin, enrolled):
    password_login(client, "prov")
    response = client.post(VERIFY, {"token": "123456"})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action="2fa_failed").count() == 1


def test_second_factor_code_cannot_be_used_twice(client, admin, enrolled):
    from django.test import Client

    password_login(client, "prov")
    code = current_code(enrolled)
    client.post(VERIFY, {"token": code})
    other = Client()
    password_login(other, "prov")
    response = other.post(VERIFY, {"token": code})
    assert "验证码不正确" in response.content.decode()


def test_second_factor_slows_down_after_wrong_codes(client, admin, enrolled):
    enrolled.throttling_failure_count, enrolled.throttling_failure_timestamp = 10, timezone.now()
    enrolled.save()
    password_login(client, "prov")
    response = client.post(VERIFY, {"token": current_code(enrolled)})
    assert "验证码错误次数过多" in response.content.decode()
    assert client.get("/").status_code == 302


def test_second_factor_htmx_request_gets_a_client_redirect(client, admin, enrolled):
    password_login(client, "prov")
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == VERIFY


def test_second_factor_is_not_asked_of_other_roles(client):
    tree = make_small_province()
    make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    password_login(client, "ty")
    assert client.get("/").templates[0].name == "portal/home.html"
    assert client.get(SETUP)["Location"] == reverse("portal:home")


def test_second_factor_verified_login_helper_goes_the_real_way(client, admin):
    verified_login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_second_factor_force_login_in_tests_counts_as_verified(client, admin):
    # tests/conftest.py: force_login stands for a province admin who has passed both steps.
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_sends_to_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


def test_twofactor_reset_command_removes_the_device(admin, enrolled, capsys):
    call_command("twofactor_reset", "prov")
    assert TOTPDevice.objects.filter(user=admin).count() == 0
    assert "已重置 prov 的身份验证器" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="2fa_reset").count() == 1


def test_second_factor_unused_enrolment_keeps_its_key_across_reloads(client, admin):
    password_login(client, "prov")
    give_enrolment_code(client, admin)
    first = TOTPDevice.objects.get(user=admin).key
    client.get(SETUP)
    assert list(TOTPDevice.objects.filter(user=admin).values_list("key", flat=True)) == [first]
