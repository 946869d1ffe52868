from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jixing.audit.domain.checkpoints import (
    AuditReport,
    CheckpointRefused,
    mail_checkpoint,
    public_key,
    verify_audit,
    write_checkpoint,
)


class Command(BaseCommand):
    help = (
        "审计日志：jixing audit verify 用审计密钥校验哈希链，并与库外的每个检查点核对，发现被修改、删除或插入的事件；"
        "jixing audit checkpoint 把签名的链头检查点追加到库外文件（并按配置发邮件），请每日运行"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (
            ("verify", "校验审计日志哈希链，并与检查点文件核对"),
            ("checkpoint", "校验后写入一个签名的链头检查点（每日运行）"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument(
                "--checkpoints",
                type=Path,
                default=None,
                help="检查点文件（默认 JIXING_AUDIT_CHECKPOINTS，即数据目录下的 audit-checkpoints.jsonl）",
            )
            if name == "checkpoint":
                command.add_argument(
                    "--confirm-unkeyed",
                    action="store_true",
                    help="确认启用审计密钥之前写入的旧事件（升级后核实无误时运行一次）",
                )

    def handle(self, *args, **options):
        path = options["checkpoints"]
        if options["subcommand"] == "checkpoint":
            self._checkpoint(path, confirm_unkeyed=options["confirm_unkeyed"])
        else:
            self._verify(path)

    def _fail(self, report: AuditReport, what: str) -> CommandError:
        for problem in report.problems:
            self.stderr.write(str(problem))
        return CommandError(f"{what}：{len(report.problems)} 处问题")

    def _verify(self, path: Path | None) -> None:
        try:
            report = verify_audit(path)
        except OSError as exc:
            raise CommandError(
                f"无法读取检查点文件 {path or settings.AUDIT_CHECKPOINTS}：{exc.strerror}"
            ) from exc
        if report.problems:
            raise self._fail(report, "审计链校验失败")
        walk = report.walk
        self.stdout.write(f"审计链完好：共 {walk.count} 个事件")
        if walk.last_unkeyed:
            self.stdout.write(
                f"其中 #1 至 #{walk.last_unkeyed} 是启用审计密钥前的旧事件（哈希未加密钥，已由检查点确认）"
            )
        if report.checkpoints:
            last = report.checkpoints[-1]
            self.stdout.write(
                f"与 {len(report.checkpoints)} 个检查点相符（{report.path}），最近一个写于 {last.written}，至事件 #{last.seq}"
            )
        else:
            self.stdout.write(
                f"尚无检查点（{report.path}）：删除链尾、或持有密钥者改写历史都无法发现；请每日运行 jixing audit checkpoint"
            )

    def _checkpoint(self, path: Path | None, *, confirm_unkeyed: bool) -> None:
        try:
            checkpoint, line = write_checkpoint(path, confirm_unkeyed=confirm_unkeyed)
        except CheckpointRefused as refused:
            raise self._fail(refused.report, "审计链校验失败，未写入检查点") from refused
        except OSError as exc:
            raise CommandError(
                f"无法写入检查点文件 {path or settings.AUDIT_CHECKPOINTS}：{exc.strerror}"
            ) from exc
        self.stdout.write(
            f"已写入检查点：审计链至事件 #{checkpoint.seq}，哈希 {checkpoint.hash[:16]}…"
            f"（{path or settings.AUDIT_CHECKPOINTS} 第 {checkpoint.line} 行）"
        )
        if confirm_unkeyed and checkpoint.unkeyed_until:
            self.stdout.write(f"已确认 #1 至 #{checkpoint.unkeyed_until} 为启用审计密钥前的旧事件")
        self.stdout.write(f"签名公钥（Ed25519）：{public_key()}")
        try:
            sent = mail_checkpoint(checkpoint, line)
        except OSError as exc:
            raise CommandError(f"检查点已写入文件，但邮件未能发出：{exc}") from exc
        if sent:
            self.stdout.write(f"已发送至 {'、'.join(sent)}")
