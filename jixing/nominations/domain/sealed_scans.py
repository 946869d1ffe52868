"""The sealed scan of a 推荐总表: the printed table with the reporting unit's seal, uploaded back.

Checked by content with the same checks as evidence (attachments.check_upload): a PDF or a picture,
within the size limits; pictures are re-encoded without metadata. Stored under MEDIA_ROOT/sealed/
with a random name (outside every served folder) and sent only by an access-checked view.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign
from jixing.nominations.domain.attachments import (
    IMAGE,
    PDF,
    UploadRefused,
    check_upload,
    clean_name,
    random_name,
    stored_content,
)
from jixing.nominations.domain.list_picks import check_screen_phase, require_screener
from jixing.nominations.domain.lists import locked_list, require_open
from jixing.nominations.models import SealedScan

SCAN_CLASSES = (IMAGE, PDF)
SCAN_WHAT = "盖章扫描件"


def add_sealed_scan(
    *, campaign: Campaign, upload: UploadedFile, actor, now: datetime | None = None, ip: str | None = None
) -> SealedScan:
    """Store the actor's sealed scan for his unit's open list (the newest scan is the one that counts).

    Refused (UploadRefused) for a file that is not a PDF or picture by its content, empty or too
    large; (ListRefused) outside the 审核报送 window or on a submitted list. Side effects: writes the
    file under MEDIA_ROOT/sealed/<year>/<month>/<random name>; creates the SealedScan and a
    "list.scan_add" audit event in one transaction (the list is created if it was not yet); removes
    the file again if that transaction fails. Earlier scans are kept.
    """
    reporting_unit = require_screener(actor)
    now = now or timezone.now()
    check_screen_phase(campaign, "上传盖章扫描件", now)
    name = clean_name(upload.name or "")
    sniffed = check_upload(upload, classes=SCAN_CLASSES, what=SCAN_WHAT, name=name)
    content, sniffed, size, sha256 = stored_content(upload, sniffed, name)
    scan = SealedScan(
        original_name=name,
        size=size,
        sha256=sha256,
        content_type=sniffed.content_type,
        uploaded_by=actor,
        uploaded_at=now,
    )
    scan.file.save(random_name(sniffed), content, save=False)
    try:
        with transaction.atomic():
            rl = locked_list(campaign=campaign, reporting_unit=reporting_unit, create=True)
            require_open(rl)
            scan.recommendation_list = rl
            scan.save()
            record_event(
                action=AuditAction.LIST_SCAN_ADD,
                actor=actor,
                target=rl,
                summary=f"{reporting_unit.name} 上传盖章扫描件：{name}",
                after={"scan": scan.pk, "name": name, "size": size, "sha256": sha256},
                ip=ip,
            )
    except Exception:
        scan.file.storage.delete(scan.file.name)
        raise
    return scan


def scan_download_name(scan: SealedScan) -> str:
    """The uploader's file name with the extension of what is stored (pictures may have become JPEG)."""
    stem = scan.original_name.rsplit(".", 1)[0] if "." in scan.original_name else scan.original_name
    return f"{stem}.{scan.file.name.rsplit('.', 1)[-1]}"


__all__ = ["SCAN_CLASSES", "UploadRefused", "add_sealed_scan", "scan_download_name"]
