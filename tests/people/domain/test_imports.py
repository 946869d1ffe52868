from datetime import UTC, datetime

import pytest

from jixing.audit.models import AuditEvent
from jixing.people.domain.identity import person_key
from jixing.people.domain.imports import ImportRefused, import_roles, import_snapshot
from jixing.people.models import Learner, Role, Snapshot
from jixing.tables import Problem
from tests.factories import make_learner, make_role, make_small_province, make_snapshot
from tests.files import (
    LEARNER_HEADER,
    LEARNER_ROWS,
    ROLE_HEADER,
    ROLE_ROWS,
    ZHANG_ID,
    csv_file,
    id_number,
    xlsx_file,
)

pytestmark = pytest.mark.django_db
BASELINE = datetime(2023, 1, 3, 2, tzinfo=UTC)


@pytest.fixture
def tree():
    # make_small_province's codes, plus the short ones the shared test files use.
    orgs = make_small_province()
    for code, org in (("S1", orgs["school"]), ("S1-D1", orgs["dept"])):
        org.code = code
        org.save(update_fields=["code"])
    return orgs


def _snapshot(rows, header=LEARNER_HEADER, **options):
    return import_snapshot(csv_file([header, *rows]), name="基准积分", taken_at=BASELINE, **options)


def _snapshot_refusal(rows, header=LEARNER_HEADER):
    counts = (Snapshot.objects.count(), Learner.objects.count())
    with pytest.raises(ImportRefused) as info:
        _snapshot(rows, header)
    assert (Snapshot.objects.count(), Learner.objects.count()) == counts  # nothing stored
    return info.value.errors


def test_import_snapshot_loads_typed_learners_and_becomes_current(tree):
    result = _snapshot(LEARNER_ROWS)
    snapshot = Snapshot.objects.get()
    assert (result.rows, snapshot.row_count, snapshot.is_current, snapshot.taken_at) == (2, 2, True, BASELINE)
    zhang = Learner.objects.get(account_id="u1")
    assert (zhang.org, zhang.total_points, zhang.annual_points, zhang.national_total_rank) == (
        tree["school"],
        30000,
        12000,
        4500,
    )
    assert zhang.person_key == person_key(id_number=ZHANG_ID, name="张三", phone="10000000001")
    assert (zhang.phone_masked, zhang.id_masked) == ("100****0001", f"1401{'*' * 10}{ZHANG_ID[-4:]}")
    li = Learner.objects.get(account_id="u2")
    assert (li.national_total_rank, li.id_masked, li.is_real_name) == (None, "", False)
    assert li.person_key == person_key(id_number="", name="李四", phone="10000000002")


def test_import_snapshot_reads_xlsx_and_flag_variants(tree):
    header = [
        "学号",
        "姓名",
        "手机号",
        "组织编码",
        "总积分",
        "年度积分",
        "是否实名认证",
        "是否山西号码",
        "是否省平台工作人员",
    ]
    data = xlsx_file([header, ["u1", "张三", "10000000001", "S1", 1, 1, "Y", "是", "false"]])
    import_snapshot(data, name="x", taken_at=BASELINE)
    learner = Learner.objects.get()
    assert (learner.is_real_name, learner.is_shanxi_phone, learner.is_platform_staff) == (True, True, False)


def test_import_snapshot_replaces_the_current_one_only_when_complete(tree):
    old = make_snapshot(current=True)
    _snapshot_refusal([*LEARNER_ROWS, ["u3", "王五", "10000000003", "", "S1", "-1", "0", ""]])
    assert Snapshot.objects.get(is_current=True) == old
    result = _snapshot(LEARNER_ROWS)
    assert Snapshot.objects.get(is_current=True) == result.snapshot
    old.refresh_from_db()
    assert old.is_current is False


def test_import_snapshot_refused_for_its_last_row_stores_none_of_the_others(tree):
    rows = [[f"u{i}", "某人", f"138{i:08d}", "", "S1", "10", "5", ""] for i in range(7)]
    errors = _snapshot_refusal([*rows, ["u9", "某人", "10000000009", "", "NOPE", "10", "5", ""]])
    assert errors == [Problem(9, "组织编码", "NOPE", "组织编码不存在")]


def test_import_snapshot_refuses_a_duplicate_account(tree):
    errors = _snapshot_refusal([*LEARNER_ROWS, ["u1", "张三", "10000000001", "", "S1", "1", "1", ""]])
    assert errors == [Problem(4, "学号", "u1", "学号重复（与第 2 行重复）")]


def test_import_snapshot_refuses_an_unknown_org(tree):
    errors = _snapshot_refusal([["u1", "张三", "10000000001", "", "NOPE", "1", "1", ""]])
    assert errors == [Problem(2, "组织编码", "NOPE", "组织编码不存在")]


def test_import_snapshot_refuses_negative_points(tree):
    errors = _snapshot_refusal([["u1", "张三", "10000000001", "", "S1", "-100", "-1", ""]])
    assert errors == [Problem(2, "总积分", "-100", "不能为负数"), Problem(2, "年度积分", "-1", "不能为负数")]


def test_import_snapshot_refuses_bad_identity_numbers(tree):
    bad_id = ZHANG_ID[:-1] + ("1" if ZHANG_ID[-1] != "1" else "2")
    errors = _snapshot_refusal(
        [
            ["u1", "张三", "10000000001", bad_id, "S1", "1", "1", ""],
            ["u2", "李四", "1000000000", "", "S1", "1", "1", ""],
            ["u3", "王五", "", "", "S1", "1", "1", ""],
            ["u4", "赵六", "", id_number("99999919900101123"), "S1", "1", "1", ""],
        ]
    )
    assert errors == [
        Problem(2, "身份证号", bad_id, "身份证号校验位不正确"),
        Problem(3, "手机号", "1000000000", "手机号应为以 1 开头的 11 位数字"),
        Problem(4, "手机号", "", "身份证号为空时手机号不能为空"),
        Problem(5, "身份证号", id_number("99999919900101123"), "身份证号中的地区码无效"),
    ]


def test_import_snapshot_refuses_a_missing_column(tree):
    errors = _snapshot_refusal([["u1", "张三", "S1", "1"]], header=["学号", "姓名", "组织编码", "总积分"])
    assert errors == [Problem(1, "年度积分", "", "缺少必填列")]


def test_import_snapshot_warns_but_imports_learners_outside_any_unit(tree):
    result = _snapshot([["u1", "张三", "10000000001", "", "P", "1", "2", ""]])
    assert result.warnings[-2:] == [
        Problem(2, "组织编码", "P", "该组织不属于任何单位，学员不参加单位内排名"),
        Problem(2, "年度积分", "2", "年度积分大于总积分（1）"),
    ]


def test_import_snapshot_records_an_event(tree):
    result = _snapshot(LEARNER_ROWS)
    event = AuditEvent.objects.get(action="snapshot.import")
    assert (event.target_id, event.after["rows"]) == (str(result.snapshot.pk), 2)


def test_import_roles_replaces_the_whole_role_set(tree):
    make_role(account_id="old", org=tree["school"], kind="供稿员")
    result = import_roles(csv_file([ROLE_HEADER, *ROLE_ROWS], "gbk"))
    assert (result.created, result.replaced) == (2, 1)
    assert sorted(Role.objects.values_list("account_id", "org__code", "kind", "volunteer_type")) == [
        ("u1", "S1", "审核员", ""),
        ("u2", "TY", "志愿者", "播音"),
    ]
    reviewer = Role.objects.get(account_id="u1")
    assert (reviewer.is_full_time, str(reviewer.training_hours)) == (True, "12.5")


def test_import_roles_refuses_bad_rows_and_keeps_the_old_roles(tree):
    make_role(account_id="old", org=tree["school"], kind="供稿员")
    with pytest.raises(ImportRefused) as info:
        import_roles(
            csv_file(
                [
                    ROLE_HEADER,
                    *ROLE_ROWS,
                    ["u1", "S1", "审核员", "否", "", ""],
                    ["u3", "NOPE", "厨师", "", "", "唱歌"],
                ]
            )
        )
    assert info.value.errors == [
        Problem(4, "角色", "审核员", "同一学号在同一组织的同一角色重复（与第 2 行重复）"),
        Problem(5, "角色", "厨师", "应为以下之一：供稿员、审核员、管理员、志愿者、班子成员"),
        Problem(5, "志愿类型", "唱歌", "应为以下之一：审读、播音、其他"),
        Problem(5, "组织编码", "NOPE", "组织编码不存在"),
    ]
    assert list(Role.objects.values_list("account_id", flat=True)) == ["old"]


def test_import_roles_warns_about_accounts_missing_from_the_current_snapshot(tree):
    snapshot = make_snapshot()
    make_learner(snapshot=snapshot, org=tree["school"], account_id="u1")
    result = import_roles(csv_file([ROLE_HEADER, *ROLE_ROWS]))
    assert result.created == 2
    assert Problem(3, "学号", "u2", "学号不在当前积分快照中") in result.warnings


def test_import_roles_before_any_snapshot_says_accounts_were_not_checked(tree):
    result = import_roles(csv_file([ROLE_HEADER, *ROLE_ROWS]))
    assert Problem(None, "学号", "", "尚无当前积分快照，未核对学号") in result.warnings
