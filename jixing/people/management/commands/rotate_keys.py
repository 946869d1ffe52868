"""jixing rotate-keys [--check] — re-encrypt every stored personal number with the first key of
JIXING_ENCRYPTION_KEYS, so that the keys after it can be dropped (README: 个人信息保护)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jixing.people.crypto import DecryptionError
from jixing.people.domain.encryption import BATCH_SIZE, rotate_keys


class Command(BaseCommand):
    help = "用 JIXING_ENCRYPTION_KEYS 的第一个密钥重新加密所有加密存储的个人信息；--check 只检查不修改"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只统计仍由旧密钥加密的值；有则以非零状态退出"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每个事务处理的行数")

    def handle(self, *args, check: bool, batch_size: int, **options):
        try:
            results = rotate_keys(check_only=check, batch_size=batch_size)
        except DecryptionError as exc:
            raise CommandError(str(exc)) from None
        verb = "仍由旧密钥加密" if check else "重新加密"
        for result in results:
            self.stdout.write(f"{result.label}：共 {result.stored} 个值，{verb} {result.stale} 个")
        stored, stale = sum(r.stored for r in results), sum(r.stale for r in results)
        if check and stale:
            raise CommandError(f"还有 {stale} 个值由旧密钥加密：请先运行 jixing rotate-keys，再删去旧密钥")
        self.stdout.write(f"合计：{len(results)} 个加密字段，共 {stored} 个值，{verb} {stale} 个")
        # Reached only when every stored value now opens with the first key.
        self.stdout.write("所有值都已由第一个密钥加密：可以从 JIXING_ENCRYPTION_KEYS 中删去其余密钥")
