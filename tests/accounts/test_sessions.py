import time
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse

from jixing.accounts.domain.sessions import LOGIN_AT, SEEN_AT
from jixing.accounts.enums import UserRole
from jixing.audit.models import AuditEvent
from tests.accounts.flows import password_login
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore()


@pytest.fixture
def unit_admin():
    tree = make_small_province()
    return make_user(username="zhang", role=UserRole.UNIT_ADMIN, org=tree["school"])


def _set_clock(client, **stamps: int) -> str:
    session = client.session
    for key, value in stamps.items():
        session[key] = value
    session.save()
    return session.session_key


def test_session_id_is_rotated_at_login(client, unit_admin):
    before = _set_clock(client, probe=1)  # an anonymous session with something in it
    assert password_login(client, "zhang").status_code == 302
    after = client.session.session_key
    assert after != before
    assert _store().exists(before) is False


def test_logout_ends_the_session_on_the_server(client, unit_admin):
    password_login(client, "zhang")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("portal:home")).status_code == 200
    client.post(reverse("logout"))
    assert _store().exists(key) is False
    # Replaying the old cookie gets nowhere (the site root would show the public lists to anybody).
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(reverse("portal:nomination_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_ends_after_thirty_idle_minutes(client, unit_admin):
    password_login(client, "zhang")
    key = _set_clock(client, **{SEEN_AT: int(time.time()) - 30 * 60})
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _store().exists(key) is False
    assert list(
        AuditEvent.objects.filter(action="session_expired").values_list("actor__username", flat=True)
    ) == ["zhang"]
    page = client.get(response["Location"]).content.decode()
    assert "您已超过 30 分钟未操作" in page


def test_session_goes_on_within_thirty_idle_minutes(client, unit_admin):
    password_login(client, "zhang")
    stale = int(time.time()) - 29 * 60
    _set_clock(client, **{SEEN_AT: stale})
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.session[SEEN_AT] > stale  # the request counts as activity


def test_session_ends_twelve_hours_after_login_even_when_active(client, unit_admin):
    password_login(client, "zhang")
    now = int(time.time())
    _set_clock(client, **{LOGIN_AT: now - 12 * 3600, SEEN_AT: now})
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_without_login_stamps_is_not_accepted(client, unit_admin):
    password_login(client, "zhang")
    session = client.session
    del session[LOGIN_AT]
    session.save()
    assert client.get(reverse("portal:home")).status_code == 302


def test_htmx_request_of_an_expired_session_is_sent_to_login_by_htmx(client, unit_admin):
    password_login(client, "zhang")
    _set_clock(client, **{SEEN_AT: int(time.time()) - 31 * 60})
    response = client.get(reverse("portal:home"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login")


def test_session_settings_bound_the_stored_session_to_twelve_hours():
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_htmx_post_of_a_signed_out_user_goes_to_login_back_to_the_page_it_came_from(client, unit_admin):
    # An autosave after the session was removed: the whole page to the login (not the login page swapped
    # into the form), with next= the form's page and the sentence that the text is kept in the browser.
    page = "http://testserver/nominations/7/edit/"
    response = client.post("/nominations/7/autosave/", {"summary": "x"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL=page)  # fmt: skip
    assert response["HX-Redirect"] == "/login/?next=%2Fnominations%2F7%2Fedit%2F"
    login = client.get("/login/?next=/nominations/7/edit/").content.decode()
    assert "登录已过期，内容已暂存在本机" in login
    # A page of another site is never where the login sends one back.
    response = client.post("/nominations/7/autosave/", {}, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="https://evil.example/x")  # fmt: skip
    assert response["HX-Redirect"] == "/login/"
