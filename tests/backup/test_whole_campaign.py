"""A whole campaign survives `jixing backup` and `jixing restore`, every table row by row and every file by
hash, across databases: SQLite → SQLite in the SQLite pass; PostgreSQL → SQLite and SQLite → PostgreSQL in
the PostgreSQL pass (the SQLite instance restored from PostgreSQL makes the archive that goes back into a
fresh PostgreSQL database, each compared with the original).

The campaign is the demo's at its last phase (通报表扬), plus what the demo leaves empty — admin log,
groups and permissions, a second factor, notifications read, objections with their encrypted phone
numbers, import jobs (one with its uploaded file), an evidence package and a certificate batch queued — so
that every table holds rows: a table the backup left out, or a
column it dropped, would differ after the restore.
"""

from __future__ import annotations

import json
import tarfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.announcements.domain.certificate_batches import start_batch
from jixing.announcements.enums import ObjectionOutcome
from jixing.announcements.models import AnnouncementEntry, Objection
from jixing.backup.dump import create_backup
from jixing.backup.manifest import backed_up_models
from jixing.imports.domain.jobs import start_import
from jixing.imports.enums import ImportKind, JobState
from jixing.nominations.domain.packages import start_package
from jixing.notifications.domain import mark_all_read, notify
from jixing.orgs.enums import OrgLevel
from jixing.orgs.models import Org, OrgTree
from jixing.settings import TASKS_BACKENDS
from tests.backup.tables import Instance, differences, digest, fresh_postgres_database, product_tables
from tests.conftest import is_postgres
from tests.demo.conftest import run_demo_data
from tests.files import ROLE_HEADER, csv_file

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LEARNERS = 1000  # the demo's smallest province
PHONES = ("13934567812", "0351-7654321", "13900001701")  # the objectors', then a reviewer account's
# Background work run inside the call that starts it, or left queued for a worker (a served instance).
RUN_NOW = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUE = {"default": {"BACKEND": TASKS_BACKENDS["database"], "QUEUES": ["default"]}}


def fill_what_the_demo_leaves_empty() -> None:
    """Rows for the tables a demo campaign leaves empty, made the way the product makes them."""
    province = User.objects.get(role=UserRole.PROVINCE_ADMIN, username="province")
    reviewer = User.objects.filter(role=UserRole.REPORTING_REVIEWER).order_by("pk").first()
    # Next year's org tree, begun beside this year's (its province node, the code the same as this year's).
    tree = OrgTree.objects.create(name="2023年度组织架构")
    Org.objects.create(tree=tree, code=reviewer.org.parent.code, name="山西省", level=OrgLevel.PROVINCE)
    # The admin site's log, a group with a permission, a permission given to one user, a second factor.
    LogEntry.objects.create(
        user=province,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(reviewer.pk),
        object_repr=str(reviewer),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["email"]}}]',
    )
    group = Group.objects.create(name="省平台值班组")
    group.permissions.add(Permission.objects.get(codename="view_user"))
    province.groups.add(group)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_group"))
    TOTPDevice.objects.create(user=province, name="手机", confirmed=True)
    User.objects.filter(pk=province.pk).update(email="province@example.cn", last_login=timezone.now())
    # An account's phone (the 账号 template's 手机号), encrypted at rest like the objections' below.
    reviewer.phone = PHONES[2]
    reviewer.save(update_fields=["phone"])

    # Two real-name objections received during the 公示 (phone numbers encrypted at rest), one handled. At
    # 通报表扬 the window has closed (submit_objection refuses), so they are written as it would have.
    entries = list(AnnouncementEntry.objects.select_related("announcement").order_by("position")[:2])
    opened = entries[0].announcement.window_starts_at + timedelta(hours=10)
    Objection.objects.create(
        nomination=entries[0].nomination,
        receipt="YYKMPQ0417",
        name="欧阳·晓梅",
        phone=PHONES[0],
        content="该同志所报学习时长与实际不符，请核查。",
        received_at=opened,
        ip="203.0.113.9",
        outcome=ObjectionOutcome.DISMISSED,
        handled_by=province,
        handled_at=opened + timedelta(days=1, microseconds=250),
        note="经核查，学习时长与平台记录一致。",
    )
    Objection.objects.create(
        nomination=entries[1].nomination,
        receipt="YYTRWX0932",
        name="司马建国",
        phone=PHONES[1],
        content="推荐材料中的获奖证书疑似重复使用。",
        received_at=opened + timedelta(minutes=7),
    )

    # In-app notices, one of them read.
    nomination = entries[0].nomination
    with transaction.atomic():
        notify(
            [province, reviewer], message=f"申报 {nomination.number} 的材料已归档。", nomination=nomination
        )
    mark_all_read(province)

    # Import jobs: one refused (its errors kept, its file removed), one still queued with its upload.
    bad_roles = csv_file([ROLE_HEADER, ["a-1", "不存在的组织", "审核员", "是", "", ""]])
    with override_settings(TASKS=RUN_NOW):
        refused = start_import(ImportKind.ROLES, SimpleUploadedFile("角色.csv", bad_roles), actor=province)
    assert refused.state == JobState.REFUSED and refused.errors
    with override_settings(TASKS=QUEUE):
        queued = start_import(
            ImportKind.ROLES, SimpleUploadedFile("角色（新）.csv", bad_roles), actor=province
        )
    assert queued.state == JobState.QUEUED and queued.file

    # An evidence package and a batch of certificates, queued (their files would be made by a worker).
    with override_settings(TASKS=QUEUE):
        start_package(campaign=nomination.campaign, actor=province, reporting_unit=nomination.reporting_unit)
        start_batch(campaign=nomination.campaign, actor=province)


@pytest.fixture(scope="module")
def whole_campaign(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province at 通报表扬 and the rows above, shared by this module's tests (which only read it:
    each runs in a transaction rolled back after it); flushed when the module is done. Its MEDIA_ROOT."""
    media = tmp_path_factory.mktemp("campaign-files")
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST), django_db_blocker.unblock():
        try:
            run_demo_data(phase="commend", learners=LEARNERS)
            fill_what_the_demo_leaves_empty()
            yield media
        finally:
            call_command("flush", interactive=False, verbosity=0)


def empty_tables(tables: dict[str, list[Any]]) -> list[str]:
    return sorted(label for label, rows in tables.items() if not rows)


@pytest.mark.django_db
def test_whole_campaign_fills_every_table_the_backup_covers(whole_campaign):
    # The backup's manifest lists every model of the product but its deliberate exclusions, and each of
    # them holds rows, as does every many-to-many table: a model added without rows here fails this test
    # until the fixture above makes some.
    manifest_models = {m._meta.label_lower for m in backed_up_models()}
    tables = {m: m._base_manager.count() for m in product_tables()}
    assert {m._meta.label_lower for m in tables if not m._meta.auto_created} == manifest_models
    assert sorted(m._meta.label_lower for m, n in tables.items() if n == 0) == []


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]


def assert_same_instance(expected: dict[str, Any], found: dict[str, Any]) -> None:
    assert differences(expected["tables"], found["tables"]) == {}
    assert found["files"] == expected["files"]
    # The personal numbers are encrypted again on the way in, never stored in clear.
    assert found["encrypted"] == expected["encrypted"]
    assert all(column["plain"] == 0 and column["tokens"] > 0 for column in found["encrypted"].values())


@pytest.mark.django_db
def test_whole_campaign_survives_backup_and_restore_across_databases(whole_campaign, tmp_path):
    source = json.loads(json.dumps(digest(), ensure_ascii=False))  # as the other process's JSON reads
    assert empty_tables(source["tables"]) == []
    assert len(source["files"]) > 900  # attachments, sealed scans, the queued import's upload
    archive = create_backup(tmp_path / "campaign.tar.gz").path
    manifest = _manifest(archive)
    assert manifest["database"] == source["vendor"]
    assert sorted(label for label, n in manifest["models"].items() if n == 0) == []
    assert set(manifest["files"]) == set(source["files"])
    with tarfile.open(archive) as tar:
        data = tar.extractfile("data.jsonl").read().decode()  # type: ignore[union-attr]
    assert not any(phone in data for phone in PHONES)  # personal numbers travel encrypted

    # Into a fresh SQLite instance: SQLite → SQLite, or PostgreSQL → SQLite in the PostgreSQL pass.
    into_sqlite = Instance(tmp_path / "sqlite")
    out = into_sqlite.jixing("restore", str(archive)).stdout
    assert "行数与校验和均一致" in out
    restored = into_sqlite.digest()
    assert restored["vendor"] == "sqlite"
    assert_same_instance(source, restored)

    if is_postgres():
        # SQLite → PostgreSQL: the SQLite instance makes its own archive, restored into a new database.
        into_sqlite.jixing("backup", str(tmp_path / "from-sqlite.tar.gz"))
        assert _manifest(tmp_path / "from-sqlite.tar.gz")["database"] == "sqlite"
        with fresh_postgres_database() as url:
            into_postgres = Instance(tmp_path / "postgres", url)
            into_postgres.jixing("restore", str(tmp_path / "from-sqlite.tar.gz"))
            restored = into_postgres.digest()
        assert restored["vendor"] == "postgresql"
        assert_same_instance(source, restored)
