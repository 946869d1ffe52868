"""The demo's province admin binds the authenticator as on a real instance: with the one-time enrolment
code `jixing demo-data` prints, never with the (public) demo password alone."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.demo.accounts import DEMO_PASSWORD
from tests.accounts.flows import current_code, password_login

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:2fa_setup")
CODE = re.compile(r"绑定码 ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})（一次性，")


def test_demo_data_prints_an_enrolment_code_that_lets_province_bind(client, demo_data):
    first = CODE.search(demo_data())[1]
    code = CODE.search(demo_data())[1]  # a run again issues a new code and voids the first
    password_login(client, "province", DEMO_PASSWORD)
    assert "绑定码不正确" in client.post(SETUP, {"code": first}).content.decode()
    assert client.post(SETUP, {"code": code})["Location"] == SETUP
    device = TOTPDevice.objects.get(user__username="province")
    assert client.post(SETUP, {"token": current_code(device), "next": "/"})["Location"] == "/"
    assert client.get("/").templates[0].name == "portal/home.html"
    # Once bound, a run says so and issues nothing.
    report = demo_data()
    assert not CODE.search(report)
    assert "province 已绑定身份验证器" in report
