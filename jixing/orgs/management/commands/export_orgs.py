"""jixing export-orgs FILE — write a campaign's org tree as a 组织架构 file (XLSX, or CSV by the name)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.campaigns.domain.queries import current_campaign
from jixing.campaigns.models import Campaign
from jixing.orgs.domain.export import org_rows
from jixing.tables import ORGS_TEMPLATE, write_csv, write_xlsx


class Command(BaseCommand):
    help = (
        "把评选活动的组织架构写成组织架构导入文件（.xlsx 或 .csv），可修改后作为下一年度的 --orgs 文件："
        "jixing export-orgs 组织架构-2022.xlsx [--campaign shanxi-2022]"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件，.xlsx 或 .csv")
        parser.add_argument("--campaign", help="活动标识，默认为当前活动")

    def handle(self, *args, file: str, campaign: str | None, **options):
        path = Path(file)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(f"输出文件须以 .xlsx 或 .csv 结尾：{file}")
        if not path.parent.is_dir():
            raise CommandError(f"找不到输出目录：{path.parent}")
        chosen = Campaign.objects.filter(slug=campaign).first() if campaign else current_campaign()
        if chosen is None:
            raise CommandError(f"找不到评选活动“{campaign}”" if campaign else "尚无评选活动")
        rows = list(org_rows(chosen.org_tree_id))
        writer = write_xlsx if path.suffix.lower() == ".xlsx" else write_csv
        writer(ORGS_TEMPLATE, path, rows)
        self.stdout.write(f"已写出{chosen.name}的组织架构：{len(rows)} 个组织 → {path}")
