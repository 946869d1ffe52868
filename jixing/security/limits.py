"""What a request may carry, checked before any view reads it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE do not stop a 300 MB multipart body:
it is parsed and spooled to disk before any view can refuse it. RequestBodyLimitMiddleware reads only the
declared Content-Length and the route's name, so an oversized body is answered 413 without a byte of it
read. RequestTextMiddleware then refuses parameters no form of ours sends and PostgreSQL cannot store.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import Resolver404, resolve

from jixing.nominations.domain.attachments import human_size
from jixing.security.params import parse_int


def body_limit_for(path: str) -> int:
    """The largest body the route at `path` accepts: its own cap for upload routes, else the default."""
    try:
        view_name = resolve(path).view_name
    except Resolver404:
        return settings.REQUEST_MAX_BYTES
    return settings.REQUEST_MAX_BYTES_BY_ROUTE.get(view_name, settings.REQUEST_MAX_BYTES)


def _refusal(status: int, title: str, message: str) -> HttpResponse:
    # Rendered without the request: no middleware after this one has run (no user, no session).
    body = loader.render_to_string("request_refused.html", {"title": title, "message": message})
    return HttpResponse(body, status=status)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH", "")
        if not declared:
            # Django reads no body without a length: a chunked one would vanish silently (a form without
            # its file) or, behind a proxy that forwards it, be a way round the cap.
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refusal(411, "请求无法处理", "请求未声明长度，请使用浏览器重新提交。")
            return self.get_response(request)
        length = parse_int(declared.strip())
        if length is None:
            return _refusal(400, "请求无法处理", "请求长度无效，请使用浏览器重新提交。")
        limit = body_limit_for(request.path_info)
        if length > limit:
            return _refusal(
                413,
                "提交的内容过大",
                f"本页面一次最多接收 {human_size(limit)}，本次提交 {human_size(length)}。"
                "请减小文件或分次上传后重试。",
            )
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RequestTextMiddleware:
    """A NUL character in any parameter, or a body that is not the form it claims to be, is a 400.

    No browser form sends NUL; PostgreSQL refuses it in every text column and JSON value, so a search term
    or a comment holding one would otherwise end in a 500 wherever it reached the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST))
        except MultiPartParserError:
            return _refusal(400, "请求无法处理", "提交的表单格式不正确，请使用浏览器重新提交。")
        if refused:
            return _refusal(400, "请求无法处理", "提交的内容含有无效字符，请检查后重新提交。")
        return self.get_response(request)
