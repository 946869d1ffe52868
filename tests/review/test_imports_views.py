import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jixing.accounts.enums import UserRole
from jixing.orgs.models import Org
from jixing.people.models import Snapshot
from tests.factories import make_small_province, make_user
from tests.files import LEARNER_HEADER, ORG_HEADER, ORG_ROWS, csv_file

pytestmark = pytest.mark.django_db
URL = reverse("review:imports")


@pytest.fixture
def admin_client(client):
    tree = make_small_province()
    client.force_login(make_user(username="admin", role=UserRole.PROVINCE_ADMIN, org=tree["province"]))
    return client


def _upload(client, kind, data, name="data.csv", **fields):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data), **fields})


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
    response = _upload(admin_client, "orgs", csv_file([header, ["SZ", "省直工委", "P", "报送单位"]], "gbk"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "组织架构导入完成：新增 1 个，更新 0 个，未变化 0 个" in body
    assert Org.objects.filter(code="SZ").exists()


def test_imports_page_shows_the_full_error_table_and_stores_nothing(admin_client):
    before = Org.objects.count()
    rows = [
        ORG_HEADER,
        ["X1", "甲", "NOPE", "单位", "", "", "", ""],
        ["X2", "乙", "TY", "单位", "", "", "91110000600037341X", ""],
    ]
    body = _upload(admin_client, "orgs", csv_file(rows)).content.decode()
    assert "文件有 2 处错误，未导入任何数据" in body
    assert "<th>行</th><th>列</th><th>值</th><th>原因</th>" in body
    assert '<td class="num">2</td><td>上级组织编码</td><td>NOPE</td><td>上级组织编码不存在</td>' in body
    assert (
        '<td class="num">3</td><td>统一社会信用代码</td><td>91110000600037341X</td><td>统一社会信用代码校验位不正确</td>'
        in body
    )
    assert Org.objects.count() == before


def test_imports_page_reports_an_unreadable_encoding(admin_client):
    body = _upload(admin_client, "roles", "学号,组织编码,角色\n".encode("utf-16")).content.decode()
    assert (
        '<td class="num">—</td><td>—</td><td></td><td>文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV</td>'
        in body
    )


def test_imports_page_imports_a_snapshot_named_after_the_file(admin_client):
    data = csv_file([LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]])
    body = _upload(
        admin_client, "learners", data, name="基准积分.csv", taken_at="2023-01-03 10:00"
    ).content.decode()
    assert "积分快照“基准积分”导入完成：1 名学员，已设为当前快照" in body
    snapshot = Snapshot.objects.get(is_current=True)
    assert (snapshot.name, snapshot.source_name, snapshot.imported_by.username) == (
        "基准积分",
        "基准积分.csv",
        "admin",
    )
