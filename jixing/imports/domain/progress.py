"""A job's progress: written by the importer's callback (JobProgress), read back for the page
(job_status: state as shown, overall percent, rows per second, time left).

Where the write goes matters. The importers do their work in a transaction, and a progress write made in
that transaction would stay invisible to the page until the import ends (and vanish with a refusal). So a
job that started outside any transaction (a worker, or an immediate task run from a request) writes its
progress through a connection of its own while the importer holds a transaction. On SQLite that second
connection cannot write while the importer holds the write lock: the write is skipped at once (no busy
wait, the import must not slow down for the bar) and the next report tries again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connection
from django.db.utils import load_backend
from django.utils import timezone

from jixing.imports.enums import JobState
from jixing.imports.models import ImportJob
from jixing.people.domain.progress import ImportProgress, Phase

logger = logging.getLogger(__name__)

# Seconds between two writes within a phase; a phase change is always written.
MIN_INTERVAL = 0.5

# A job still queued after this long: the page says a worker (jixing db_worker) has to be running.
QUEUED_HINT_AFTER = timedelta(seconds=20)

# Share of a whole import each phase takes, roughly as measured on an 8-million-row snapshot (STACK.md):
# the bar moves through them in this order, so it never runs backwards when a new phase starts at 0.
PHASE_WEIGHTS: dict[Phase, int] = {
    Phase.READ: 5,
    Phase.VALIDATE: 40,
    Phase.WRITE: 35,
    Phase.INDEX: 10,
    Phase.RANK: 10,
}
ORDER = list(PHASE_WEIGHTS)


class JobProgress:
    """The `progress` callback of one job's import (jixing.people.domain.progress.ProgressCallback)."""

    def __init__(self, job_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.clock = clock
        self.phase: Phase | None = None
        self.last_write = float("-inf")
        # Started inside a transaction (tests, a caller's atomic block): the job row itself may be
        # uncommitted, so only this connection can see it, and nobody else can see the progress anyway.
        self.started_in_transaction = connection.in_atomic_block
        self.aside: Any = None

    def __call__(self, progress: ImportProgress) -> None:
        now = self.clock()
        changed = progress.phase != self.phase
        if not changed and now - self.last_write < MIN_INTERVAL:
            return
        self.phase, self.last_write = progress.phase, now
        at = timezone.now()
        values: dict[str, Any] = {
            "phase": progress.phase.value,
            "done": progress.done,
            "total": progress.total,
            "updated_at": at,
        }
        if changed:
            values["phase_started_at"] = at
        if connection.in_atomic_block and not self.started_in_transaction:
            self._write_aside(values)
        else:
            ImportJob.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(**values)

    def _write_aside(self, values: dict[str, Any]) -> None:
        if self.aside is None:
            self.aside = _side_connection()
        ops = self.aside.ops
        params = [
            ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
            for value in values.values()
        ]
        qn = ops.quote_name
        assignments = ", ".join(f"{qn(ImportJob._meta.get_field(name).column)} = %s" for name in values)
        sql = f"UPDATE {qn(ImportJob._meta.db_table)} SET {assignments} WHERE {qn('id')} = %s AND {qn('state')} = %s"
        try:
            with self.aside.cursor() as cursor:
                cursor.execute(sql, [*params, self.job_id, JobState.RUNNING.value])
        except DatabaseError as exc:
            # SQLite's write lock held by the import: the bar waits for the next report.
            logger.debug("import job %s: progress not written (%s)", self.job_id, exc)

    def close(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None


def _side_connection():
    """A second connection to the default database, in autocommit; on SQLite one that never waits for
    the write lock."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "timeout": 0}
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="import_progress")


@dataclass(frozen=True)
class JobStatus:
    """What the page shows of a job. None where it cannot be known (yet)."""

    state: str  # as people should read it: a stale 进行中 is 中断
    live: bool  # still moving: the page keeps polling
    waiting_long: bool  # queued past QUEUED_HINT_AFTER: is a worker running at all?
    percent: int | None  # of the whole import; None before the importer has counted anything
    rate: int | None  # rows per second in the current phase
    seconds_left: int | None  # of the whole import, from the pace so far

    @property
    def time_left(self) -> str:
        return duration_text(self.seconds_left) if self.seconds_left is not None else ""


def job_status(job: ImportJob, now: datetime | None = None) -> JobStatus:
    now = now or timezone.now()
    live = not job.is_finished and not job.is_stale(now)
    waiting_long = job.state == JobState.QUEUED and now - job.created_at > QUEUED_HINT_AFTER
    if job.state == JobState.DONE:
        return JobStatus(job.shown_state(now), False, False, 100, None, 0)
    fraction = overall_fraction(job)
    rate = None
    if job.phase_started_at is not None and job.done:
        seconds = (job.updated_at - job.phase_started_at).total_seconds()
        if seconds > 0:
            rate = round(job.done / seconds)
    seconds_left = None
    if fraction and live and job.started_at is not None:
        elapsed = (now - job.started_at).total_seconds()
        if elapsed >= 1 and fraction >= 0.01:
            seconds_left = max(0, round(elapsed * (1 - fraction) / fraction))
    percent = None if fraction is None else int(fraction * 100)
    return JobStatus(job.shown_state(now), live, waiting_long, percent, rate, seconds_left)


def overall_fraction(job: ImportJob) -> float | None:
    """The phases before this one in full, and this one's share as far as its rows go."""
    if not job.phase or job.phase == Phase.DONE:
        return 1.0 if job.phase == Phase.DONE else None
    phase = Phase(job.phase)
    if phase == Phase.READ and job.total is None:
        return None  # nothing counted yet: the bar shows activity, not a value
    before = sum(PHASE_WEIGHTS[p] for p in ORDER[: ORDER.index(phase)])
    within = min(1.0, job.done / job.total) if job.total else 0.0
    return (before + PHASE_WEIGHTS[phase] * within) / sum(PHASE_WEIGHTS.values())


def duration_text(seconds: int) -> str:
    if seconds < 60:
        return f"约 {max(seconds, 1)} 秒"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"约 {minutes} 分钟"
    return f"约 {minutes // 60} 小时 {minutes % 60} 分钟"
