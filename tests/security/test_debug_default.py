"""DEBUG is off unless JIXING_DEBUG=1, the demo included (issue 9, item 4): with no environment set, an
unknown address gets the product's 404 page, never Django's list of URL patterns."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

DJANGO_DEBUG_404 = ("Using the URLconf", "Page not found (404)", "admin/", "Django tried these URL patterns")

# A fresh process reads the settings from an environment holding nothing of ours but a throwaway data
# folder (so that no test writes the repository's var/): what `make demo` gets.
PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixing.settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
answers = {host: Client(HTTP_HOST=host).get("/does-not-exist/") for host in ("127.0.0.1", "localhost")}
print(json.dumps({
    "debug": settings.DEBUG,
    "environment": settings.ENVIRONMENT,
    "hosts": settings.ALLOWED_HOSTS,
    "static": Client().get("/static/jixing/site.css").status_code,
    "pages": {host: [r.status_code, r.content.decode()] for host, r in answers.items()},
}))
"""


def _probe(tmp_path, **env: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**keep, "JIXING_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_debug_default_unknown_page_is_the_products_404_with_nothing_set(tmp_path):
    seen = _probe(tmp_path)
    assert (seen["debug"], seen["environment"]) == (False, "development")
    assert {"127.0.0.1", "localhost"} <= set(seen["hosts"])
    for status, body in seen["pages"].values():
        assert status == 404
        assert "页面不存在" in body and "事件编号" in body
        assert not [leak for leak in DJANGO_DEBUG_404 if leak in body]
    # Static files come from the application itself (WhiteNoise), DEBUG or not, without collectstatic.
    assert seen["static"] == 200


def test_debug_default_is_on_only_when_asked(tmp_path):
    seen = _probe(tmp_path, JIXING_DEBUG="1")
    assert seen["debug"] is True
    status, body = seen["pages"]["127.0.0.1"]
    assert status == 404 and "Page not found" in body  # Django's own page: development only


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JIXING_ENV": "production", "JIXING_DEBUG": "1"}, "JIXING_DEBUG=1 is for development only"),
        ({"JIXING_ENV": "prod"}, "JIXING_ENV must be one of development, production, got 'prod'"),
        ({"JIXING_ENV": "production"}, "JIXING_SECRET_KEY must be set when JIXING_ENV=production"),
    ],
)
def test_debug_default_production_refuses_what_development_allows(tmp_path, env, message):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
         "'jixing.settings'); django.setup()"],
        env={**keep, "JIXING_DATA_DIR": str(tmp_path), **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr


def test_debug_default_test_client_gets_the_products_404(client):
    response = client.get("/does-not-exist/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    assert not [leak for leak in DJANGO_DEBUG_404 if leak in body]
