"""jixing import-orgs FILE — import a 组织架构 file (CSV or XLSX); on refusal list every problem."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.orgs.domain.imports import import_orgs
from jixing.tables import ImportRefused, format_problem_table


class Command(BaseCommand):
    help = "导入组织架构文件（CSV 或 XLSX）；按组织编码新增或更新，文件中没有的组织保持不变"

    def add_arguments(self, parser):
        parser.add_argument("file", help="组织架构文件")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = import_orgs(path)
        except ImportRefused as exc:
            self.stderr.write(format_problem_table(exc.errors, omitted=exc.omitted), ending="")
            raise CommandError(exc.summary) from None
        if result.warnings:
            self.stderr.write(
                "提醒：\n" + format_problem_table(result.warnings, omitted=result.warnings_omitted)
            )
        self.stdout.write(result.summary)
