"""A nomination's 报名表 and 承诺书 as Word or PDF, for every user who may see the nomination."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from jixing.http import AuthedRequest
from jixing.nominations.domain.documents import DocumentFormat, DocumentKind, DocumentRefused, build_document
from jixing.portal.views.nominations import visible_nomination
from jixing.security.downloads import download_response
from jixing.security.net import client_ip


@login_required
def nomination_document(request: AuthedRequest, pk: int, document: str, fmt: str) -> HttpResponse:
    """Build the document (404 outside the user's subtree, or a 承诺书 of a unit) and send it as a download
    named 「【类型】姓名（单位）.docx」 (RFC 6266 filename*, with an ASCII name for old clients)."""
    nomination = visible_nomination(request, pk)
    try:
        built = build_document(
            nomination,
            kind=DocumentKind(document),
            fmt=DocumentFormat(fmt),
            actor=request.user,
            ip=client_ip(request),
        )
    except DocumentRefused as exc:
        raise Http404(str(exc)) from exc
    return download_response(
        built.content,
        filename=built.filename,
        fallback=f"{nomination.number}-{document}.{fmt}",
        content_type=built.content_type,
    )
