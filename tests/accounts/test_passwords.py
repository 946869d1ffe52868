import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from jixing.accounts.domain.passwords import ComplexityValidator, character_classes, is_password_expired
from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.models import AuditEvent
from tests.accounts.flows import password_login
from tests.factories import make_small_province, make_user

NEW_PASSWORD = "Xinmima-2026-qiu"


def _messages(password: str, user=None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return exc.messages
    return []


def test_password_rules_speak_chinese():
    assert _messages("short") == ["密码太短，至少需要 10 个字符。"]
    assert _messages("password123") == ["这个密码太常见了。"]
    assert _messages("1234567890123") == ["这个密码太常见了。", "密码只包含数字。"]
    assert _messages("zhangsanfeng1", User(username="zhangsanfeng")) == ["密码跟 用户名 太相似了。"]
    assert _messages("long enough and rare 17") == []


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("alllowercase", {"小写字母"}),
        ("lower1234", {"小写字母", "数字"}),
        ("Lower1234", {"大写字母", "小写字母", "数字"}),
        ("lower-12", {"小写字母", "数字", "符号"}),
        ("学习之星abc", {"小写字母", "符号"}),
    ],
)
def test_password_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


def test_password_complexity_needs_three_classes():
    validator = ComplexityValidator()
    validator.validate("Lower1234")
    validator.validate("lower-1234")
    with pytest.raises(ValidationError) as refused:
        validator.validate("lowercase1234")
    assert refused.value.messages == ["密码须至少包含大写字母、小写字母、数字、符号中的 3 类。"]


def _settings_in_process(**env: str) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'validators': [v['NAME'].rsplit('.', 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS],"
        " 'max_age': settings.PASSWORD_MAX_AGE_DAYS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jixing.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_strict_mode_adds_complexity_and_ninety_day_rotation():
    assert _settings_in_process(JIXING_STRICT_PASSWORDS="0") == {
        "validators": [
            "UserAttributeSimilarityValidator",
            "MinimumLengthValidator",
            "CommonPasswordValidator",
            "NumericPasswordValidator",
        ],
        "max_age": 0,
    }
    strict = _settings_in_process(JIXING_STRICT_PASSWORDS="1")
    assert strict["validators"][-1] == "ComplexityValidator"
    assert strict["max_age"] == 90


@pytest.mark.django_db
def test_set_password_starts_the_rotation_clock():
    user = make_user(username="zhang")
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_password_age_counts_from_date_joined_when_never_set(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    now = timezone.now()
    user = User(username="demo", date_joined=now - timedelta(days=91))
    assert is_password_expired(user, now=now) is True
    user.password_changed_at = now - timedelta(days=89)
    assert is_password_expired(user, now=now) is False
    settings.PASSWORD_MAX_AGE_DAYS = 0
    user.password_changed_at = now - timedelta(days=900)
    assert is_password_expired(user, now=now) is False


@pytest.fixture
def expired_user(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    tree = make_small_province()
    user = make_user(username="zhang", role=UserRole.UNIT_ADMIN, org=tree["school"])
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    return user


@pytest.mark.django_db
def test_expired_password_allows_nothing_but_changing_it(client, expired_user):
    password_login(client, "zhang")
    change = reverse("accounts:password_change")
    for path in ("/", reverse("portal:nomination_list"), "/admin/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, change), path
    page = client.get(change).content.decode()
    assert "您的密码已使用超过 90 天，请先修改密码。" in page
    response = client.post(
        change,
        {"old_password": "pw-for-tests-only", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").templates[0].name == "portal/home.html"  # still logged in, free again
    expired_user.refresh_from_db()
    assert timezone.now() - expired_user.password_changed_at < timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="password_changed", actor=expired_user).count() == 1


@pytest.mark.django_db
def test_new_password_must_differ_from_the_current_one(client, expired_user):
    User.objects.filter(pk=expired_user.pk).update(password_changed_at=timezone.now())
    expired_user.refresh_from_db()
    expired_user.set_password(NEW_PASSWORD)
    expired_user.save()
    password_login(client, "zhang", NEW_PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": NEW_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "新密码不能与当前密码相同。" in response.content.decode()
