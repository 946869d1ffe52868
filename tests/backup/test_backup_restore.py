import hashlib
import io
import json
import shutil
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixing.accounts.enums import UserRole
from jixing.accounts.models import User
from jixing.audit.domain.events import record_event, verify_chain
from jixing.backup.dump import create_backup
from jixing.backup.load import restore_backup
from jixing.backup.manifest import EXCLUDED, BackupError, backed_up_models
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
