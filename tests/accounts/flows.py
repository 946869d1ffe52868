"""The real login flow for tests of authentication: the login page, then the TOTP pages."""

from __future__ import annotations

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.domain.enrolment import issue_enrolment_code

PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's


def password_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, "next": "/"}, **extra)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed by django-otp's TOTP."""
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(
        device.digits
    )


def give_enrolment_code(client, user) -> None:
    """What an admin does at the enrolment page: type a one-time code issued for him (as the command line
    does), which opens the page with the QR code and key."""
    issued = issue_enrolment_code(user=user)
    response = client.post(reverse("accounts:2fa_setup"), {"code": issued.code})
    assert response.status_code == 302, response.content.decode()


def verified_login(client, user, password: str = PASSWORD) -> TOTPDevice:
    """Password, then a real TOTP verification (enrolling a device first, with an enrolment code, if the
    user has none)."""
    password_login(client, user.username, password)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        give_enrolment_code(client, user)
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("accounts:2fa_setup"), {"token": current_code(device), "next": "/"})
    else:
        response = client.post(reverse("accounts:2fa_verify"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302, response.content.decode()
    return device
