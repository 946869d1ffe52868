"""jixing import-accounts FILE --slips DIR — import a 账号 file; write the new accounts' slips into DIR."""

from __future__ import annotations

from jixing.accounts.domain.bulk import import_accounts
from jixing.accounts.management.slips_folder import SLIPS_HELP, checked_folder, write_and_report
from jixing.commands import FileImportCommand


class Command(FileImportCommand):
    help = "导入账号文件（CSV 或 XLSX）：为新的用户名建立账号，初始密码写入账号单（--slips 目录）"
    file_help = "账号文件"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--slips", metavar="DIR", help=SLIPS_HELP)

    def run(self, path, options):
        folder = checked_folder(options.get("slips"))
        result = import_accounts(path)
        write_and_report(result.created, folder, self.stdout)
        return result
