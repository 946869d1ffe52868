"""Evidence files of a nomination: upload, download (attachment only, after an access check), delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixing.http import AuthedRequest
from jixing.nominations.domain.access import can_edit, is_applying
from jixing.nominations.domain.attachments import (
    add_attachment,
    delete_attachment,
    download_name,
    record_download,
    upload_slots,
)
from jixing.nominations.domain.forms_spec import form_spec
from jixing.portal.views.nominations import submit_state, visible_nomination
from jixing.refusals import Refused
from jixing.security.downloads import protected_download
from jixing.security.net import client_ip


def _attachments_panel(request: AuthedRequest, nomination, **extra) -> HttpResponse:
    spec = form_spec(nomination.category)
    return render(
        request,
        "portal/nominations/_attachments.html",
        {
            "nomination": nomination,
            "attachments": nomination.attachments.order_by("kind", "pk"),
            "slots": upload_slots(spec, applying=is_applying(request.user, nomination)),
            "editable": can_edit(request.user, nomination),
            # On the form: the checklist and the send button follow the evidence (out of band).
            **({"oob_state": True, **submit_state(request.user, nomination)} if request.htmx else {}),
            **extra,
        },
    )


@login_required
@require_POST
def attachment_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Store the files of one kind; each refused file gets its own message (name and reason)."""
    nomination = visible_nomination(request, pk)
    kind = request.POST.get("kind", "")
    uploads = request.FILES.getlist("file")
    errors, added = [], []
    if not uploads:
        errors.append("请选择要上传的文件")
    for upload in uploads:
        try:
            added.append(
                add_attachment(
                    nomination=nomination, kind=kind, upload=upload, actor=request.user, ip=client_ip(request)
                )
            )
        except Refused as exc:
            errors.append(str(exc))
    if request.htmx:
        return _attachments_panel(request, nomination, upload_errors=errors, added=added)
    for error in errors:
        messages.error(request, error)
    if added:
        messages.success(request, f"已上传 {len(added)} 个文件")
    return redirect("portal:nomination_edit", pk=nomination.pk)


@login_required
def attachment_download(request: AuthedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Send a stored file, always as a download and never to be sniffed into something else."""
    nomination = visible_nomination(request, pk)
    attachment = get_object_or_404(nomination.attachments, pk=attachment_pk)
    record_download(attachment=attachment, actor=request.user, ip=client_ip(request))
    return protected_download(
        attachment.file, filename=download_name(attachment), content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    nomination = visible_nomination(request, pk)
    attachment = get_object_or_404(nomination.attachments, pk=attachment_pk)
    delete_attachment(attachment=attachment, actor=request.user, ip=client_ip(request))
    if request.htmx:
        return _attachments_panel(request, nomination, notice=f"已删除“{attachment.original_name}”")
    messages.success(request, f"已删除“{attachment.original_name}”")
    return redirect("portal:nomination_edit", pk=nomination.pk)
