"""A job's progress: written by the importer's callback (JobProgress), read back for the page
(job_status: state as shown, overall percent, rows per second, time left).

The writes go through a database connection of their own. The importer's connection is busy with its own
work when it reports — in the middle of a COPY on PostgreSQL, where any other statement would break it —
and a write made inside one of its transactions would stay invisible to the page until that commits (and
vanish with a refusal). On SQLite the second connection waits only briefly for the write lock: the bar
may skip a report, the import never waits for the bar.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import Error, connection
from django.db.models import Field
from django.db.utils import load_backend
from django.utils import timezone

from jixing.imports.enums import JobState
from jixing.imports.models import ImportJob
from jixing.people.domain.progress import ImportProgress, Phase

logger = logging.getLogger(__name__)

# Seconds between two writes within a phase; a phase change is always written.
MIN_INTERVAL = 0.5
# Seconds the progress connection waits for SQLite's write lock before skipping a report.
SQLITE_WAIT = 0.1
# A job still queued after this long: the page says a worker (jixing db_worker) has to be running.
QUEUED_HINT_AFTER = timedelta(seconds=20)

# The phases in the order the snapshot importer goes through them (people/domain/snapshots/loading.py;
# a test holds it to that), with the share of the whole each takes — roughly, as measured on 8 million
# rows on both databases (the ranks are computed while the rows are written, so RANK only begins it).
# The bar moves through them in this order, so it never runs backwards when a new phase starts at 0. The
# org tree and the roles report only READ.
PHASE_WEIGHTS: dict[Phase, int] = {
    Phase.READ: 0,
    Phase.VALIDATE: 30,
    Phase.RANK: 1,
    Phase.WRITE: 49,
    Phase.INDEX: 20,
}
# Phases that report rows as they go. The others report once, as they begin (building the indexes is
# reported with every row "done"): the bar stays at their start until the next phase.
COUNTED_PHASES = frozenset({Phase.READ, Phase.VALIDATE, Phase.WRITE})
ORDER = list(PHASE_WEIGHTS)


def _column(name: str) -> str:
    """The database column of ImportJob's field `name` (a concrete field, never a relation's reverse)."""
    field = ImportJob._meta.get_field(name)
    assert isinstance(field, Field)
    return field.column


class JobProgress:
    """The `progress` callback of one job's import (jixing.people.domain.progress.ProgressCallback)."""

    def __init__(self, job_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.clock = clock
        self.phase: Phase | None = None
        self.phase_started_at: datetime | None = None
        self.last_write = float("-inf")
        # A job run inside a transaction (tests, a caller's atomic block) may not even be committed:
        # no other connection can see its row, nobody could see its progress, so none is written.
        self.enabled = not connection.in_atomic_block
        self.aside: Any = None

    def __call__(self, progress: ImportProgress) -> None:
        if not self.enabled:
            return
        now = self.clock()
        changed = progress.phase != self.phase
        if not changed and now - self.last_write < MIN_INTERVAL:
            return
        at = timezone.now()
        if changed:
            self.phase, self.phase_started_at = progress.phase, at
        self.last_write = now
        # Every write carries the phase's start, so a skipped phase-change write loses nothing.
        self._write(
            {
                "phase": progress.phase.value,
                "done": progress.done,
                "total": progress.total,
                "phase_started_at": self.phase_started_at,
                "updated_at": at,
            }
        )

    def _write(self, values: dict[str, Any]) -> None:
        try:
            if self.aside is None:
                self.aside = _side_connection()
            ops = self.aside.ops
            qn = ops.quote_name
            assignments = ", ".join(f"{qn(_column(name))} = %s" for name in values)
            params = [
                ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in values.values()
            ]
            with self.aside.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {qn(ImportJob._meta.db_table)} SET {assignments}"
                    f" WHERE {qn('id')} = %s AND {qn('state')} = %s",
                    [*params, self.job_id, JobState.RUNNING.value],
                )
        except Error as exc:
            # SQLite's write lock held elsewhere, or the connection lost: the bar waits for the next report.
            logger.debug("import job %s: progress not written (%s)", self.job_id, exc)
            self.close()

    def close(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None


def _side_connection():
    """A second connection to the default database, in autocommit; on SQLite one that waits only briefly
    for the write lock."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "timeout": SQLITE_WAIT}
    aside = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="import_progress")
    # The importer reports from its own thread and, while DuckDB types the file, from a watcher thread;
    # the reports never overlap (the watcher ends before the importer goes on), so one connection serves.
    aside.inc_thread_sharing()
    return aside


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
    if job.total is None:
        return None  # the importer has not counted the rows yet: the bar shows activity, not a value
    before = sum(PHASE_WEIGHTS[p] for p in ORDER[: ORDER.index(phase)])
    within = min(1.0, job.done / job.total) if job.total and phase in COUNTED_PHASES else 0.0
    return (before + PHASE_WEIGHTS[phase] * within) / sum(PHASE_WEIGHTS.values())


def duration_text(seconds: int) -> str:
    if seconds < 60:
        return f"约 {max(seconds, 1)} 秒"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"约 {minutes} 分钟"
    return f"约 {minutes // 60} 小时 {minutes % 60} 分钟"
