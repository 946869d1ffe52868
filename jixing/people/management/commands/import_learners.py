"""jixing import-learners FILE [--name N] [--taken-at ISO8601] — import a 积分快照 file as the current
snapshot, showing its progress on stderr; on refusal list every problem.

The import runs right here, in this process: no worker is needed (the 数据导入 page queues it instead)."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from jixing.commands import FileImportCommand, ProgressPrinter
from jixing.people.domain.imports import default_taken_at, import_snapshot


def _moment(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"--taken-at 应为 ISO 8601 时间，如 2023-01-03T10:00:00+08:00，而不是“{raw}”"
        ) from None
    # Without an offset the time is read as Beijing time (the project's TIME_ZONE).
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(FileImportCommand):
    help = "导入积分快照文件（CSV 或 XLSX）；全部导入成功后才设为当前快照"
    file_help = "积分快照文件"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name", default="", help="快照名称（默认用文件名）")
        parser.add_argument(
            "--taken-at", default="", help="截取时间，ISO 8601（默认：当前评选活动的基准积分时间，否则现在）"
        )

    def run(self, path, options):
        taken_at = options["taken_at"]
        moment = _moment(taken_at) if taken_at else default_taken_at()
        progress = ProgressPrinter(self.stderr)
        try:
            return import_snapshot(
                path, name=options["name"] or path.stem, taken_at=moment, progress=progress
            )
        finally:
            progress.finish()
