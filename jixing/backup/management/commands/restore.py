from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jixing.backup.load import restore_backup
from jixing.backup.manifest import BackupError


class Command(BaseCommand):
    help = "恢复：把 jixing backup 生成的备份恢复到空实例（先校验全部 sha256，再写入数据库与上传文件）"

    def add_arguments(self, parser):
        parser.add_argument("src", help="备份文件（.tar.gz）")
        parser.add_argument("--force", action="store_true", help="实例非空时先清空数据库再恢复（不可撤销）")
        parser.add_argument(
            "--force-schema",
            action="store_true",
            help="备份的数据库结构版本与本实例不同时仍按本实例的结构恢复（本实例没有的表和字段将被舍弃）",
        )

    def handle(self, *args, **options):
        try:
            result = restore_backup(
                Path(options["src"]), force=options["force"], force_schema=options["force_schema"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {result.rows} 行数据、{result.files} 个文件（备份时间 {result.created_at}），行数与校验和均一致"
        )
        if result.skipped:
            self.stdout.write(f"按本实例的数据库结构恢复，本实例没有的表未恢复：{'、'.join(result.skipped)}")
