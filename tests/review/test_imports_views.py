import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixing.accounts.enums import UserRole
from jixing.imports.enums import ImportKind, JobState
from jixing.imports.models import ImportJob
from jixing.orgs.models import Org, OrgTree
from jixing.people.models import Snapshot
from tests.factories import make_campaign, make_small_province, make_user
from tests.files import LEARNER_HEADER, ORG_HEADER, ORG_ROWS, csv_file

pytestmark = pytest.mark.django_db
URL = reverse("review:imports")


@pytest.fixture
def admin_client(client, media_root):
    tree = make_small_province()
    client.force_login(make_user(username="admin", role=UserRole.PROVINCE_ADMIN, org=tree["province"]))
    return client


def _upload(client, kind, data, name="data.csv", **fields):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data), **fields})


def _upload_and_follow(client, kind, data, name="data.csv", **fields):
    """Upload, then the job's page the upload redirects to (tests run tasks immediately: it has ended)."""
    response = _upload(client, kind, data, name, **fields)
    job = ImportJob.objects.latest("pk")
    assert (response.status_code, response["Location"]) == (302, reverse("review:import_job", args=[job.pk]))
    return client.get(response["Location"])


def _running_job(**fields) -> ImportJob:
    now = timezone.now()
    values = {
        "kind": ImportKind.LEARNERS,
        "state": JobState.RUNNING,
        "original_name": "基准积分.csv",
        "started_at": now - timedelta(seconds=10),
        "phase": "write",
        "phase_started_at": now - timedelta(seconds=4),
        "updated_at": now,
        "done": 2_000_000,
        "total": 8_000_000,
    } | fields
    return ImportJob.objects.create(**values)


def test_imports_page_redirects_anonymous_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [UserRole.REPORTING_REVIEWER, UserRole.UNIT_ADMIN, UserRole.LEARNER])
def test_imports_page_refuses_everyone_but_province_admins(client, role):
    tree = make_small_province()
    client.force_login(make_user(username="u", role=role, org=tree["taiyuan"]))
    assert client.get(URL).status_code == 403
    assert _upload(client, "orgs", csv_file([ORG_HEADER, *ORG_ROWS])).status_code == 403
    assert client.get(reverse("review:template", args=["orgs", "xlsx"])).status_code == 403
    assert "数据导入" not in client.get(reverse("portal:home")).content.decode()


def test_imports_page_refuses_a_superuser_without_the_role(client):
    client.force_login(make_user(username="root", role=UserRole.LEARNER, is_superuser=True, is_staff=True))
    assert client.get(URL).status_code == 403


def test_imports_page_offers_the_templates_and_a_nav_link(admin_client):
    body = admin_client.get(URL).content.decode()
    for slug in ("orgs", "learners", "roles"):
        assert reverse("review:template", args=[slug, "xlsx"]) in body
    assert f'<a href="{URL}">数据导入</a>' in admin_client.get(reverse("portal:home")).content.decode()


def test_template_download_is_the_xlsx_template(admin_client):
    response = admin_client.get(reverse("review:template", args=["learners", "xlsx"]))
    assert response.status_code == 200
    assert "filename*=UTF-8''%E7%A7%AF%E5%88%86" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["学号", "姓名", "手机号"]
    assert admin_client.get(reverse("review:template", args=["nope", "xlsx"])).status_code == 404


def test_imports_page_shows_counts_after_a_good_file(admin_client):
    header = ["组织编码", "组织名称", "上级组织编码", "层级"]
    response = _upload_and_follow(
        admin_client, "orgs", csv_file([header, ["SZ", "省直工委", "P", "报送单位"]], "gbk")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "组织架构导入完成：新增 1 个，更新 0 个，未变化 0 个" in body
    assert "hx-trigger" not in body  # ended: nothing to poll
    assert Org.objects.filter(code="SZ").exists()


def test_imports_page_shows_the_full_error_table_and_stores_nothing(admin_client):
    before = Org.objects.count()
    rows = [
        ORG_HEADER,
        ["X1", "甲", "NOPE", "单位", "", "", "", ""],
        ["X2", "乙", "TY", "单位", "", "", "91110000600037341X", ""],
    ]
    body = _upload_and_follow(admin_client, "orgs", csv_file(rows)).content.decode()
    assert "已拒绝" in body
    assert "文件有 2 处错误，未导入任何数据" in body
    assert "<th>行</th><th>列</th><th>值</th><th>原因</th>" in body
    assert '<td class="num">2</td><td>上级组织编码</td><td>NOPE</td><td>上级组织编码不存在</td>' in body
    assert (
        '<td class="num">3</td><td>统一社会信用代码</td><td>91110000600037341X</td><td>统一社会信用代码校验位不正确</td>'
        in body
    )
    assert Org.objects.count() == before


def test_imports_page_reports_an_unreadable_encoding(admin_client):
    body = _upload_and_follow(admin_client, "roles", "学号,组织编码,角色\n".encode("utf-16")).content.decode()
    assert (
        '<td class="num">—</td><td>—</td><td></td><td>文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV</td>'
        in body
    )


def test_imports_page_imports_a_snapshot_named_after_the_file(admin_client):
    data = csv_file([LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]])
    body = _upload_and_follow(
        admin_client, "learners", data, name="基准积分.csv", taken_at="2023-01-03 10:00"
    ).content.decode()
    assert "积分快照“基准积分”导入完成：1 名学员，已设为当前快照" in body
    snapshot = Snapshot.objects.get(is_current=True)
    assert (snapshot.name, snapshot.source_name, snapshot.imported_by.username) == (
        "基准积分",
        "基准积分.csv",
        "admin",
    )


def test_imports_page_refuses_an_upload_while_a_job_of_the_kind_runs(admin_client):
    running = _running_job(kind=ImportKind.ORGS, original_name="组织.csv")
    response = _upload(admin_client, "orgs", csv_file([ORG_HEADER, *ORG_ROWS]))
    assert response.status_code == 200
    assert "已有一项组织架构导入进行中（组织.csv），请等它结束后再上传" in response.content.decode()
    assert list(ImportJob.objects.all()) == [running]


def test_job_panel_of_a_running_job_polls_and_shows_its_progress(admin_client, monkeypatch):
    # The clock stands still, so that speed and time left are computed from the job's own times however
    # slowly a loaded machine serves the request.
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    job = _running_job()
    body = admin_client.get(reverse("review:import_job_panel", args=[job.pk])).content.decode()
    url = reverse("review:import_job_panel", args=[job.pk])
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in body
    # validate (30 of 100) and rank (1) done, write (49) a quarter done
    assert '<progress class="job-bar" max="100" value="43" aria-label="导入进度">43%</progress>' in body
    assert '<span class="job-percent" aria-hidden="true">43%</span>' in body
    assert '<dd class="job-phase">写入</dd>' in body
    assert '<dd class="job-rows">2000000 / 8000000 行</dd>' in body
    assert "500000 行/秒" in body
    assert "<dt>预计剩余</dt><dd>约 13 秒</dd>" in body  # 10 s for 43.25 %: 13 s more


def test_job_page_shows_the_panel_the_form_and_recent_jobs(admin_client):
    job = _running_job()
    body = admin_client.get(reverse("review:import_job", args=[job.pk])).content.decode()
    assert f'id="import-job-{job.pk}"' in body
    assert "上传并导入" in body
    assert "最近的导入" in body and reverse("review:import_job", args=[job.pk]) in body


def test_imports_page_shows_the_running_jobs(admin_client):
    job = _running_job()
    body = admin_client.get(URL).content.decode()
    assert f'id="import-job-{job.pk}"' in body


def test_job_panel_of_a_silent_job_shows_it_interrupted_and_stops_polling(admin_client):
    job = _running_job(updated_at=timezone.now() - timedelta(minutes=10))
    body = admin_client.get(reverse("review:import_job_panel", args=[job.pk])).content.decode()
    assert "中断" in body
    assert "hx-trigger" not in body


def test_job_panel_of_a_queued_job_says_a_worker_must_run_after_a_while(admin_client):
    job = _running_job(state=JobState.QUEUED, phase="", done=0, total=None, started_at=None)
    body = admin_client.get(reverse("review:import_job_panel", args=[job.pk])).content.decode()
    assert '<progress class="job-bar" max="100" aria-label="导入进度"></progress>' in body  # indeterminate
    assert "等待开始" in body and "jixing db_worker" not in body
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    body = admin_client.get(reverse("review:import_job_panel", args=[job.pk])).content.decode()
    assert "需要有后台任务进程（jixing db_worker）在运行" in body


def test_job_pages_answer_404_for_an_unknown_job(admin_client):
    assert admin_client.get(reverse("review:import_job", args=[999])).status_code == 404
    assert admin_client.get(reverse("review:import_job_panel", args=[999])).status_code == 404


def test_imports_page_query_count_is_the_same_for_1_and_3_recent_jobs(admin_client):
    def add(count):
        for _ in range(count):
            ImportJob.objects.create(
                kind=ImportKind.ROLES,
                state=JobState.DONE,
                original_name=f"角色{ImportJob.objects.count()}.csv",
                actor=make_user(username=f"a{ImportJob.objects.count()}"),
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            body = admin_client.get(URL).content.decode()
        return len(ctx.captured_queries), body.count('class="badge job-done"')

    add(1)
    one, shown = queries()
    add(2)
    assert queries() == (one, 3)
    assert shown == 1


def test_after_next_year_started_the_page_imports_into_its_own_tree(admin_client):
    # The first year's tree is the fixture's; next year's campaign has a tree of its own (load-campaign).
    first = make_campaign(slug="shanxi-2022")
    second = make_campaign(slug="shanxi-2023")
    second.org_tree = OrgTree.objects.create(name="2023年度组织架构")
    second.year = 2023
    second.save(update_fields=["org_tree", "year"])
    page = admin_client.get(URL).content.decode()
    assert f"导入的数据供“{second.name}”使用，写入本年度自己的组织架构" in page
    before = dict(Org.objects.filter(tree=None).values_list("code", "name"))
    rows = [ORG_HEADER, *ORG_ROWS, ["S2", "清徐县第二中学", "TY-QX", "单位", "否", "是", "", ""]]
    _upload_and_follow(admin_client, "orgs", csv_file(rows))
    assert set(Org.objects.filter(tree=second.org_tree).values_list("code", flat=True)) == {
        r[0] for r in rows[1:]
    }
    assert dict(Org.objects.filter(tree=None).values_list("code", "name")) == before  # 2022's tree as it was
    assert first.quotas.count() > 0 and not first.quotas.filter(reporting_unit__tree=second.org_tree).exists()
    assert second.quotas.filter(reporting_unit__code="TY").exists()
