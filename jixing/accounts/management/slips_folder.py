"""The `--slips DIR` of the account commands: checked before any account is made, written after."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError, OutputWrapper

from jixing.accounts.domain.provisioning import IssuedAccount
from jixing.accounts.domain.slips import write_slips

SLIPS_HELP = "账号单的保存目录（不存在时创建）：每个报送单位一份 XLSX 和 PDF，内含初始密码"


def checked_folder(value: str | None) -> Path:
    """The slips' folder, made if missing and writable; refused before anything is imported, since the
    initial passwords are written nowhere else."""
    if not value:
        raise CommandError("请用 --slips 目录 指定账号单的保存位置：初始密码只写入账号单，不再显示")
    folder = Path(value)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise CommandError(f"无法创建账号单目录 {folder}：{exc.strerror}") from None
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise CommandError(f"账号单目录不可写：{folder}")
    return folder


def write_and_report(accounts: list[IssuedAccount], folder: Path, out: OutputWrapper) -> None:
    if not accounts:
        return
    paths = write_slips(accounts, folder)
    out.write(
        f"账号单已写入 {folder}（{len(paths)} 个文件，仅本机当前用户可读）。初始密码只在账号单中，请妥善分发。"
    )
