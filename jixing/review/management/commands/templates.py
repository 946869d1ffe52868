"""jixing templates DIR — write the empty import templates (组织架构, 积分快照, 角色, 申报, 账号) as XLSX and CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jixing.tables import TEMPLATES, write_csv, write_xlsx


class Command(BaseCommand):
    help = "把空白导入模板（组织架构、积分快照、角色、申报、账号）写入目录，XLSX 和 CSV 各一份"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="目标目录（不存在时创建）")

    def handle(self, *args, dir: str, **options):
        folder = Path(dir)
        folder.mkdir(parents=True, exist_ok=True)
        for slug, spec in TEMPLATES.items():
            write_xlsx(spec, folder / f"{slug}.xlsx")
            write_csv(spec, folder / f"{slug}.csv")
            self.stdout.write(f"{spec.title}：{folder / slug}.xlsx、{slug}.csv")
