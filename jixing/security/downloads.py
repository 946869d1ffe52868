"""Serving files only ever as downloads, never sniffed or rendered by the browser: stored uploads, and the
documents and sheets the product builds."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse


def protected_download(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """The caller has already checked that the user may see the file's owner (nomination, list)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def download_response(content: bytes, *, filename: str, fallback: str, content_type: str) -> HttpResponse:
    """A built file as a download named `filename` (RFC 6266 filename*, UTF-8), with `fallback` — reduced to
    ASCII letters, digits, '.', '-' and '_' — for clients that read only the plain name."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "", fallback) or "download"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={plain}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_download(path: Path, *, filename: str, content_type: str) -> FileResponse:
    """A large built file kept on disk (a zip of certificates, an evidence package), streamed as a download named `filename`;
    the caller has checked the user may have it."""
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
