"""Every certificate of the final list at once, in the background: one PDF per person in a zip (with the
plaques' production list and engraving proofs beside them), progress written as it goes, and each
download of the zip an audit event.

Speed (benchmarks/certificates.py): WeasyPrint pays ~0.25 s per document, so the certificates are laid out
CHUNK at a time as the pages of one document and split per person (documents.certificates); the chunks are
rendered by CERTIFICATE_WORKERS processes (forked: they build PDFs from plain data and never touch the
database).
"""

from __future__ import annotations

import logging
import os
import secrets
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixing.accounts.permissions import is_province_admin
from jixing.announcements.domain.certificates import (
    CERTIFICATE_REASON,
    certificate_data,
    certificate_filename,
    signed,
    signing_key,
    valid_plaques,
)
from jixing.announcements.enums import CertificateKind
from jixing.announcements.models import Certificate, CertificateBatch
from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.campaigns.models import Campaign
from jixing.documents import certificates as builder
from jixing.documents.certificates import CertificateData
from jixing.documents.filenames import safe_filename
from jixing.documents.signing import SigningKey
from jixing.imports.enums import ACTIVE_STATES, STALE_AFTER, JobState
from jixing.refusals import Refused

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "证书生成意外中止，未完成。请把任务编号 {pk} 告诉系统管理员"
INTERRUPTED_MESSAGE = "后台任务进程在生成过程中停止，证书未生成完，可重新生成"


class BatchRefused(Refused):
    """A batch that cannot start or be downloaded now; the message says why, in Chinese."""


def batch_dir() -> Path:
    """DATA_DIR/certificates/: made again at will, so outside MEDIA_ROOT and out of the backups."""
    return Path(settings.DATA_DIR) / "certificates"


def batch_path(batch: CertificateBatch) -> Path:
    return batch_dir() / batch.stored_name


def batch_filename(batch: CertificateBatch) -> str:
    return safe_filename(f"{batch.campaign.name}荣誉证书（{batch.total}份）", "zip")


def valid_certificates(campaign: Campaign) -> list[Certificate]:
    """The campaign's certificates not revoked, in official order (their serials are numbered so)."""
    return list(
        Certificate.objects.select_related("campaign")
        .filter(campaign=campaign, kind=CertificateKind.CERTIFICATE, revoked_at__isnull=True)
        .order_by("category_number", "serial")
    )


def latest_batch(campaign: Campaign) -> CertificateBatch | None:
    return CertificateBatch.objects.filter(campaign=campaign).order_by("-created_at", "-pk").first()


def is_stale(batch: CertificateBatch, now: datetime | None = None) -> bool:
    """进行中 but silent past STALE_AFTER: its worker is gone."""
    return batch.state == JobState.RUNNING and (now or timezone.now()) - batch.updated_at > STALE_AFTER


def start_batch(
    *, campaign: Campaign, actor, ip: str | None = None, now: datetime | None = None
) -> CertificateBatch:
    """Queue the generation of every valid certificate of the campaign. Province admins only; refused
    while another batch of the campaign is queued or running (a stale one is marked 中断 first) and when
    there is no certificate.

    Side effects: the CertificateBatch and an audit event `certificate.download` (「批量生成」) in one
    transaction; then the task enqueued — with the immediate backend it runs before this returns.
    """
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以生成证书")
    now = now or timezone.now()
    with transaction.atomic():
        for running in CertificateBatch.objects.select_for_update().filter(
            campaign=campaign, state__in=ACTIVE_STATES
        ):
            if is_stale(running, now):
                _finish(running.pk, JobState.INTERRUPTED, message=INTERRUPTED_MESSAGE)
            else:
                raise BatchRefused(f"证书正在生成（{running.get_state_display()}），请等它完成后再试")
        total = len(valid_certificates(campaign))
        if not total:
            raise BatchRefused("尚无可生成的个人证书：请先通报表扬")
        batch = CertificateBatch.objects.create(
            campaign=campaign, total=total, created_at=now, updated_at=now, actor=actor
        )
        record_event(
            action=AuditAction.CERTIFICATE_DOWNLOAD,
            actor=actor,
            target=batch,
            summary=f"批量生成证书（{total} 份）",
            after={"document": "批量生成证书", "count": total},
            ip=ip,
        )
    from jixing.announcements.tasks import generate_certificates

    try:
        result = generate_certificates.enqueue(batch.pk)
    except Exception:
        _finish(batch.pk, JobState.FAILED, message="无法提交后台任务，证书未生成")
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))
    batch.refresh_from_db()
    return batch


def _finish(pk: int, state: JobState, **fields) -> None:
    now = timezone.now()
    CertificateBatch.objects.filter(pk=pk).update(state=state, finished_at=now, updated_at=now, **fields)


def _render_chunk(items: Sequence[CertificateData], key: SigningKey | None) -> list[bytes]:
    """One chunk's certificates, one signed PDF each (run in a worker process)."""
    pages = builder.split_pages(builder.certificates_pdf(items))
    return [signed(page, reason=CERTIFICATE_REASON, key=key) for page in pages]


def render_certificates(
    items: Sequence[CertificateData],
    *,
    workers: int | None = None,
    chunk: int = builder.CHUNK,
    key: SigningKey | None = None,
) -> Iterator[tuple[CertificateData, bytes]]:
    """(certificate, its PDF signed with `key`) for each item in order, rendered `chunk` at a time by
    `workers` processes (CERTIFICATE_WORKERS; 1 renders here)."""
    workers = workers or int(getattr(settings, "CERTIFICATE_WORKERS", 0) or min(2, os.cpu_count() or 1))
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    if workers <= 1 or len(chunks) <= 1:
        for part in chunks:
            yield from zip(part, _render_chunk(part, key), strict=True)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        for part, files in zip(chunks, pool.map(_render_chunk, chunks, [key] * len(chunks)), strict=True):
            yield from zip(part, files, strict=True)


def write_zip(
    target: Path,
    certificates: Sequence[tuple[CertificateData, str]],
    *,
    plaques: Sequence[CertificateData] = (),
    campaign_name: str = "",
    progress: Callable[[int], None] = lambda done: None,
    workers: int | None = None,
    key: SigningKey | None = None,
) -> None:
    """The zip: 证书/<category>/<file name> for each (certificate, file name), signed with `key`, and the
    plaques' list and proofs under 奖牌/ when there are plaques. `progress(done)` after each chunk's files."""
    items = [item for item, _ in certificates]
    names: dict[str, str] = {}
    used: set[str] = set()
    for item, name in certificates:
        path = f"证书/{item.category}/{name}"
        if path in used:  # the same name, unit and category twice: the serial tells them apart
            stem, _, extension = name.rpartition(".")
            path = f"证书/{item.category}/{stem}-{item.serial}.{extension}"
        used.add(path)
        names[item.serial] = path
    # PDFs are compressed already: storing them is as small and much faster.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        done = 0
        for item, content in render_certificates(items, workers=workers, key=key):
            archive.writestr(names[item.serial], content)
            done += 1
            if done % builder.CHUNK == 0 or done == len(items):
                progress(done)
        if plaques:
            title = f"{campaign_name}奖牌制作清单"
            proofs = safe_filename(f"{campaign_name}奖牌刻字样稿", "pdf")
            archive.writestr(
                f"奖牌/{safe_filename(title, 'xlsx')}", builder.plaques_xlsx(plaques, title=title)
            )
            archive.writestr(f"奖牌/{proofs}", builder.plaques_pdf(plaques))


def run_batch(batch_id: int) -> str:
    """The task's body: make the zip, writing progress to the batch; return the state it ended in."""
    batch = CertificateBatch.objects.select_related("campaign").filter(pk=batch_id).first()
    if batch is None or batch.state != JobState.QUEUED:
        return batch.state if batch else "missing"
    now = timezone.now()
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state=JobState.RUNNING, started_at=now, updated_at=now
    )
    certificates = valid_certificates(batch.campaign)
    stored = f"{batch.pk}-{secrets.token_hex(8)}.zip"
    target = batch_dir() / stored
    target.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int) -> None:
        CertificateBatch.objects.filter(pk=batch.pk).update(done=done, updated_at=timezone.now())

    try:
        CertificateBatch.objects.filter(pk=batch.pk).update(total=len(certificates))
        write_zip(
            target,
            [(certificate_data(c), certificate_filename(c)) for c in certificates],
            plaques=[certificate_data(p) for p in valid_plaques(batch.campaign)],
            campaign_name=batch.campaign.name,
            progress=progress,
            key=signing_key(),
        )
    except Exception:
        logger.exception("certificate batch %s failed", batch.pk)
        target.unlink(missing_ok=True)
        _finish(batch.pk, JobState.FAILED, message=FAILED_MESSAGE.format(pk=batch.pk))
        return JobState.FAILED
    _finish(batch.pk, JobState.DONE, done=len(certificates), stored_name=stored, size=target.stat().st_size)
    # The newest zip replaces the older ones (hundreds of megabytes each for a whole list).
    older = CertificateBatch.objects.filter(campaign=batch.campaign, pk__lt=batch.pk).exclude(stored_name="")
    for old in older:
        batch_path(old).unlink(missing_ok=True)
    older.update(stored_name="", message="已由较新的一次生成替代")
    return JobState.DONE


def batch_for_download(batch: CertificateBatch, *, actor, ip: str | None = None) -> Path:
    """The finished batch's zip on disk, for the province. Refused while it is not finished.

    Side effects: an audit event `certificate.download` naming the file and the count."""
    if not is_province_admin(actor):
        raise PermissionDenied("只有省平台管理员可以下载证书")
    if batch.state != JobState.DONE or not batch.stored_name or not batch_path(batch).exists():
        raise BatchRefused("证书尚未生成完成，请稍后再下载")
    with transaction.atomic():
        record_event(
            action=AuditAction.CERTIFICATE_DOWNLOAD,
            actor=actor,
            target=batch,
            summary=f"下载全部证书（{batch.total} 份）",
            after={"document": "全部证书", "filename": batch_filename(batch), "count": batch.total},
            ip=ip,
        )
    return batch_path(batch)
