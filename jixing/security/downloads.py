"""Serving a stored upload: only ever as a download, never sniffed or rendered by the browser."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


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
