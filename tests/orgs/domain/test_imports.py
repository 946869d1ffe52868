from decimal import Decimal

import pytest

from jixing.audit.models import AuditEvent
from jixing.campaigns.models import Quota
from jixing.orgs.domain.imports import ImportRefused, import_orgs
from jixing.orgs.models import Org
from jixing.tables import Problem
from tests.factories import make_campaign, make_small_province
from tests.files import ORG_HEADER, ORG_ROWS, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def _refusal(rows, header=ORG_HEADER):
    before = Org.objects.count()
    with pytest.raises(ImportRefused) as info:
        import_orgs(csv_file([header, *rows]))
    assert Org.objects.count() == before  # refused whole: nothing stored
    return info.value.errors


def test_import_orgs_builds_the_tree_with_derived_fields():
    result = import_orgs(xlsx_file([ORG_HEADER, *ORG_ROWS]))
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    orgs = {org.code: org for org in Org.objects.all()}
    dept, school, city = orgs["S1-D1"], orgs["S1"], orgs["TY"]
    assert dept.parent == school
    assert dept.path == f"/{orgs['P'].id}/{city.id}/{orgs['TY-QX'].id}/{school.id}/{dept.id}/"
    assert (dept.unit, dept.reporting_unit) == (school, city)
    assert (school.uscc, school.party_members, school.is_legal_entity) == ("91110000600037341L", 12, True)


def test_import_orgs_updates_by_code_and_leaves_other_orgs_alone():
    tree = make_small_province()
    header = ["组织编码", "组织名称", "上级组织编码", "层级", "日活跃率"]
    result = import_orgs(
        csv_file(
            [
                header,
                ["TY-QX-S1", "清徐县第一中学（新名）", "TY", "单位", "35%"],
                ["TY-N", "新单位", "TY-QX", "单位", ""],
            ]
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    school = Org.objects.get(code="TY-QX-S1")
    assert (school.name, school.parent, school.daily_active_rate) == (
        "清徐县第一中学（新名）",
        tree["taiyuan"],
        Decimal("0.35"),
    )
    # Columns the file lacks keep their stored values; the department moved along with its school.
    assert (school.members, school.staff) == (40, 45)
    assert Org.objects.get(code="TY-QX-S1-D1").path.startswith(school.path)
    assert Org.objects.get(code="DT-S2").name == "大同市第二中学"


def test_import_orgs_same_file_twice_changes_nothing():
    data = csv_file([ORG_HEADER, *ORG_ROWS], "gbk")
    import_orgs(data)
    result = import_orgs(data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)


def test_import_orgs_refuses_a_duplicate_code():
    errors = _refusal([*ORG_ROWS, ["S1", "重复", "TY", "单位", "", "", "", ""]])
    assert errors == [Problem(7, "组织编码", "S1", "组织编码重复（与第 5 行重复）")]


def test_import_orgs_refuses_an_unknown_parent():
    errors = _refusal([*ORG_ROWS, ["X1", "某单位", "NOPE", "单位", "", "", "", ""]])
    assert errors == [Problem(7, "上级组织编码", "NOPE", "上级组织编码不存在")]


def test_import_orgs_refuses_a_bad_uscc():
    errors = _refusal([*ORG_ROWS[:3], ["S1", "一中", "TY-QX", "单位", "否", "是", "91110000600037341X", ""]])
    assert errors == [Problem(5, "统一社会信用代码", "91110000600037341X", "统一社会信用代码校验位不正确")]


def test_import_orgs_refuses_negative_figures_and_unknown_choices():
    header = ["组织编码", "组织名称", "上级组织编码", "层级", "党员数", "单位性质"]
    errors = _refusal([["P", "山西省", "", "省级", "-3", "公司"], ["Q", "某地", "P", "市级", "", ""]], header)
    assert errors == [
        Problem(2, "党员数", "-3", "不能为负数"),
        Problem(
            2,
            "单位性质",
            "公司",
            "应为以下之一：党政机关、事业单位、人民团体、企业、高校、中小学、社会组织、其他",
        ),
        Problem(3, "层级", "市级", "应为以下之一：省级、报送单位、县级、单位、部门"),
    ]


def test_import_orgs_refuses_a_cycle_naming_its_codes_and_rows():
    rows = [*ORG_ROWS, ["A", "甲", "B", "部门", "", "", "", ""], ["B", "乙", "C", "部门", "", "", "", ""]]
    rows.append(["C", "丙", "A", "部门", "", "", "", ""])
    errors = _refusal(rows)
    reason = "组织树中存在循环：A（第 7 行） → B（第 8 行） → C（第 9 行） → A（第 7 行）"
    assert errors == [
        Problem(7, "上级组织编码", "B", reason),
        Problem(8, "上级组织编码", "C", reason),
        Problem(9, "上级组织编码", "A", reason),
    ]


def test_import_orgs_refuses_an_org_that_is_its_own_parent():
    errors = _refusal([*ORG_ROWS, ["A", "甲", "A", "部门", "", "", "", ""]])
    assert errors == [Problem(7, "上级组织编码", "A", "组织树中存在循环：A（第 7 行） → A（第 7 行）")]


def test_import_orgs_refuses_a_cycle_through_stored_orgs():
    make_small_province()
    # The school becomes the child of its own department, which stays as stored.
    errors = _refusal([["TY-QX-S1", "清徐县第一中学", "TY-QX-S1-D1", "部门", "", "", "", ""]])
    assert errors == [
        Problem(
            2,
            "上级组织编码",
            "TY-QX-S1-D1",
            "组织树中存在循环：TY-QX-S1（第 2 行） → TY-QX-S1-D1 → TY-QX-S1（第 2 行）",
        )
    ]


def test_import_orgs_refuses_a_level_that_may_not_hang_there():
    errors = _refusal([*ORG_ROWS, ["D9", "某部门", "TY", "部门", "", "", "", ""]])
    assert errors == [
        Problem(7, "上级组织编码", "TY", "上级组织的层级是“报送单位”，“部门”只能挂在单位、部门之下")
    ]


def test_import_orgs_refuses_a_missing_parent_below_the_province_and_a_second_province():
    errors = _refusal(
        [
            *ORG_ROWS,
            ["U9", "某单位", "", "单位", "", "", "", ""],
            ["P2", "另一省", "", "省级", "", "", "", ""],
        ]
    )
    assert errors == [
        Problem(7, "上级组织编码", "", "只有省级组织可以不填上级组织编码"),
        Problem(8, "层级", "省级", "只能有一个省级组织，第 2 行已有“P”"),
    ]


def test_import_orgs_refuses_a_second_province_beside_the_stored_one():
    make_small_province()
    errors = _refusal([["P2", "另一省", "", "省级", "", "", "", ""]])
    assert errors == [Problem(2, "层级", "省级", "只能有一个省级组织，已有“P”")]


def test_import_orgs_refuses_a_level_change_that_strands_stored_children():
    make_small_province()
    errors = _refusal([["TY-QX-S1", "清徐县第一中学", "TY-QX", "县级", "", "", "", ""]])
    assert Problem(2, "层级", "县级", "改为“县级”后，下级组织“TY-QX-S1-D1”（部门）不能挂在其下") in errors


def test_import_orgs_warns_when_tagged_members_exceed_members():
    header = ["组织编码", "组织名称", "上级组织编码", "层级", "党员数", "已标记党员数"]
    result = import_orgs(csv_file([header, ["P", "山西省", "", "省级", "10", "12"]]))
    assert Problem(2, "已标记党员数", "12", "已标记党员数大于党员数（10）") in result.warnings


def test_import_orgs_refuses_a_file_with_only_a_header():
    assert _refusal([]) == [Problem(None, "", "", "文件中没有数据行")]


def test_import_orgs_gives_new_reporting_units_their_quotas_and_records_an_event():
    make_small_province()
    campaign = make_campaign()
    categories = campaign.categories.count()
    import_orgs(
        csv_file([["组织编码", "组织名称", "上级组织编码", "层级"], ["SZ", "省直工委", "P", "报送单位"]])
    )
    assert Quota.objects.filter(campaign=campaign, reporting_unit__code="SZ").count() == categories
    event = AuditEvent.objects.get(action="orgs.import")
    assert event.after == {"created": 1, "updated": 0, "quotas_created": categories}
