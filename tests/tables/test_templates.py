import subprocess
import sys

from jixing.orgs.enums import OrgLevel, Sector
from jixing.orgs.models import Org
from jixing.people.enums import RoleKind, VolunteerType
from jixing.people.models import Learner, Role
from jixing.tables import LEARNERS_TEMPLATE, ORGS_TEMPLATE, ROLES_TEMPLATE
from jixing.tables.templates import ORG_LEVELS, ROLE_KINDS, SECTORS, VOLUNTEER_TYPES


def test_templates_have_the_headers_of_data_formats():
    assert ORGS_TEMPLATE.headers == [
        "组织编码", "组织名称", "上级组织编码", "层级", "是否通讯站", "是否独立法人", "统一社会信用代码",
        "单位性质", "学员数", "在职人数", "党员数", "已标记党员数", "日活跃率", "年度提交稿件数",
        "省平台刊发数", "总平台刊发数", "年度审核稿件数", "省平台简报差错数", "总平台简报差错数",
    ]  # fmt: skip
    assert LEARNERS_TEMPLATE.headers == [
        "学号", "姓名", "手机号", "身份证号", "组织编码", "总积分", "年度积分", "全国总积分排名",
        "全国年度积分排名", "完美通关次数", "是否实名认证", "是否山西号码", "是否省平台工作人员",
    ]  # fmt: skip
    assert ROLES_TEMPLATE.headers == [
        "学号",
        "组织编码",
        "角色",
        "是否专职",
        "编审技能考核次数",
        "培训学时",
        "志愿类型",
    ]


def test_template_choices_equal_the_model_enums():
    assert list(ORG_LEVELS) == OrgLevel.values
    assert list(SECTORS) == Sector.values
    assert list(ROLE_KINDS) == RoleKind.values
    assert list(VOLUNTEER_TYPES) == VolunteerType.values


def test_template_keys_are_model_fields_and_headers_their_verbose_names():
    for spec, model, links in (
        (ORGS_TEMPLATE, Org, {"parent_code"}),
        # 手机号 and 身份证号 are read but stored only as masked forms and a keyed hash.
        (LEARNERS_TEMPLATE, Learner, {"org_code", "phone", "id_number"}),
        (ROLES_TEMPLATE, Role, {"org_code"}),
    ):
        for column in spec.columns:
            if column.key in links:
                continue
            assert model._meta.get_field(column.key).verbose_name == column.header


def test_tables_package_imports_nothing_of_django():
    code = "import sys, jixing.tables; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_accounts_template_has_the_headers_of_the_issue_and_the_roles_of_the_enum():
    from jixing.accounts.domain.bulk import ROLE_LEVELS
    from jixing.tables import ACCOUNTS_TEMPLATE
    from jixing.tables.templates import ACCOUNT_ROLES

    assert ACCOUNTS_TEMPLATE.headers == ["用户名", "姓名", "手机号", "组织编码", "角色"]
    assert set(ACCOUNT_ROLES) == {role.label for role in ROLE_LEVELS}
