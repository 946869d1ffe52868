from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jixing.people.models import Role, Snapshot
from tests.factories import make_small_province
from tests.files import LEARNER_HEADER, ROLE_HEADER, csv_file

pytestmark = pytest.mark.django_db


def test_import_learners_command_takes_name_and_time(tmp_path):
    make_small_province()
    path = tmp_path / "snapshot.csv"
    path.write_bytes(csv_file([LEARNER_HEADER, ["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]))
    out = StringIO()
    call_command(
        "import_learners",
        str(path),
        "--name",
        "基准",
        "--taken-at",
        "2023-01-03T10:00",
        stdout=out,
        stderr=StringIO(),
    )
    snapshot = Snapshot.objects.get()
    assert (snapshot.name, snapshot.taken_at, snapshot.is_current) == (
        "基准",
        datetime(2023, 1, 3, 2, tzinfo=UTC),
        True,
    )
    assert out.getvalue() == "积分快照“基准”导入完成：1 名学员，已设为当前快照\n"


def test_import_learners_command_refuses_a_bad_time(tmp_path):
    path = tmp_path / "snapshot.csv"
    path.write_bytes(csv_file([LEARNER_HEADER]))
    with pytest.raises(CommandError, match="--taken-at 应为 ISO 8601 时间"):
        call_command("import_learners", str(path), "--taken-at", "明天")


def test_import_roles_command_prints_the_error_table(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_bytes(csv_file([ROLE_HEADER, ["u1", "NOPE", "审核员", "", "", ""]]))
    err = StringIO()
    with pytest.raises(CommandError, match="文件有 1 处错误"):
        call_command("import_roles", str(path), stdout=StringIO(), stderr=err)
    assert "2   组织编码  NOPE  组织编码不存在" in err.getvalue()
    assert Role.objects.count() == 0


def test_import_learners_command_prints_plain_progress_lines_off_a_terminal(tmp_path):
    make_small_province()
    path = tmp_path / "snapshot.csv"
    rows = [["u1", "张三", "10000000001", "", "TY-QX-S1", "10", "5", ""]]
    path.write_bytes(csv_file([LEARNER_HEADER, *rows]))
    out, err = StringIO(), StringIO()
    call_command("import_learners", str(path), stdout=out, stderr=err)
    text = err.getvalue()
    lines = text[: text.index("提醒：")].splitlines()  # the warnings (columns not in the file) follow
    # One line per phase here (the file is one row): no \r, no bar, no terminal codes.
    assert [line.split(" ")[0] for line in lines] == ["校验", "计算排名", "写入", "写入", "建索引"]
    assert lines[0] == "校验 0 行"
    assert lines[3].startswith("写入 1/1 行（100%）")
    assert "\r" not in text and "\x1b" not in text
    assert out.getvalue() == "积分快照“snapshot”导入完成：1 名学员，已设为当前快照\n"
