"""Evidence packages (issue 12, item 2): one zip of a reporting unit's or a category's 报名表 and evidence
files, named 【类型】姓名（单位）-材料名, with a contents sheet — built by the task, read back here."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jixing.accounts.enums import UserRole
from jixing.documents.evidence_package import CONTENTS_NAME, HEADERS, MISSING_NOTE
from jixing.nominations.domain.packages import (
    INTERRUPTED_MESSAGE,
    STALE_AFTER,
    package_path,
    start_package,
)
from jixing.nominations.enums import PackageState
from jixing.nominations.models import Attachment, EvidencePackage, Nomination
from tests.factories import (
    make_campaign,
    make_learner,
    make_nomination,
    make_small_province,
    make_snapshot,
    make_user,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
JPG_1 = b"\xff\xd8\xff\xe0" + b"scene-one" * 500
JPG_2 = b"\xff\xd8\xff\xe0" + b"scene-two" * 700
PDF = b"%PDF-1.4\n" + b"pledge " * 300 + b"\n%%EOF\n"
SCHOOL = "清徐县第一中学"


def attach(nomination, kind: str, name: str, content: bytes) -> Attachment:
    attachment = Attachment(
        nomination=nomination,
        kind=kind,
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


@pytest.fixture
def world(media_root, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    tree = make_small_province()
    snapshot = make_snapshot()
    campaign = make_campaign()
    for account, name in (("A1", "欧阳明轩"), ("A2", "热依汗·艾则孜"), ("A3", "司马云"), ("A4", "钟离燕")):
        make_learner(snapshot=snapshot, org=tree["dept"], account_id=account, name=name)
    make_learner(snapshot=snapshot, org=tree["datong_school"], account_id="B1", name="贾兰霞")
    school = tree["school"]
    first = make_nomination(campaign=campaign, recommending_org=school, nominee_account="A1",
                            nominee_name="欧阳明轩", number="N2022-0001")  # fmt: skip
    second = make_nomination(campaign=campaign, recommending_org=school, nominee_account="A2", category_number=2,
                             nominee_name="热依汗·艾则孜", number="N2022-0002", state="recommended")  # fmt: skip
    draft = make_nomination(campaign=campaign, recommending_org=school, nominee_account="A3", category_number=3,
                            nominee_name="司马云", number="N2022-0003", state="draft")  # fmt: skip
    rejected = make_nomination(campaign=campaign, recommending_org=school, nominee_account="A4", category_number=3,
                               nominee_name="钟离燕", number="N2022-0004", state="rejected")  # fmt: skip
    datong = make_nomination(campaign=campaign, recommending_org=tree["datong_school"], nominee_account="B1",
                             nominee_name="贾兰霞", number="N2022-0005", state="recommended")  # fmt: skip
    evidence = {
        "points": attach(first, "积分截图", "积分.png", PNG),
        "scene1": attach(first, "场景照片", "照片一.jpg", JPG_1),
        "scene2": attach(first, "场景照片", "照片二.jpg", JPG_2),
        "pledge": attach(second, "承诺书", "承诺书.pdf", PDF),
        "draft": attach(draft, "积分截图", "草稿.png", PNG),
        "rejected": attach(rejected, "积分截图", "未通过.png", PNG),
        "datong": attach(datong, "承诺书", "大同.pdf", PDF),
    }
    reviewer = make_user(username="ty", role=UserRole.REPORTING_REVIEWER, org=tree["taiyuan"])
    province = make_user(username="p", role=UserRole.PROVINCE_ADMIN, org=tree["province"])
    return {
        "tree": tree,
        "campaign": campaign,
        "evidence": evidence,
        "reviewer": reviewer,
        "province": province,
    }


def open_package(package) -> zipfile.ZipFile:
    return zipfile.ZipFile(package_path(package))


def contents_rows(archive: zipfile.ZipFile) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(archive.read(CONTENTS_NAME)), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_unit_package_holds_forms_and_evidence_named_by_the_plan(world):
    package, created = start_package(
        campaign=world["campaign"], reporting_unit=world["tree"]["taiyuan"], actor=world["reviewer"]
    )
    package.refresh_from_db()
    assert created is True
    assert (package.state, package.nominations, package.done, package.total, package.missing) == (
        PackageState.DONE, 2, 6, 6, 0,
    )  # fmt: skip
    first = f"1.学员标兵/【学员标兵】欧阳明轩（{SCHOOL}）"
    second = f"2.优秀学员/【优秀学员】热依汗·艾则孜（{SCHOOL}）"
    with open_package(package) as archive:
        assert archive.namelist() == [
            f"{first}-报名表.docx",
            f"{first}-积分截图.png",
            f"{first}-场景照片1.jpg",
            f"{first}-场景照片2.jpg",
            f"{second}-报名表.docx",
            f"{second}-承诺书.pdf",
            CONTENTS_NAME,
        ]
        assert archive.read(f"{first}-积分截图.png") == PNG
        assert archive.read(f"{first}-场景照片1.jpg") == JPG_1
        assert archive.read(f"{first}-场景照片2.jpg") == JPG_2
        assert archive.read(f"{second}-承诺书.pdf") == PDF
        # Pictures and PDFs are stored as they are; the contents sheet is deflated.
        assert archive.getinfo(f"{first}-积分截图.png").compress_type == zipfile.ZIP_STORED
        form = Document(io.BytesIO(archive.read(f"{first}-报名表.docx")))
        cells = {cell.text for table in form.tables for row in table.rows for cell in row.cells}
        assert {"欧阳明轩", "N2022-0001", SCHOOL} <= cells
        rows = contents_rows(archive)
        names = [n for n in archive.namelist() if n != CONTENTS_NAME]
        expected = [
            (
                i,
                name,
                "N2022-0001" if name.startswith(first) else "N2022-0002",
                "学员标兵" if name.startswith(first) else "优秀学员",
                "欧阳明轩" if name.startswith(first) else "热依汗·艾则孜",
                SCHOOL,
                name.rsplit("-", 1)[1].rsplit(".", 1)[0],
                len(archive.read(name)),
                hashlib.sha256(archive.read(name)).hexdigest(),
                None,
            )
            for i, name in enumerate(names, start=1)
        ]
    assert rows == [HEADERS, *expected]
    assert world["evidence"]["points"].sha256 == rows[2][8]


def test_category_package_holds_the_submitted_lists_of_every_unit(world):
    package, _ = start_package(
        campaign=world["campaign"],
        category=world["campaign"].categories.get(number=2),
        actor=world["province"],
    )
    package.refresh_from_db()
    with open_package(package) as archive:
        assert archive.namelist() == [
            f"太原市通讯站/【优秀学员】热依汗·艾则孜（{SCHOOL}）-报名表.docx",
            f"太原市通讯站/【优秀学员】热依汗·艾则孜（{SCHOOL}）-承诺书.pdf",
            CONTENTS_NAME,
        ]
    category_one, _ = start_package(
        campaign=world["campaign"],
        category=world["campaign"].categories.get(number=1),
        actor=world["province"],
    )
    category_one.refresh_from_db()
    with open_package(category_one) as archive:
        # 欧阳明轩 is 已申报 (not on a submitted list); 贾兰霞 of 大同 is 已报送.
        assert archive.namelist() == [
            "大同市通讯站/【学员标兵】贾兰霞（大同市第二中学）-报名表.docx",
            "大同市通讯站/【学员标兵】贾兰霞（大同市第二中学）-承诺书.pdf",
            CONTENTS_NAME,
        ]
        assert archive.read("大同市通讯站/【学员标兵】贾兰霞（大同市第二中学）-承诺书.pdf") == PDF


def test_a_missing_evidence_file_is_listed_not_packed(world):
    scene = world["evidence"]["scene2"]
    scene.file.storage.delete(scene.file.name)
    package, _ = start_package(
        campaign=world["campaign"], reporting_unit=world["tree"]["taiyuan"], actor=world["reviewer"]
    )
    package.refresh_from_db()
    assert (package.state, package.done, package.missing) == (PackageState.DONE, 6, 1)
    missing = f"1.学员标兵/【学员标兵】欧阳明轩（{SCHOOL}）-场景照片2.jpg"
    with open_package(package) as archive:
        assert missing not in archive.namelist()
        row = next(r for r in contents_rows(archive) if r[1] == missing)
    assert (row[7], row[8], row[9]) == (None, None, MISSING_NOTE)


def test_a_newer_build_replaces_the_older_zip(world):
    unit = world["tree"]["taiyuan"]
    old, _ = start_package(campaign=world["campaign"], reporting_unit=unit, actor=world["reviewer"])
    old.refresh_from_db()
    old_path = package_path(old)
    assert old_path.is_file()
    new, created = start_package(campaign=world["campaign"], reporting_unit=unit, actor=world["reviewer"])
    new.refresh_from_db()
    assert created is True
    assert new.pk != old.pk
    assert not old_path.exists()
    assert package_path(new).is_file()
    assert list(package_path(new).parent.iterdir()) == [package_path(new)]


def test_a_build_whose_worker_died_no_longer_blocks_a_new_one(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    unit = world["tree"]["taiyuan"]
    stuck, _ = start_package(campaign=world["campaign"], reporting_unit=unit, actor=world["reviewer"])
    again, created = start_package(campaign=world["campaign"], reporting_unit=unit, actor=world["reviewer"])
    assert (again.pk, created) == (stuck.pk, False)
    silent = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    EvidencePackage.objects.filter(pk=stuck.pk).update(state=PackageState.RUNNING, updated_at=silent)
    fresh, created = start_package(campaign=world["campaign"], reporting_unit=unit, actor=world["reviewer"])
    stuck.refresh_from_db()
    assert created is True
    assert fresh.pk != stuck.pk
    assert (stuck.state, stuck.message) == (PackageState.INTERRUPTED, INTERRUPTED_MESSAGE)


def test_names_with_characters_windows_refuses_are_made_safe(world):
    nomination = world["evidence"]["points"].nomination
    Nomination.objects.filter(pk=nomination.pk).update(nominee_name='欧阳/明轩:"CON"')
    package, _ = start_package(
        campaign=world["campaign"], reporting_unit=world["tree"]["taiyuan"], actor=world["reviewer"]
    )
    package.refresh_from_db()
    with open_package(package) as archive:
        names = archive.namelist()
        rows = contents_rows(archive)
    assert names[0] == f"1.学员标兵/【学员标兵】欧阳明轩CON（{SCHOOL}）-报名表.docx"
    assert all(not set('\\:*?"<>|') & set(name) for name in names)
    assert rows[1][4] == '欧阳/明轩:"CON"'  # the contents sheet keeps the name as it is
