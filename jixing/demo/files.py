"""The demo province as the template files of data-formats.md, to try every import with realistic files.

Written from the same plan as the database, so importing the files gives back the demo's orgs, learners
and roles. CSVs are UTF-8 with BOM (what Excel opens as UTF-8); 组织架构-GBK.csv is the same tree in
GBK, as Excel and WPS save it on Chinese Windows, and spells flags Y/N and percentages "35%" — the other
forms the readers accept.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixing.demo.plan import NominationPlan, Province
from jixing.nominations.enums import RELEASED_STATES
from jixing.tables import TEMPLATES, TableSpec, write_csv, write_xlsx

# Nominations a reporting unit would enter or evaluate: withdrawn and rejected ones no longer count.
_LEFT_OUT = RELEASED_STATES


def _plain(value: Any) -> Any:
    """Enum members as their plain value (openpyxl and csv both want plain types)."""
    if isinstance(value, str):
        return str.__str__(value)
    return value


def plan_row(table: TableSpec, item: Any) -> dict[str, Any]:
    """A plan as a template row: the plans' field names are the templates' column keys."""
    return {column.key: _plain(getattr(item, column.key)) for column in table.columns}


def nomination_row(table: TableSpec, n: NominationPlan) -> dict[str, Any]:
    row = {
        "number": n.number,
        "category": n.category_name,
        "account_id": n.nominee_account,
        "nominee_org_code": n.nominee_org_code or "",
        "recommending_code": n.recommending_code,
        "evidence": ";".join(n.attachments),
        "activity_count": n.activity_count,
        "typed_total_points": n.typed_total_points,
        "typed_annual_points": n.typed_annual_points,
        "judges_score": n.judges_score,
        "confirmed": ";".join(n.confirmed),
        "refused": ";".join(n.refused),
        "submitted_at": n.submitted_at,
    }
    return {key: _plain(value) for key, value in row.items()}


def _gbk_spelling(row: dict[str, Any]) -> dict[str, Any]:
    spelt = {}
    for key, value in row.items():
        if isinstance(value, bool):
            value = "Y" if value else "N"
        elif isinstance(value, Decimal) and key == "daily_active_rate":
            value = f"{(value * 100).normalize():f}%"
        spelt[key] = value
    return spelt


def write_files(province: Province, folder: Path) -> list[Path]:
    """Write the four templates (XLSX and CSV) and the GBK variant into `folder`; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    nominations = [n for n in province.nominations if n.target not in _LEFT_OUT]
    tables: list[tuple[str, str, list, Callable[[TableSpec, Any], dict[str, Any]]]] = [
        ("orgs", "组织架构", province.orgs, plan_row),
        ("learners", "积分快照", province.learners, plan_row),
        ("roles", "角色", province.roles, plan_row),
        ("nominations", "申报", nominations, nomination_row),
    ]
    written = []
    for slug, title, items, to_row in tables:
        table = TEMPLATES[slug]  # the importers' own specs: the exact headers of data-formats.md
        rows = [to_row(table, item) for item in items]
        for path, writer in ((folder / f"{title}.xlsx", write_xlsx), (folder / f"{title}.csv", write_csv)):
            writer(table, path, rows)
            written.append(path)
        if slug == "orgs":
            path = folder / f"{title}-GBK.csv"
            write_csv(table, path, (_gbk_spelling(r) for r in rows), encoding="gbk")
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
