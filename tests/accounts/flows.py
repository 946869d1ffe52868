"""The real login flow for tests of authentication: the login page, then the TOTP pages."""

from __future__ import annotations

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's


def password_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, "next": "/"}, **extra)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed by django-otp's TOTP."""
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(
        device.digits
    )


def verified_login(client, user, password: str = PASSWORD) -> TOTPDevice:
    """Password, then a real TOTP verification (enrolling a device first if the user has none)."""
    password_login(client, user.username, password)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        client.get(reverse("accounts:2fa_setup"))
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("accounts:2fa_setup"), {"token": current_code(device), "next": "/"})
    else:
        response = client.post(reverse("accounts:2fa_verify"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302, response.content.decode()
    return device
