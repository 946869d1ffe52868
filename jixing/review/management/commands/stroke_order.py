"""jixing stroke-order [FILE] — put a list of names in surname stroke order (姓氏笔画), the order of
official lists, so that an office can sort any list by the rule the product's lists follow.

FILE (or standard input when it is absent or "-") is one of:
- a text file with one name per line (UTF-8 or GBK): the names come out, one per line;
- a CSV (UTF-8 or GBK, as Excel and WPS save it) or an XLSX with a header row that has a column 姓名:
  the header and then every row, ordered by that column, come out as CSV (UTF-8).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError

from jixing.tables.formula_safe import csv_writer
from jixing.tables.reading import ENCODING_ERROR, FileProblem, detect_encoding, raw_rows
from jixing.tables.strokes import name_key

NAME_HEADER = "姓名"
DELIMITERS = (",", "\t")
NO_NAMES = "没有读到任何姓名"
NO_NAME_COLUMN = "表格第一行（表头）中没有“姓名”列：请在表头中把姓名所在的列命名为“姓名”"


class Command(BaseCommand):
    help = "按姓氏笔画排序姓名：文本文件（每行一个姓名）或标准输入；CSV/XLSX 表格按“姓名”列排序整行"
    # call_command("stroke_order", stdin=io.StringIO(...)) in tests: the names come from there.
    stealth_options = ("stdin",)
    requires_system_checks: list[str] = []  # reads a file, touches no database or setting

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help="文本、CSV 或 XLSX 文件；省略或为 - 时读标准输入"
        )

    def handle(self, *args, file: str, **options: Any) -> None:
        data = _read_stdin(options.get("stdin") or sys.stdin) if file == "-" else _read_file(file)
        if not data.strip():
            raise CommandError(NO_NAMES)
        try:
            if _is_table(data, file):
                self._write_rows(_ordered_rows(list(raw_rows(data))))
            else:
                names = [line.strip() for line in _decode(data).splitlines() if line.strip()]
                for name in sorted(names, key=name_key):
                    self.stdout.write(name)
        except FileProblem as exc:
            raise CommandError(str(exc)) from None

    def _write_rows(self, rows: list[list[Any]]) -> None:
        out = io.StringIO()
        writer = csv_writer(out, lineterminator="\n")  # a cell such as =HYPERLINK(…) stays text
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        self.stdout.write(out.getvalue(), ending="")


def _read_file(file: str) -> bytes:
    path = Path(file)
    if not path.exists():
        raise CommandError(f"找不到文件：{file}")
    if not path.is_file():
        raise CommandError(f"不是文件：{file}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件：{file}（{exc.strerror or exc}）") from None


def _read_stdin(stream: IO[Any]) -> bytes:
    buffer = getattr(stream, "buffer", None)
    content = (buffer or stream).read()
    return content.encode("utf-8") if isinstance(content, str) else content


def _decode(data: bytes) -> str:
    encoding = detect_encoding(io.BytesIO(data))  # UTF-8, else GB18030 (GBK's superset); FileProblem
    return data.decode(encoding)


def _is_table(data: bytes, file: str) -> bool:
    """An XLSX or old Excel file (by its first bytes), a file named .csv, or text whose first line has
    several cells or is the header 姓名."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return True
    if file.lower().endswith(".csv"):
        return True
    if b"\x00" in data:
        raise FileProblem(ENCODING_ERROR)
    first = next((line for line in _decode(data).splitlines() if line.strip()), "")
    return any(d in first for d in DELIMITERS) or first.strip() == NAME_HEADER


def _ordered_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The header row, then the non-blank data rows ordered by their 姓名 cell."""
    header = rows[0] if rows else []
    titles = ["" if cell is None else str(cell).strip() for cell in header]
    if NAME_HEADER not in titles:
        raise CommandError(NO_NAME_COLUMN)
    column = titles.index(NAME_HEADER)
    body = [row for row in rows[1:] if any(cell is not None and str(cell).strip() for cell in row)]
    if not body:
        raise CommandError(NO_NAMES)

    def name(row: list[Any]) -> str:
        cell = row[column] if column < len(row) else None
        return "" if cell is None else str(cell).strip()

    return [header, *sorted(body, key=lambda row: name_key(name(row)))]
