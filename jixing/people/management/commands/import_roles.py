"""jixing import-roles FILE — replace all roles by those of a 角色 file; on refusal list every problem."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.people.domain.imports import import_roles
from jixing.tables import ImportRefused, format_problem_table


class Command(BaseCommand):
    help = "导入角色文件（CSV 或 XLSX）；替换全部已有角色"

    def add_arguments(self, parser):
        parser.add_argument("file", help="角色文件")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = import_roles(path)
        except ImportRefused as exc:
            self.stderr.write(format_problem_table(exc.errors, omitted=exc.omitted), ending="")
            raise CommandError(exc.summary) from None
        if result.warnings:
            self.stderr.write(
                "提醒：\n" + format_problem_table(result.warnings, omitted=result.warnings_omitted)
            )
        self.stdout.write(result.summary)
