"""The demo province as the template files of data-formats.md, to try every import with realistic files.

Written from the same plan as the database, so importing the files gives back the demo's orgs, learners
and roles. CSVs are UTF-8 with BOM (what Excel opens as UTF-8); 组织架构-GBK.csv is the same tree in
GBK, as Excel and WPS save it on Chinese Windows, and spells flags Y/N and percentages "35%" — the other
forms the readers accept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixing.demo.plan import LearnerPlan, NominationPlan, OrgPlan, Province, RolePlan
from jixing.nominations.enums import RELEASED_STATES
from jixing.tables import TEMPLATES, TableSpec, write_csv, write_xlsx

# Nominations a reporting unit would enter or evaluate: withdrawn and rejected ones no longer count.
_LEFT_OUT = RELEASED_STATES


def _plain(value: Any) -> Any:
    """Enum members as their plain value (openpyxl and csv both want plain types)."""
    if isinstance(value, str):
        return str.__str__(value)
    return value


def org_row(org: OrgPlan) -> dict[str, Any]:
    return {
        "组织编码": org.code,
        "组织名称": org.name,
        "上级组织编码": org.parent_code or "",
        "层级": org.level,
        "是否通讯站": org.is_station,
        "是否独立法人": org.is_legal_entity,
        "统一社会信用代码": org.uscc,
        "单位性质": org.sector,
        "学员数": org.members,
        "在职人数": org.staff,
        "党员数": org.party_members,
        "已标记党员数": org.tagged_party_members,
        "日活跃率": org.daily_active_rate,
        "年度提交稿件数": org.articles_submitted,
        "省平台刊发数": org.published_provincial,
        "总平台刊发数": org.published_national,
        "年度审核稿件数": org.articles_reviewed,
        "省平台简报差错数": org.bulletin_errors_provincial,
        "总平台简报差错数": org.bulletin_errors_national,
    }


def learner_row(p: LearnerPlan) -> dict[str, Any]:
    return {
        "学号": p.account_id,
        "姓名": p.name,
        "手机号": p.phone,
        "身份证号": p.id_number,
        "组织编码": p.org_code,
        "总积分": p.total_points,
        "年度积分": p.annual_points,
        "全国总积分排名": p.national_total_rank,
        "全国年度积分排名": p.national_annual_rank,
        "完美通关次数": p.perfect_clearances,
        "是否实名认证": p.is_real_name,
        "是否山西号码": p.is_shanxi_phone,
        "是否省平台工作人员": p.is_platform_staff,
    }


def role_row(r: RolePlan) -> dict[str, Any]:
    return {
        "学号": r.account_id,
        "组织编码": r.org_code,
        "角色": r.kind,
        "是否专职": r.is_full_time,
        "编审技能考核次数": r.assessments,
        "培训学时": r.training_hours,
        "志愿类型": r.volunteer_type,
    }


def nomination_row(n: NominationPlan) -> dict[str, Any]:
    return {
        "申报编号": n.number,
        "项目": n.category_name,
        "学号": n.nominee_account,
        "被推荐组织编码": n.nominee_org_code or "",
        "推荐单位编码": n.recommending_code,
        "材料": ";".join(n.attachments),
        "活动次数": n.activity_count,
        "填报总积分": n.typed_total_points,
        "填报年度积分": n.typed_annual_points,
        "评审分": n.judges_score,
        "已确认": ";".join(n.confirmed),
        "已否决": ";".join(n.refused),
        "提交时间": n.submitted_at,
    }


def _keyed(table: TableSpec, rows: Iterable[Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
    """Rows by header → rows by the spec's column keys (the writers' input)."""
    for row in rows:
        yield {column.key: _plain(row.get(column.header)) for column in table.columns}


def _gbk_spelling(row: dict[str, Any]) -> dict[str, Any]:
    spelt = {}
    for header, value in row.items():
        if isinstance(value, bool):
            value = "Y" if value else "N"
        elif isinstance(value, Decimal) and header == "日活跃率":
            value = f"{(value * 100).normalize():f}%"
        spelt[header] = value
    return spelt


def write_files(province: Province, folder: Path) -> list[Path]:
    """Write the four templates (XLSX and CSV) and the GBK variant into `folder`; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    nominations = [n for n in province.nominations if n.state not in _LEFT_OUT]
    tables: list[tuple[str, str, list, Callable[[Any], dict[str, Any]]]] = [
        ("orgs", "组织架构", province.orgs, org_row),
        ("learners", "积分快照", province.learners, learner_row),
        ("roles", "角色", province.roles, role_row),
        ("nominations", "申报", nominations, nomination_row),
    ]
    written = []
    for slug, title, items, to_row in tables:
        table = TEMPLATES[slug]  # the importers' own specs: the exact headers of data-formats.md
        rows = [to_row(item) for item in items]
        for path, writer in ((folder / f"{title}.xlsx", write_xlsx), (folder / f"{title}.csv", write_csv)):
            writer(table, path, _keyed(table, rows))
            written.append(path)
        if slug == "orgs":
            path = folder / f"{title}-GBK.csv"
            write_csv(table, path, _keyed(table, (_gbk_spelling(r) for r in rows)), encoding="gbk")
            written.append(path)
    readme = folder / "说明.txt"
    readme.write_text(_README.format(seed=province.seed, learners=len(province.learners)), encoding="utf-8")
    written.append(readme)
    return written


_README = """集星演示数据（jixing demo-data --seed {seed} --learners {learners}）

全部为合成数据：姓名由常见字随机组合；手机号以 100 开头（不是任何手机号段）；
身份证号只用地市级地区码（如 140100，从不发给个人），校验位有效；统一社会信用代码校验位有效，
但其中的组织机构代码校验位故意写错，不会与真实单位重合。

组织架构.xlsx / 组织架构.csv   组织树（省级 → 报送单位 → 县级 → 单位 → 部门）及各项数据
组织架构-GBK.csv              同一组织树，GBK 编码，是/否写作 Y/N，日活跃率写作 35%
积分快照.xlsx / 积分快照.csv   基准积分快照（2023年1月3日10时）
角色.xlsx / 角色.csv           供稿员、审核员、管理员、志愿者、班子成员
申报.xlsx / 申报.csv           演示活动的申报（不含已撤销、未通过审核的），供 jixing evaluate 使用

CSV 文件为带 BOM 的 UTF-8，可直接用 Excel 打开。
"""
