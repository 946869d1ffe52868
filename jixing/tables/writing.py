"""Writing a template — empty for "download the template", or with rows (demo data, exports).

Rows are mappings of column key → value, written in the spec's column order, in the forms the reader
reads back: 是/否 for flags, ratios for percentages, ISO 8601 for times.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jixing.tables.columns import Column, Kind, TableSpec
from jixing.tables.formula_safe import csv_writer, new_workbook

Target = str | os.PathLike[str] | IO[bytes]


def cell_text(column: Column, value: Any) -> Any:
    """A value as the reader accepts it back; text for CSV, native numbers kept for XLSX callers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _open_target(target: Target) -> tuple[IO[bytes], bool]:
    if isinstance(target, str | os.PathLike):
        return open(target, "wb"), True  # noqa: SIM115 — closed below
    return target, False


def write_xlsx(spec: TableSpec, target: Target, rows: Iterable[Mapping[str, Any]] = ()) -> None:
    """An XLSX file: the data sheet first (the one the reader reads), then a 填写说明 sheet.

    Write-only mode streams rows, so demo snapshots of any size stay small in memory. Text columns are
    formatted as text so that Excel keeps 学号, 手机号 and 身份证号 as typed instead of as 4.2E+17.
    Text that a spreadsheet would read as a formula is escaped (jixing/tables/formula_safe.py).
    """
    book = new_workbook(write_only=True)
    sheet = book.create_sheet(spec.title)
    for number, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(10, 2 * len(column.header) + 4)
        if column.kind == Kind.TEXT:
            sheet.column_dimensions[letter].number_format = "@"
    bold = Font(bold=True)
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(column, row.get(column.key)) for column in spec.columns])
    _write_guide(book, spec)
    stream, owned = _open_target(target)
    try:
        book.save(stream)
    finally:
        if owned:
            stream.close()


def _xlsx_value(column: Column, value: Any) -> Any:
    value = cell_text(column, value)
    if column.kind == Kind.TEXT and not isinstance(value, str):
        return str(value)
    return value


def _write_guide(book: Workbook, spec: TableSpec) -> None:
    guide = book.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["D"].width = 60
    guide.append(["列名", "是否必填", "类型或可选值", "说明"])
    for column in spec.columns:
        needed = "必填" if column.required else ("必须有此列，可为空" if column.column_required else "选填")
        guide.append([column.header, needed, column.describe(), column.help])
    guide.append([])
    guide.append(["请在第一个工作表填写数据，第一行为列名；列的顺序可以调整，多余的列会被忽略。"])


def write_csv(
    spec: TableSpec, target: Target, rows: Iterable[Mapping[str, Any]] = (), *, encoding: str = "utf-8-sig"
) -> None:
    """A CSV file, UTF-8 with BOM by default: the BOM is what makes Excel open it as UTF-8. Text that a
    spreadsheet would read as a formula is escaped (jixing/tables/formula_safe.py)."""
    stream, owned = _open_target(target)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        writer = csv_writer(text)
        writer.writerow(spec.headers)
        for row in rows:
            writer.writerow([cell_text(column, row.get(column.key)) for column in spec.columns])
        text.flush()
    finally:
        text.detach()
        if owned:
            stream.close()


def template_bytes(spec: TableSpec, fmt: str = "xlsx") -> bytes:
    """The empty template as file content, for downloads."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(spec, buffer)
    elif fmt == "csv":
        write_csv(spec, buffer)
    else:
        raise ValueError(f"unknown template format {fmt!r}")
    return buffer.getvalue()
