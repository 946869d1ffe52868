"""材料打包 pages: who may build, watch and download a package, a double click that starts one build, and
the audit event of every download."""

from __future__ import annotations

import zipfile

import pytest
from django.urls import reverse

from jixing.accounts.enums import UserRole
from jixing.audit.enums import AuditAction
from jixing.audit.models import AuditEvent
from jixing.nominations.domain.packages import package_path, run_package
from jixing.nominations.enums import PackageState
from jixing.nominations.models import EvidencePackage
from tests.factories import make_user
from tests.nominations.domain.test_packages import PNG, SCHOOL, world  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def downloads() -> int:
    return AuditEvent.objects.filter(action=AuditAction.PACKAGE_DOWNLOAD).count()


def test_reviewer_builds_watches_and_downloads_his_units_package(client, world):  # noqa: F811
    unit = world["tree"]["taiyuan"]
    client.force_login(world["reviewer"])
    page = client.get(reverse("review:list", args=[unit.pk]))
    assert "生成材料包" in page.content.decode()
    response = client.post(reverse("review:package_unit_start", args=[unit.pk]))
    package = EvidencePackage.objects.get()
    assert response["Location"] == reverse("review:package", args=[package.pk])
    assert AuditEvent.objects.filter(action=AuditAction.PACKAGE_BUILD).count() == 1
    panel = client.get(reverse("review:package_panel", args=[package.pk])).content.decode()
    assert "已打包 2 项申报的报名表和印证材料，共 6 个文件" in panel
    assert "hx-trigger" not in panel  # finished: the polling stops
    response = client.get(reverse("review:package_download", args=[package.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    body = b"".join(response.streaming_content)
    assert body == package_path(package).read_bytes()
    event = AuditEvent.objects.get(action=AuditAction.PACKAGE_DOWNLOAD)
    assert (event.actor_id, event.target_id) == (world["reviewer"].pk, str(package.pk))
    client.get(reverse("review:package_download", args=[package.pk]))
    assert downloads() == 2
    # The list page now offers the finished zip.
    assert (
        reverse("review:package_download", args=[package.pk])
        in client.get(reverse("review:list", args=[unit.pk])).content.decode()
    )


def test_a_double_click_starts_one_build_and_the_panel_polls_while_it_runs(client, world, settings):  # noqa: F811
    settings.TASKS = DATABASE_TASKS  # queued for a worker, not run at once
    unit = world["tree"]["taiyuan"]
    client.force_login(world["reviewer"])
    first = client.post(reverse("review:package_unit_start", args=[unit.pk]))
    second = client.post(reverse("review:package_unit_start", args=[unit.pk]), follow=True)
    package = EvidencePackage.objects.get()
    assert first["Location"] == reverse("review:package", args=[package.pk])
    assert "该材料包已在生成中，无需重复提交" in second.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PACKAGE_BUILD).count() == 1
    panel = client.get(reverse("review:package_panel", args=[package.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in panel
    # Not finished: the download says so, in Chinese, and is no audit event.
    refused = client.get(reverse("review:package_download", args=[package.pk]), follow=True)
    assert "材料包尚未生成完成" in refused.content.decode()
    assert downloads() == 0
    # The province asking for the same unit gets the same running build.
    client.force_login(world["province"])
    client.post(reverse("review:package_unit_start", args=[unit.pk]))
    assert EvidencePackage.objects.count() == 1
    assert run_package(package.pk) == PackageState.DONE
    package.refresh_from_db()
    with zipfile.ZipFile(package_path(package)) as archive:
        assert archive.read(f"1.学员标兵/【学员标兵】欧阳明轩（{SCHOOL}）-积分截图.png") == PNG


def test_another_units_reviewer_gets_404_and_other_roles_403(client, world):  # noqa: F811
    unit = world["tree"]["taiyuan"]
    client.force_login(world["reviewer"])
    client.post(reverse("review:package_unit_start", args=[unit.pk]))
    package = EvidencePackage.objects.get()
    other = make_user(username="dt", role=UserRole.REPORTING_REVIEWER, org=world["tree"]["datong"])
    unit_admin = make_user(username="s", role=UserRole.UNIT_ADMIN, org=world["tree"]["school"])
    urls = [
        reverse("review:package", args=[package.pk]),
        reverse("review:package_panel", args=[package.pk]),
        reverse("review:package_download", args=[package.pk]),
    ]
    client.force_login(other)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert client.post(reverse("review:package_unit_start", args=[unit.pk])).status_code == 404
    assert client.post(reverse("review:package_category_start", args=[1])).status_code == 403
    client.force_login(unit_admin)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert downloads() == 0
    assert EvidencePackage.objects.count() == 1


def test_province_builds_a_category_package_from_the_lists_page(client, world):  # noqa: F811
    client.force_login(world["province"])
    page = client.get(reverse("review:province_lists") + "?category=2").content.decode()
    assert reverse("review:package_category_start", args=[2]) in page
    response = client.post(reverse("review:package_category_start", args=[2]))
    package = EvidencePackage.objects.get()
    assert response["Location"] == reverse("review:package", args=[package.pk])
    assert package.category.number == 2
    assert client.get(reverse("review:package_download", args=[package.pk])).status_code == 200
    assert downloads() == 1
    # A reviewer never sees a category's package, not even of his own unit's nominations.
    client.force_login(world["reviewer"])
    assert client.get(reverse("review:package", args=[package.pk])).status_code == 404
    assert client.post(reverse("review:package_category_start", args=[99])).status_code == 403
    client.force_login(world["province"])
    assert client.post(reverse("review:package_category_start", args=[99])).status_code == 404
