from django.core.management.base import BaseCommand, CommandError

from jixing.audit.domain.events import verify_chain
from jixing.audit.models import AuditEvent


class Command(BaseCommand):
    help = "审计日志：jixing audit verify 校验哈希链，发现被修改、删除或插入的事件"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验审计日志哈希链")

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"事件 #{problem.seq}：{problem.reason}")
            raise CommandError(f"审计链校验失败：{len(problems)} 处问题")
        self.stdout.write(f"审计链完好：共 {AuditEvent.objects.count()} 个事件")
