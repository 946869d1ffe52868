"""What the import commands share: find the file, run the import, print every problem on refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jixing.tables import ImportRefused, format_problem_table


class FileImportCommand(BaseCommand):
    """A command whose first argument is a CSV/XLSX file; subclasses say what `run` imports."""

    file_help = "文件"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=self.file_help)

    def run(self, path: Path, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = self.run(path, options)
        except ImportRefused as exc:
            self.stderr.write(format_problem_table(exc.errors, omitted=exc.omitted), ending="")
            raise CommandError(exc.summary) from None
        if result.warnings:
            self.stderr.write(
                "提醒：\n" + format_problem_table(result.warnings, omitted=result.warnings_omitted)
            )
        self.stdout.write(result.summary)
