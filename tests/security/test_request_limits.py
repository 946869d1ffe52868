"""Request bodies capped per route and refused before anything reads them (issue 9, item 5)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from jixing.security.limits import RequestBodyLimitMiddleware, body_limit_for

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test the moment anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def _post(client: Client, path: str, length: int, **extra):
    return client.generic(
        "POST", path, CONTENT_TYPE="multipart/form-data; boundary=x", CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()}, **extra,
    )  # fmt: skip


def test_request_limits_anonymous_300_mb_objection_is_refused_unread():
    path = reverse("public:objection", kwargs={"pk": 1})
    response = _post(Client(), path, 300 * MB)
    body = response.content.decode()
    assert response.status_code == 413
    assert "提交的内容过大" in body
    assert "本页面一次最多接收 1 MB，本次提交 300 MB" in body


def test_request_limits_middleware_refuses_before_the_view():
    request = RequestFactory().generic(
        "POST", "/public/entries/1/objection/", CONTENT_LENGTH=str(2 * MB), **{"wsgi.input": UnreadableBody()}
    )

    def view(request):
        raise AssertionError("the view ran")

    assert RequestBodyLimitMiddleware(view)(request).status_code == 413


def test_request_limits_per_route():
    evidence = reverse("portal:attachment_upload", kwargs={"pk": 1})
    scan = reverse("review:list_scan_upload", kwargs={"org_pk": 1})
    imports = reverse("review:imports")
    assert {path: body_limit_for(path) // MB for path in (evidence, scan, imports)} == {
        evidence: 201,  # the largest evidence file (video, 200 MB) and the form around it
        scan: 21,  # a PDF (20 MB) or a picture (10 MB)
        imports: 1025,  # an 8-million-row snapshot is 440–800 MB, by how long its names and accounts are
    }
    for path in ("/public/entries/1/objection/", "/login/", "/review/province/lists/select/", "/nowhere/"):
        assert body_limit_for(path) == settings.REQUEST_MAX_BYTES == MB


def test_request_limits_upload_route_takes_its_own_cap_and_no_more():
    path = reverse("portal:attachment_upload", kwargs={"pk": 1})
    assert _post(Client(), path, 202 * MB).status_code == 413


@pytest.mark.django_db
def test_request_limits_body_within_the_cap_reaches_the_view(client):
    # Anonymous: the view's login redirect proves the request went past the middleware.
    response = client.post(reverse("portal:attachment_upload", kwargs={"pk": 1}), {"kind": "x"})
    assert response.status_code == 302


def test_request_limits_chunked_body_without_length_is_refused():
    response = Client().generic(
        "POST", "/login/", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": UnreadableBody()}
    )
    assert response.status_code == 411
    assert "请求未声明长度" in response.content.decode()


@pytest.mark.parametrize("length", ["-1", "²", "1e9", "9" * 5000])
def test_request_limits_malformed_length_is_a_400(length):
    request = RequestFactory().generic(
        "POST", "/login/", CONTENT_LENGTH=length, **{"wsgi.input": UnreadableBody()}
    )
    response = RequestBodyLimitMiddleware(lambda r: pytest.fail("the view ran"))(request)
    assert response.status_code == 400
