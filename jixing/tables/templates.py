"""The import templates of data-formats.md: 组织架构, 积分快照, 角色, 申报, 账号 — the one place their headers live.

Choice lists are repeated here as plain tuples because this floor imports nothing of Django; a test
checks that they equal the enums in jixing/orgs/enums.py and jixing/people/enums.py.
Column keys are the model field names where a field exists, so the importers copy them without a map.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixing.tables.checks import check_id_number, check_mobile, check_uscc
from jixing.tables.columns import MAX_INT, CellProblem, Column, Kind, TableSpec

ORG_LEVELS = ("省级", "报送单位", "县级", "单位", "部门")
SECTORS = ("党政机关", "事业单位", "人民团体", "企业", "高校", "中小学", "社会组织", "其他")
ROLE_KINDS = ("供稿员", "审核员", "管理员", "志愿者", "班子成员")
VOLUNTEER_TYPES = ("审读", "播音", "其他")
EVIDENCE_KINDS = (
    "承诺书",
    "场景照片",
    "积分截图",
    "新闻报道",
    "获奖证书",
    "通关证书",
    "现场视频",
    "活动记录",
    "盖章推荐表",
)
LIST_SEPARATORS = (";", "；")


def _count(header: str, key: str, help: str = "", **options: Any) -> Column:
    options.setdefault("maximum", MAX_INT)
    return Column(header, key, Kind.INT, help=help, **options)


def _flag(header: str, key: str, help: str = "") -> Column:
    return Column(header, key, Kind.BOOL, default=False, help=help)


ORGS_TEMPLATE = TableSpec(
    slug="orgs",
    title="组织架构",
    columns=(
        Column("组织编码", "code", required=True, max_length=64, help="唯一编码"),
        Column("组织名称", "name", required=True, max_length=200),
        Column(
            "上级组织编码",
            "parent_code",
            column_required=True,
            max_length=64,
            default="",
            help="仅省级可为空",
        ),
        Column("层级", "level", Kind.CHOICE, required=True, choices=ORG_LEVELS),
        _flag("是否通讯站", "is_station", "市、县通讯站填“是”"),
        _flag("是否独立法人", "is_legal_entity"),
        Column("统一社会信用代码", "uscc", max_length=18, default="", check=check_uscc, help="18 位，可为空"),
        Column("单位性质", "sector", Kind.CHOICE, choices=SECTORS, default=""),
        _count("学员数", "members", "含下属部门"),
        _count("在职人数", "staff"),
        _count("党员数", "party_members"),
        _count("已标记党员数", "tagged_party_members"),
        Column("日活跃率", "daily_active_rate", Kind.PERCENT, places=4),
        _count("年度提交稿件数", "articles_submitted"),
        _count("省平台刊发数", "published_provincial"),
        _count("总平台刊发数", "published_national"),
        _count("年度审核稿件数", "articles_reviewed"),
        _count("省平台简报差错数", "bulletin_errors_provincial"),
        _count("总平台简报差错数", "bulletin_errors_national"),
    ),
)

LEARNERS_TEMPLATE = TableSpec(
    slug="learners",
    title="积分快照",
    columns=(
        Column("学号", "account_id", required=True, max_length=64, help="文件内唯一"),
        Column("姓名", "name", required=True, max_length=64),
        Column("手机号", "phone", default="", check=check_mobile, help="11 位手机号；身份证号为空时必填"),
        Column("身份证号", "id_number", default="", check=check_id_number, help="18 位，可为空"),
        Column("组织编码", "org_code", required=True, max_length=64, help="学员所在的单位或部门"),
        _count("总积分", "total_points", required=True),
        _count("年度积分", "annual_points", required=True),
        _count("全国总积分排名", "national_total_rank", "为空表示未进入公布名单", minimum=1),
        _count("全国年度积分排名", "national_annual_rank", "为空表示未进入公布名单", minimum=1),
        _count("完美通关次数", "perfect_clearances", default=0),
        _flag("是否实名认证", "is_real_name"),
        _flag("是否山西号码", "is_shanxi_phone"),
        _flag("是否省平台工作人员", "is_platform_staff"),
    ),
)

ROLES_TEMPLATE = TableSpec(
    slug="roles",
    title="角色",
    columns=(
        Column("学号", "account_id", required=True, max_length=64),
        Column("组织编码", "org_code", required=True, max_length=64, help="担任角色的单位或通讯站"),
        Column("角色", "kind", Kind.CHOICE, required=True, choices=ROLE_KINDS),
        _flag("是否专职", "is_full_time", "审核员填写"),
        _count("编审技能考核次数", "assessments", default=0),
        Column(
            "培训学时",
            "training_hours",
            Kind.DECIMAL,
            places=1,
            maximum=Decimal("99999.9"),
            default=Decimal(0),
        ),
        Column(
            "志愿类型", "volunteer_type", Kind.CHOICE, choices=VOLUNTEER_TYPES, default="", help="志愿者填写"
        ),
    ),
)


def split_list(value: str) -> list[str]:
    """A `;`-separated cell (either semicolon) as its non-empty, stripped parts."""
    for separator in LIST_SEPARATORS[1:]:
        value = value.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in value.split(LIST_SEPARATORS[0]) if part.strip()]


def check_evidence(value: str) -> str:
    unknown = [kind for kind in split_list(value) if kind not in EVIDENCE_KINDS]
    if unknown:
        raise CellProblem(f"未知材料类型“{'、'.join(unknown)}”，应为：{'、'.join(EVIDENCE_KINDS)}")
    return ";".join(split_list(value))


NOMINATIONS_TEMPLATE = TableSpec(
    slug="nominations",
    title="申报",
    columns=(
        Column("申报编号", "number", required=True, max_length=32, help="文件内唯一"),
        Column("项目", "category", required=True, max_length=32, help="学员标兵 … 模范学习组织"),
        Column("学号", "account_id", default="", max_length=64, help="个人项目填写"),
        Column("被推荐组织编码", "nominee_org_code", default="", max_length=64, help="单位项目填写"),
        Column("推荐单位编码", "recommending_code", required=True, max_length=64),
        Column(
            "材料",
            "evidence",
            default="",
            check=check_evidence,
            help="以 ; 分隔：" + "、".join(EVIDENCE_KINDS),
        ),
        _count("活动次数", "activity_count"),
        _count("填报总积分", "typed_total_points"),
        _count("填报年度积分", "typed_annual_points"),
        Column("评审分", "judges_score", Kind.DECIMAL, places=2, maximum=Decimal("9999.99")),
        Column("已确认", "confirmed", default="", help="判定为符合的规则编号，以 ; 分隔"),
        Column("已否决", "refused", default="", help="判定为不符合的规则编号，以 ; 分隔"),
        Column("提交时间", "submitted_at", Kind.DATETIME, help="ISO 8601，如 2023-01-08T10:00:00+08:00"),
    ),
)

# The sign-in accounts of the staff (jixing/accounts/domain/bulk.py); the labels of accounts.enums.UserRole
# that an import may give (learners claim their own accounts).
ACCOUNT_ROLES = ("单位管理员", "报送单位审核员", "省平台管理员")

ACCOUNTS_TEMPLATE = TableSpec(
    slug="accounts",
    title="账号",
    columns=(
        Column("用户名", "username", required=True, max_length=150, help="登录用的账号名，文件内唯一"),
        Column("姓名", "full_name", required=True, max_length=64),
        Column("手机号", "phone", default="", check=check_mobile, help="11 位手机号，可为空"),
        Column(
            "组织编码", "org_code", required=True, max_length=64, help="账号所属的单位、报送单位或省级组织"
        ),
        Column("角色", "role", Kind.CHOICE, required=True, choices=ACCOUNT_ROLES),
    ),
)

TEMPLATES: dict[str, TableSpec] = {
    spec.slug: spec
    for spec in (ORGS_TEMPLATE, LEARNERS_TEMPLATE, ROLES_TEMPLATE, NOMINATIONS_TEMPLATE, ACCOUNTS_TEMPLATE)
}
