import hashlib
import io
import json
import re
import shutil
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event, verify_chain
from jixing.backup.dump import create_backup
from jixing.backup.load import restore_backup
from jixing.backup.manifest import EXCLUDED, BackupError, applied_migrations, backed_up_models
from tests.backup.tables import digest
from tests.factories import make_campaign, make_nomination, make_small_province, make_user

PASSWORD = "pw-for-tests-only"


def populate(media_root) -> None:
    tree = make_small_province()
    admin = make_user(username="prov", role=UserRole.PROVINCE_ADMIN, org=tree["province"], is_staff=True)
    TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    reviewers = Group.objects.create(name="审核组")
    reviewers.permissions.add(Permission.objects.get(codename="view_user"))
    make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"]).groups.add(reviewers)
    for n in range(3):
        record_event(
            action="test", actor=admin, target=tree["school"], summary=f"第{n + 1}次", after={"n": n}
        )
    campaign = make_campaign()  # its categories, phases and quotas
    make_nomination(campaign=campaign, recommending_org=tree["school"], nominee_account="A1")
    (media_root / "nominations" / "7").mkdir(parents=True)
    (media_root / "nominations" / "7" / "证明.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
    (media_root / "top.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 1000)


def holding_rows() -> set[str]:
    """Every table of the product that holds rows now, asked of the models themselves, not of the backup's
    own list: a model the backup leaves out must show here."""
    return {
        m._meta.label_lower
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._base_manager.exists()
    } - EXCLUDED


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def file_hashes(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_into_an_empty_instance(tmp_path, media_root):
    populate(media_root)
    rows, files = counts(), file_hashes(media_root)
    archive = create_backup(tmp_path).path
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["models"] == rows
    assert {"nominations.nomination", "campaigns.campaign", "audit.auditevent"} <= holding_rows()
    assert holding_rows() <= {label for label, n in manifest["models"].items() if n}
    assert {path: entry["sha256"] for path, entry in manifest["files"].items()} == files

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    assert sum(counts().values()) == 0

    result = restore_backup(archive)
    assert (result.rows, result.files) == (sum(rows.values()), 2)
    assert counts() == rows
    assert file_hashes(media_root) == files
    assert verify_chain() == []  # timestamps kept to the microsecond: every hash still matches
    assert User.objects.get(username="prov").check_password(PASSWORD)
    assert list(User.objects.get(username="ty").get_all_permissions()) == ["accounts.view_user"]
    assert TOTPDevice.objects.get(user__username="prov").confirmed is True


@pytest.mark.django_db
def test_restore_refuses_an_instance_that_has_data(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    with pytest.raises(BackupError, match="只能恢复到空实例：数据库已有数据"):
        restore_backup(archive)


def _rewrite(archive, target, change) -> None:
    """Copy an archive, passing each member's name and bytes through `change` (which may drop it)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            name, data = change(member.name, source.extractfile(member).read())
            if name is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))


@pytest.mark.django_db
def test_restore_refuses_a_damaged_archive_before_touching_anything(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(
        archive, damaged, lambda n, d: (n, d.replace(b"x" * 10, b"y" * 10) if n == "files/top.jpg" else d)
    )
    with pytest.raises(BackupError, match="校验失败：files/top.jpg 的 sha256 与清单不符"):
        restore_backup(damaged)
    missing = tmp_path / "missing.tar.gz"
    _rewrite(archive, missing, lambda n, d: (None if n == "files/top.jpg" else n, d))
    with pytest.raises(BackupError, match="缺少清单所列的 1 个文件"):
        restore_backup(missing)


@pytest.mark.django_db
def test_restore_refuses_paths_outside_media_root(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    evil = tmp_path / "evil.tar.gz"
    _rewrite(archive, evil, lambda n, d: ("files/../../escaped.txt" if n == "files/top.jpg" else n, d))
    with pytest.raises(BackupError, match="文件路径不安全"):
        restore_backup(evil)
    assert not (tmp_path / "escaped.txt").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    with pytest.raises(BackupError, match="这不是集星备份文件"):
        restore_backup(other)


def test_backup_refuses_to_overwrite(tmp_path):
    (tmp_path / "exists.tar.gz").write_bytes(b"")
    with pytest.raises(BackupError, match="已存在，不会覆盖"):
        create_backup(tmp_path / "exists.tar.gz")


def _altered(archive, target, *, manifest=None, data=None) -> None:
    """Copy an archive with its manifest and/or its data changed, the data's checksum kept right: what a
    backup made by another version of jixing looks like."""
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers()}
    if data is not None:
        members["data.jsonl"] = data(members["data.jsonl"].decode()).encode()
    content = json.loads(members["manifest.json"])
    content["data"] = {
        "sha256": hashlib.sha256(members["data.jsonl"]).hexdigest(),
        "bytes": len(members["data.jsonl"]),
    }
    if manifest is not None:
        manifest(content)
    members["manifest.json"] = json.dumps(content).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            out.addfile(info, io.BytesIO(payload))


def _later_version(manifest) -> None:
    """The archive of a later version: one more migration of nominations, and one of the people app's
    that this version does not have either."""
    manifest["migrations"]["nominations"].append("0999_nomination_later_field")
    manifest["migrations"]["people"].append("0999_people_later_change")


@pytest.mark.django_db
def test_restore_refuses_another_schema_version_and_changes_nothing(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    later = tmp_path / "later.tar.gz"
    _altered(archive, later, manifest=_later_version)
    before = digest()

    # --force (replace what the instance holds) does not override the schema check.
    with pytest.raises(BackupError) as refused:
        restore_backup(later, force=True)
    assert str(refused.value).startswith(
        "备份的数据库结构版本与本实例不同（nominations：备份有、本实例没有 0999_nomination_later_field，"
        "people：备份有、本实例没有 0999_people_later_change），未恢复任何数据。"
    )
    assert "--force-schema" in str(refused.value)
    assert digest() == before  # every row and every file as it was

    with pytest.raises(CommandError, match="备份的数据库结构版本与本实例不同（nominations："):
        call_command("restore", str(later), "--force")
    assert digest() == before


@pytest.mark.django_db
def test_restore_names_migrations_of_this_version_that_the_backup_lacks(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    earlier = tmp_path / "earlier.tar.gz"
    # The archive of an earlier version: before the last migration of audit, and before the imports app.
    newest_audit = applied_migrations()["audit"][-1]

    def earlier_version(manifest):
        manifest["migrations"]["audit"].remove(newest_audit)
        del manifest["migrations"]["imports"]

    _altered(archive, earlier, manifest=earlier_version)
    with pytest.raises(BackupError) as refused:
        restore_backup(earlier, force=True)
    message = str(refused.value)
    assert f"audit：本实例有、备份没有 {newest_audit}" in message
    assert "imports：本实例有、备份没有 0001_initial" in message


@pytest.mark.django_db(transaction=True)  # restored as in production, not inside a test's transaction
def test_restore_with_force_schema_restores_into_this_version(tmp_path, media_root):
    populate(media_root)
    expected = digest()
    archive = create_backup(tmp_path / "backup.tar.gz").path
    later = tmp_path / "later.tar.gz"

    def later_data(text: str) -> str:
        # A column and a table this version does not have.
        rows = [json.loads(line) for line in text.splitlines()]
        for row in rows:
            if row["model"] == "nominations.nomination":
                row["fields"]["later_field"] = "以后的版本才有的字段"
        rows.append({"model": "nominations.laterthing", "pk": 1, "fields": {"name": "以后的表"}})
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)

    def later_manifest(manifest):
        _later_version(manifest)
        manifest["models"]["nominations.laterthing"] = 1

    _altered(archive, later, manifest=later_manifest, data=later_data)
    with pytest.raises(BackupError, match="备份的数据库结构版本与本实例不同"):
        restore_backup(later)  # an empty instance refuses it too
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)

    out = io.StringIO()
    call_command("restore", str(later), "--force-schema", stdout=out)
    assert "按本实例的数据库结构恢复，本实例没有的表未恢复：nominations.laterthing" in out.getvalue()
    assert digest() == expected


@pytest.mark.django_db(transaction=True)  # --force empties the database as it would in production
def test_restore_with_force_replaces_what_a_non_empty_instance_holds(tmp_path, media_root):
    populate(media_root)
    expected = digest()
    archive = create_backup(tmp_path / "backup.tar.gz").path
    # The instance goes on after the backup: a new account, a changed name, an event, a changed file.
    make_user(username="later", role=UserRole.LEARNER)
    User.objects.filter(username="ty").update(first_name="改过")
    record_event(action="test", actor=None, target=User.objects.get(username="later"), summary="之后")
    (media_root / "top.jpg").write_bytes(b"changed")
    with pytest.raises(BackupError, match="只能恢复到空实例：数据库已有数据"):
        restore_backup(archive)

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "行数与校验和均一致" in out.getvalue()
    assert digest() == expected
    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)  # --force empties the database as it would in production
def test_a_restore_that_fails_to_load_undoes_everything(tmp_path, media_root):
    populate(media_root)
    archive = create_backup(tmp_path / "backup.tar.gz").path
    broken = tmp_path / "broken.tar.gz"
    # Same schema, but a nomination whose category does not exist: the load fails half-way.
    _altered(
        archive, broken, data=lambda text: re.sub(r'"category": \d+', '"category": 99999', text, count=1)
    )
    User.objects.filter(username="ty").update(first_name="改过")
    before = digest()
    with pytest.raises(BackupError, match="^恢复失败，已全部撤销，数据库与文件均未改动："):
        restore_backup(broken, force=True)  # the flush that --force begins with is undone too
    assert digest() == before
