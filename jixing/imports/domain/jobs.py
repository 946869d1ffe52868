"""Starting an import job (the page) and running it (the task, in a worker).

One job of a kind at a time: two snapshot imports racing would each try to become the current one, and
two org-tree imports would each upsert over the other. A job whose worker died (STALE_AFTER) stops
counting as running the next time someone starts one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from jixing.audit.domain.events import record_event
from jixing.audit.enums import AuditAction
from jixing.imports.domain.progress import JobProgress
from jixing.imports.domain.queries import active
from jixing.imports.enums import STALE_AFTER, ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.nominations.domain.attachments import clean_name
from jixing.orgs.domain.imports import import_orgs
from jixing.people.domain.imports import (
    SnapshotImportBusy,
    default_taken_at,
    import_roles,
    import_snapshot,
)
from jixing.people.domain.progress import ImportProgress, Phase
from jixing.tables import ImportRefused, Problem

logger = logging.getLogger(__name__)

# The stored copy keeps the extension people gave it (the reader goes by content, this helps an operator).
KNOWN_EXTENSIONS = {".csv", ".xlsx", ".txt"}
INTERRUPTED_MESSAGE = "后台任务进程在导入过程中停止（被结束或重启），导入未完成，可重新上传"
FAILED_MESSAGE = "导入意外中止，未完成。请把任务编号 {pk} 告诉系统管理员"
ENQUEUE_FAILED_MESSAGE = "无法提交后台任务，未导入"


class ImportBusy(Exception):
    """Another import of the same kind is queued or running; the message says which, in Chinese."""


def _busy(kind: ImportKind) -> ImportBusy | None:
    job = active(ImportJob.objects.filter(kind=kind)).first()
    if job is None:
        return None
    return ImportBusy(
        f"已有一项{kind.label}导入{job.get_state_display()}（{job.original_name}），请等它结束后再上传"
    )


def interrupt_stale_jobs(kind: ImportKind) -> int:
    """Mark the kind's 进行中 jobs silent past STALE_AFTER as 中断 and delete their files; how many."""
    now = timezone.now()
    count = 0
    for job in ImportJob.objects.filter(kind=kind, state=JobState.RUNNING, updated_at__lt=now - STALE_AFTER):
        # Compare-and-set on updated_at: a job that wrote progress meanwhile is alive after all.
        if ImportJob.objects.filter(pk=job.pk, state=JobState.RUNNING, updated_at=job.updated_at).update(
            state=JobState.INTERRUPTED, finished_at=now, message=INTERRUPTED_MESSAGE, file=""
        ):
            _delete_file(job.file.name)
            count += 1
    return count


def start_import(
    kind: str,
    upload: File,
    *,
    actor: Any,
    name: str = "",
    taken_at: datetime | None = None,
    ip: str | None = None,
) -> ImportJob:
    """Store an uploaded file and queue its import as a job of `kind` (组织架构, 积分快照, 角色).

    A snapshot is named after the file and taken at the campaign's baseline unless `name` / `taken_at`
    say otherwise. Raises ImportBusy, storing nothing, while another job of the kind is queued or running
    (stale ones are marked 中断 first and do not count).

    Side effects: the file written under MEDIA_ROOT/imports/ with a random name; the ImportJob and an
    audit event (import.start) in one transaction; then the task enqueued — with the immediate backend
    the import runs before this returns. The stored file is removed again if the job is not created, and
    by the job when it ends.
    """
    kind = ImportKind(kind)
    interrupt_stale_jobs(kind)
    if busy := _busy(kind):
        raise busy
    original = clean_name(upload.name or "")[:255]
    if kind == ImportKind.LEARNERS:
        name = (name or Path(original).stem)[:200]
        taken_at = taken_at or default_taken_at()
        if timezone.is_naive(taken_at):
            raise ValueError("taken_at must be timezone-aware")
    else:
        name, taken_at = "", None
    job = ImportJob(
        kind=kind,
        original_name=original,
        size=upload.size or 0,
        name=name,
        taken_at=taken_at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    sha256 = _sha256(upload)
    job.file.save(_stored_name(original), upload, save=False)
    try:
        with transaction.atomic():
            if busy := _busy(kind):
                raise busy
            job.save()
            record_event(
                action=AuditAction.IMPORT_START,
                actor=actor,
                target=job,
                summary=f"上传{kind.label}文件：{original}",
                after={
                    "kind": kind.value,
                    "file": original,
                    "size": job.size,
                    "sha256": sha256,
                    "name": name,
                    "taken_at": taken_at,
                },
                ip=ip,
            )
    except IntegrityError:
        # one_active_import_per_kind: another upload of the kind got in between the check and the save.
        _delete_file(job.file.name)
        raise _busy(kind) or ImportBusy(f"已有一项{kind.label}导入正在进行，请等它结束后再上传") from None
    except BaseException:
        _delete_file(job.file.name)
        raise
    _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: ImportJob) -> None:
    from jixing.imports.tasks import run_import_job

    try:
        result = run_import_job.enqueue(job.pk)
    except Exception:
        _finish(job, JobState.FAILED, message=ENQUEUE_FAILED_MESSAGE)
        _delete_file(job.file.name)
        raise
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def run_job(job_id: int) -> str:
    """The task's body: run the job's import, its progress written to the job, then write how it ended.

    Side effects: the job claimed 排队中 → 进行中 (compare-and-set: a task delivered twice runs once);
    the owning domain's import, with its own transactions and audit event; the job's end — 已完成 with the
    summary and warnings, 已拒绝 with every problem listed, 失败 with a message (another snapshot import
    holding the importer's lock, or an error, which goes on to the log and the task's result); the stored
    file deleted. Returns the state the job ended in.
    """
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, updated_at=now, phase=Phase.READ, phase_started_at=now
    )
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if not claimed:
        return job.state
    progress = JobProgress(job.pk)
    try:
        result = _import(job, progress)
    except ImportRefused as exc:
        _finish(
            job,
            JobState.REFUSED,
            summary=exc.summary,
            errors=_problems(exc.errors),
            errors_total=exc.total,
            errors_omitted=exc.omitted,
            warnings=_problems(exc.warnings),
        )
        return JobState.REFUSED
    except SnapshotImportBusy as exc:
        # A snapshot imported at the same moment from the command line: nothing wrong with the file.
        _finish(job, JobState.FAILED, message=str(exc))
        return JobState.FAILED
    except Exception:
        logger.exception("import job %s (%s, %s) failed", job.pk, job.kind, job.original_name)
        _finish(job, JobState.FAILED, message=FAILED_MESSAGE.format(pk=job.pk))
        raise
    finally:
        progress.close()
        _delete_file(job.file.name)
    _finish(
        job,
        JobState.DONE,
        summary=result.summary,
        warnings=_problems(result.warnings),
        warnings_omitted=result.warnings_omitted,
    )
    return JobState.DONE


def _import(job: ImportJob, progress: JobProgress) -> Any:
    path = job.file.path
    if job.kind == ImportKind.LEARNERS:
        if job.taken_at is None:
            raise ValueError("a snapshot import job needs taken_at")
        return import_snapshot(
            path,
            name=job.name,
            taken_at=job.taken_at,
            actor=job.actor,
            filename=job.original_name,
            progress=progress,
        )
    # The org tree and the roles are small files read in one go: no progress of their own.
    progress(ImportProgress(Phase.READ))
    if job.kind == ImportKind.ORGS:
        return import_orgs(path, actor=job.actor)
    return import_roles(path, actor=job.actor)


def _finish(job: ImportJob, state: JobState, **values: Any) -> None:
    now = timezone.now()
    if state == JobState.DONE:
        values.update(phase=Phase.DONE)
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, finished_at=now, updated_at=now, file="", **values
    )


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"row": p.row, "column": p.column, "value": p.value, "reason": p.reason} for p in problems]


def _stored_name(original: str) -> str:
    """Random, so nobody can guess another's; under the field's folder (imports/)."""
    extension = Path(original).suffix.lower()
    return f"{secrets.token_hex(16)}{extension if extension in KNOWN_EXTENSIONS else ''}"


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _delete_file(name: str) -> None:
    if name:
        ImportJob._meta.get_field("file").storage.delete(name)
