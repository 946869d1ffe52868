"""jixing import-roles FILE — replace all roles by those of a 角色 file; on refusal list every problem."""

from __future__ import annotations

from jixing.commands import FileImportCommand
from jixing.people.domain.imports import import_roles


class Command(FileImportCommand):
    help = "导入角色文件（CSV 或 XLSX）；替换全部已有角色"
    file_help = "角色文件"

    def run(self, path, options):
        return import_roles(path)
