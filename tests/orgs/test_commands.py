from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jixing.orgs.models import Org
from tests.files import ORG_HEADER, ORG_ROWS, csv_file

pytestmark = pytest.mark.django_db


def test_import_orgs_command_prints_a_summary(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_file([ORG_HEADER, *ORG_ROWS], "gbk"))
    out = StringIO()
    call_command("import_orgs", str(path), stdout=out, stderr=StringIO())
    assert out.getvalue() == "组织架构导入完成：新增 5 个，更新 0 个，未变化 0 个\n"
    assert Org.objects.count() == 5


def test_import_orgs_command_prints_the_error_table_and_fails(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_file([ORG_HEADER, *ORG_ROWS, ["X", "某单位", "NOPE", "单位", "", "", "", ""]]))
    err = StringIO()
    with pytest.raises(CommandError, match="文件有 1 处错误，未导入任何数据"):
        call_command("import_orgs", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "行  列            值    原因",
        "7   上级组织编码  NOPE  上级组织编码不存在",
    ]
    assert Org.objects.count() == 0


def test_import_orgs_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_orgs", str(tmp_path / "nope.csv"))
