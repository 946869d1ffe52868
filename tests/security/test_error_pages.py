import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.audit.domain.events import verify_chain
from jixing.audit.models import AuditEvent
from jixing.orgs.models import Org
from tests.factories import make_small_province, make_user

pytestmark = pytest.mark.django_db

INCIDENT = re.compile(r"[0-9a-f]{12}")


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def test_error_page_404_is_chinese_with_an_incident_id(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    incident = response["X-Incident-Id"]
    assert INCIDENT.fullmatch(incident)
    assert f"事件编号：{incident}" in body


def test_error_page_403_shows_the_reason_and_is_audited(client):
    tree = make_small_province()
    user = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    client.force_login(user)
    response = client.get(reverse("review:imports"), REMOTE_ADDR="10.2.3.4")
    body = response.content.decode()
    assert response.status_code == 403
    assert "只有省平台管理员可以导入数据" in body
    incident = response["X-Incident-Id"]
    assert incident in body
    event = AuditEvent.objects.get(action="access_denied")
    assert (event.actor, event.ip, event.after) == (
        user,
        "10.2.3.4",
        {"path": "/review/imports/", "method": "GET", "incident": incident},
    )
    assert event.summary == f"拒绝访问 GET /review/imports/（事件 {incident}）"
    assert verify_chain() == []


def test_error_page_403_for_a_stale_form_is_audited():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期或表单来源无效" in response.content.decode()
    assert "CSRF cookie not set" not in response.content.decode()
    assert AuditEvent.objects.filter(action="access_denied", actor=None).count() == 1


@pytest.mark.urls("tests.security.urls")
def test_access_denied_event_survives_the_views_rollback(client, monkeypatch):
    # ATOMIC_REQUESTS wraps the view in a transaction that PermissionDenied rolls back; the event is
    # written after it, on its own.
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = client.get("/test-refuse/")
    assert response.status_code == 403
    assert Org.objects.filter(code="GONE").exists() is False
    assert AuditEvent.objects.filter(action="access_denied").count() == 1


@pytest.mark.urls("tests.security.urls")
def test_error_page_500_shows_an_incident_id_and_no_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="jixing.errors"):
        response = client.get("/test-crash/")
    body = response.content.decode()
    assert response.status_code == 500
    incident = response["X-Incident-Id"]
    assert f"事件编号：<strong>{incident}</strong>" in body
    assert "系统出错" in body
    for leak in ("Traceback", "RuntimeError", "140102199001011234", "test-crash.py", "File "):
        assert leak not in body
    # The log has what the page hides, under the same incident id.
    [record] = [r for r in caplog.records if r.name == "jixing.errors"]
    assert record.getMessage() == f"事件 {incident}：处理 GET /test-crash/ 时出错"
    assert record.exc_info[0] is RuntimeError
