import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jixing.imports.domain.progress import ORDER, JobProgress, duration_text, job_status, overall_fraction
from jixing.imports.enums import STALE_AFTER, ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.people.domain.imports import import_snapshot
from jixing.people.domain.progress import ImportProgress, Phase
from tests.conftest import is_postgres
from tests.factories import make_small_province
from tests.files import LEARNER_HEADER, csv_file

BASELINE = datetime(2023, 1, 3, 2, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _running(**fields) -> ImportJob:
    now = timezone.now()
    values = {"kind": ImportKind.LEARNERS, "state": JobState.RUNNING, "original_name": "a.csv"}
    values |= {"started_at": now, "updated_at": now} | fields
    return ImportJob.objects.create(**values)


def _seen(job: ImportJob) -> tuple:
    job.refresh_from_db()
    return job.phase, job.done, job.total


# The writes go through a connection of their own, so these tests commit (transaction=True) as a worker does.
@pytest.mark.django_db(transaction=True)
def test_progress_is_written_at_each_phase_change_and_at_most_twice_a_second():
    job, clock = _running(), Clock()
    progress = JobProgress(job.pk, clock=clock)
    progress(ImportProgress(Phase.VALIDATE, 0, 1000))
    assert _seen(job) == ("validate", 0, 1000)
    validate_started = job.phase_started_at
    clock.now = 0.3
    progress(ImportProgress(Phase.VALIDATE, 250, 1000))
    assert _seen(job) == ("validate", 0, 1000)  # too soon
    clock.now = 0.6
    progress(ImportProgress(Phase.VALIDATE, 500, 1000))
    assert _seen(job) == ("validate", 500, 1000)
    assert job.phase_started_at == validate_started
    clock.now = 0.7
    progress(ImportProgress(Phase.WRITE, 0, 1000))  # a phase change is never held back
    assert _seen(job) == ("write", 0, 1000)
    assert job.phase_started_at > validate_started
    progress.close()


@pytest.mark.django_db(transaction=True)
def test_progress_leaves_an_ended_job_alone():
    job = _running(state=JobState.DONE, phase="done")
    progress = JobProgress(job.pk)
    progress(ImportProgress(Phase.WRITE, 10, 100))
    progress.close()
    assert _seen(job) == ("done", 0, None)


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_progress_reported_inside_a_transaction_of_the_importer_is_not_held_by_it():
    job = _running()
    progress = JobProgress(job.pk)
    started = time.monotonic()
    with pytest.raises(Rollback), transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).exists()
        progress(ImportProgress(Phase.WRITE, 250_000, 300_000))
        raise Rollback
    progress.close()
    if is_postgres():
        assert _seen(job) == ("write", 250_000, 300_000)  # written, and not undone with the rollback
    else:
        # SQLite: one writer at a time, and here the importer holds the lock: the bar waits, not the import.
        assert _seen(job) == ("", 0, None)
        assert time.monotonic() - started < 1


@pytest.mark.django_db
def test_a_job_run_inside_a_transaction_writes_no_progress():
    job = _running()
    progress = JobProgress(job.pk)
    progress(ImportProgress(Phase.WRITE, 10, 100))
    assert _seen(job) == ("", 0, None)


@pytest.mark.django_db
def test_the_snapshot_importer_goes_through_the_phases_in_the_bars_order(tmp_path):
    make_small_province()
    path = tmp_path / "snapshot.csv"
    path.write_bytes(csv_file([LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]))
    seen: list[Phase] = []
    import_snapshot(path, name="基准", taken_at=BASELINE, progress=lambda p: seen.append(p.phase))
    phases = [phase for n, phase in enumerate(seen) if n == 0 or seen[n - 1] != phase]
    assert phases[-1] == Phase.DONE
    assert phases[:-1] == sorted(phases[:-1], key=ORDER.index)


def _job(**fields) -> ImportJob:
    now = timezone.now()
    values = {
        "kind": ImportKind.LEARNERS,
        "state": JobState.RUNNING,
        "started_at": now - timedelta(seconds=20),
    }
    values |= {"updated_at": now, "phase_started_at": now - timedelta(seconds=5)} | fields
    return ImportJob(**values)


def test_the_bar_runs_through_the_phases_without_going_back():
    reports = [("validate", 500), ("rank", 0), ("write", 0), ("write", 500), ("write", 1000), ("index", 1000)]
    seen = [overall_fraction(_job(phase=phase, done=done, total=1000)) for phase, done in reports]
    # indexes: reported as they begin, "all done"
    assert seen == pytest.approx([0.15, 0.30, 0.31, 0.555, 0.80, 0.80])


def test_the_bar_shows_activity_before_anything_is_counted():
    assert overall_fraction(_job(phase="read", total=None)) is None
    assert overall_fraction(_job(phase="validate", done=300_000, total=None)) is None
    assert overall_fraction(_job(phase="", state=JobState.QUEUED)) is None
    assert job_status(_job(phase="read", total=None)).percent is None


def test_status_of_a_running_job_gives_rate_and_time_left():
    now = timezone.now()
    job = _job(phase="write", done=1_500_000, total=3_000_000, started_at=now - timedelta(seconds=31))
    status = job_status(job, now)
    # 30 + 1 + 49 × 0.5 = 55.5 % in 31 s: 24.9 s to go; 1,500,000 rows in the 5 s of this phase
    assert (status.state, status.live, status.percent, status.rate, status.seconds_left) == (
        "进行中",
        True,
        55,
        300_000,
        25,
    )
    assert status.time_left == "约 25 秒"


def test_status_of_a_silent_job_is_interrupted_and_not_live():
    now = timezone.now()
    job = _job(phase="write", done=10, total=100, updated_at=now - STALE_AFTER - timedelta(seconds=1))
    status = job_status(job, now)
    assert (status.state, status.live, status.seconds_left) == ("中断", False, None)


def test_status_of_a_done_job_is_full():
    status = job_status(_job(state=JobState.DONE, phase="done"))
    assert (status.state, status.live, status.percent) == ("已完成", False, 100)


def test_duration_text_in_chinese():
    assert [duration_text(s) for s in (0, 42, 90, 3600 + 5 * 60)] == [
        "约 1 秒",
        "约 42 秒",
        "约 2 分钟",
        "约 1 小时 5 分钟",
    ]
