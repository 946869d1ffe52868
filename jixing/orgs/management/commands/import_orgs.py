"""jixing import-orgs FILE — import a 组织架构 file (CSV or XLSX); on refusal list every problem."""

from __future__ import annotations

from jixing.commands import FileImportCommand
from jixing.orgs.domain.imports import import_orgs


class Command(FileImportCommand):
    help = "导入组织架构文件（CSV 或 XLSX）；按组织编码新增或更新，文件中没有的组织保持不变"
    file_help = "组织架构文件"

    def run(self, path, options):
        return import_orgs(path)
