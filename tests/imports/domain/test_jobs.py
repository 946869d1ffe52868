"""Import jobs from start to end. Tests run tasks with the immediate backend (tests/conftest.py): the job
has ended when start_import returns, as it would once a worker had run it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from jixing.audit.models import AuditEvent
from jixing.imports.domain.jobs import INTERRUPTED_MESSAGE, ImportBusy, run_job, start_import
from jixing.imports.enums import STALE_AFTER, ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.orgs.models import Org
from jixing.people.models import Role, Snapshot
from tests.factories import make_small_province, make_user
from tests.files import LEARNER_HEADER, ORG_HEADER, ROLE_HEADER, csv_file
from tests.processes import snapshot_import_elsewhere

pytestmark = pytest.mark.django_db
BASELINE = datetime(2023, 1, 3, 2, tzinfo=UTC)


@pytest.fixture
def admin(media_root):
    tree = make_small_province()
    return make_user(username="admin", role="province_admin", org=tree["province"])


def _stored_files(media_root) -> list[str]:
    folder = media_root / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _start(kind, rows, *, actor, filename="data.csv", **options) -> ImportJob:
    return start_import(kind, SimpleUploadedFile(filename, csv_file(rows)), actor=actor, **options)


def _job(kind=ImportKind.ORGS, **fields) -> ImportJob:
    return ImportJob.objects.create(kind=kind, original_name="旧.csv", **fields)


def test_start_import_runs_the_job_to_its_result(admin, media_root):
    job = _start(ImportKind.ORGS, [ORG_HEADER[:4], ["SZ", "省直工委", "P", "报送单位"]], actor=admin)
    assert (job.state, job.summary, job.phase) == (
        JobState.DONE,
        "组织架构导入完成：新增 1 个，更新 0 个，未变化 0 个",
        "done",
    )
    assert job.started_at <= job.finished_at
    assert (job.original_name, job.actor, job.task_id != "") == ("data.csv", admin, True)
    assert Org.objects.filter(code="SZ").exists()
    assert (job.file.name, _stored_files(media_root)) == ("", [])  # the upload is gone with the job


def test_start_import_is_an_audit_event(admin):
    job = _start(
        ImportKind.ORGS, [ORG_HEADER[:4], ["SZ", "省直工委", "P", "报送单位"]], actor=admin, ip="10.0.0.1"
    )
    event = AuditEvent.objects.get(action="import.start")
    assert (event.actor, event.target_id, event.summary, event.ip) == (
        admin,
        str(job.pk),
        "上传组织架构文件：data.csv",
        "10.0.0.1",
    )
    assert event.after["size"] == job.size and len(event.after["sha256"]) == 64


def test_a_refused_file_ends_the_job_refused_with_every_problem(admin, media_root):
    rows = [ROLE_HEADER, ["u1", "NOPE", "审核员", "", "", ""], ["u2", "TY", "审核员", "", "", ""]]
    job = _start(ImportKind.ROLES, rows, actor=admin)
    assert (job.state, job.summary, job.errors_total, job.errors_omitted) == (
        JobState.REFUSED,
        "文件有 1 处错误，未导入任何数据",
        1,
        0,
    )
    assert job.errors == [{"row": 2, "column": "组织编码", "value": "NOPE", "reason": "组织编码不存在"}]
    assert Role.objects.count() == 0
    assert _stored_files(media_root) == []


def test_start_import_refuses_while_a_job_of_the_kind_runs_and_stores_nothing(admin, media_root):
    running = _job(state=JobState.RUNNING, started_at=timezone.now())
    with pytest.raises(ImportBusy, match="已有一项组织架构导入进行中（旧.csv），请等它结束后再上传"):
        _start(ImportKind.ORGS, [ORG_HEADER[:4], ["SZ", "省直工委", "P", "报送单位"]], actor=admin)
    assert list(ImportJob.objects.all()) == [running]
    assert _stored_files(media_root) == []
    assert not AuditEvent.objects.filter(action="import.start").exists()


def test_a_queued_job_blocks_its_kind_only(admin):
    _job(state=JobState.QUEUED)
    with pytest.raises(ImportBusy, match="组织架构导入排队中"):
        _start(ImportKind.ORGS, [ORG_HEADER[:4]], actor=admin)
    job = _start(ImportKind.ROLES, [ROLE_HEADER, ["u1", "TY", "审核员", "", "", ""]], actor=admin)
    assert job.state == JobState.DONE


def test_a_stale_running_job_does_not_block_and_is_marked_interrupted(admin, media_root):
    silent_since = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    stale = _job(state=JobState.RUNNING, started_at=silent_since, updated_at=silent_since)
    stale.file.save("left-over.csv", ContentFile(b"x"))
    assert stale.shown_state() == "中断"
    job = _start(ImportKind.ORGS, [ORG_HEADER[:4], ["SZ", "省直工委", "P", "报送单位"]], actor=admin)
    assert job.state == JobState.DONE
    stale.refresh_from_db()
    assert (stale.state, stale.message, stale.file.name) == (JobState.INTERRUPTED, INTERRUPTED_MESSAGE, "")
    assert _stored_files(media_root) == []


def test_a_running_job_that_reported_lately_is_not_stale():
    job = _job(state=JobState.RUNNING, updated_at=timezone.now() - STALE_AFTER + timedelta(seconds=5))
    assert (job.is_stale(), job.shown_state()) == (False, "进行中")


def test_the_database_keeps_one_active_job_per_kind():
    _job(state=JobState.RUNNING)
    _job(state=JobState.DONE)
    _job(kind=ImportKind.ROLES, state=JobState.QUEUED)
    with pytest.raises(IntegrityError):
        _job(state=JobState.QUEUED)


def test_a_job_delivered_twice_runs_once(admin):
    job = _start(ImportKind.ORGS, [ORG_HEADER[:4], ["SZ", "省直工委", "P", "报送单位"]], actor=admin)
    assert run_job(job.pk) == JobState.DONE
    assert (
        AuditEvent.objects.filter(action="orgs.import").count()
        == AuditEvent.objects.filter(action="import.start").count()
    )


def test_a_job_that_breaks_ends_failed_with_a_message_and_raises(admin):
    job = _job(state=JobState.QUEUED, actor=admin, file="imports/missing.csv")
    with pytest.raises(FileNotFoundError):
        run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.message) == (
        JobState.FAILED,
        f"导入意外中止，未完成。请把任务编号 {job.pk} 告诉系统管理员",
    )
    assert job.finished_at is not None


def test_a_snapshot_job_is_named_after_the_file_and_writes_its_progress(admin):
    rows = [LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]
    job = _start(ImportKind.LEARNERS, rows, actor=admin, taken_at=BASELINE)
    assert job.state == JobState.DONE, job.message
    snapshot = Snapshot.objects.get(is_current=True)
    assert (job.name, snapshot.name, snapshot.source_name, snapshot.imported_by) == (
        "data",
        "data",
        "data.csv",
        admin,
    )
    assert job.summary == "积分快照“data”导入完成：1 名学员，已设为当前快照"


def test_a_snapshot_job_ends_failed_while_another_snapshot_import_runs(admin):
    """A snapshot imported from the command line at the same moment holds the importer's lock."""
    with snapshot_import_elsewhere():
        rows = [LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]
        job = _start(ImportKind.LEARNERS, rows, actor=admin, taken_at=BASELINE)
    assert (job.state, job.message) == (JobState.FAILED, "另一个积分快照正在导入，请等它完成后再导入")
    assert not Snapshot.objects.exists()
