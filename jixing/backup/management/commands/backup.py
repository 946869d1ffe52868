from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.backup.dump import create_backup
from jixing.backup.manifest import BackupError


class Command(BaseCommand):
    help = "备份：数据库全部数据与上传文件写入一个 tar.gz（含清单：各表行数、各文件 sha256、数据库结构版本）"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="备份文件路径，或已存在的目录（自动命名）")

    def handle(self, *args, **options):
        try:
            result = create_backup(Path(options["dest"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份 {result.rows} 行数据、{result.files} 个文件到 {result.path}")
