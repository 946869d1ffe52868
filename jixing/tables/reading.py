"""Reading a CSV or XLSX file against a TableSpec: typed rows out, every problem collected.

The format is told by the file's first bytes, not by its name (people rename files). CSV encodings:
UTF-8 (with or without BOM), else GB18030 — a superset of GBK, what Excel and WPS write on Chinese
Windows. Rows are streamed, so a snapshot of millions of rows never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from jixing.tables.columns import CellProblem, Column, TableSpec
from jixing.tables.problems import DEFAULT_LIMIT, ProblemList

ENCODING_ERROR = "文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"
XLS_ERROR = "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV"
XLSX_ERROR = "无法读取该 Excel 文件，请确认文件未损坏并另存为 .xlsx"
EMPTY_ERROR = "文件是空的"
MISSING_COLUMN = "缺少必填列"
MISSING_OPTIONAL_COLUMN = "缺少此列，按空值处理"
UNKNOWN_COLUMN = "未识别的列，已忽略"
DUPLICATE_COLUMN = "列名重复"
REQUIRED_VALUE = "不能为空"

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

Source = bytes | str | os.PathLike[str] | IO[bytes]


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, format); the message is shown to the user."""


class Row(dict[str, Any]):
    """One data row: column key → typed value (None where the cell was empty or invalid).

    `number` is the row in the file (header = 1); `valid` is False when a cell of it had an error.
    """

    __slots__ = ("number", "valid")

    def __init__(self, values: dict[str, Any], number: int, valid: bool) -> None:
        super().__init__(values)
        self.number = number
        self.valid = valid


def _binary(source: Source) -> tuple[IO[bytes], bool]:
    """A seekable binary stream over the source, and whether we opened it (and so must close it)."""
    if isinstance(source, bytes):
        return io.BytesIO(source), True
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True  # noqa: SIM115 — closed by TableReader.close()
    if hasattr(source, "seekable") and source.seekable():
        source.seek(0)
        return source, False
    return io.BytesIO(source.read()), True


def detect_encoding(stream: IO[bytes]) -> str:
    """'utf-8-sig' or 'gb18030', decided by decoding the whole stream strictly; raises FileProblem.

    UTF-16 files (Excel's "Unicode text") and binary files carry NUL bytes, which both candidate
    decoders would happily accept, so a NUL byte means "not a CSV we can read".
    """
    for encoding in ("utf-8-sig", "gb18030"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            while chunk := stream.read(_CHUNK):
                if b"\x00" in chunk:
                    raise FileProblem(ENCODING_ERROR)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    raise FileProblem(ENCODING_ERROR)


def _csv_rows(stream: IO[bytes], encoding: str) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
        # Tab-separated text is what some tools export under a .csv name.
        delimiter = "\t" if "\t" in first and "," not in first else ","
        yield from csv.reader(itertools.chain([first], text), delimiter=delimiter)
    finally:
        text.detach()  # leave the caller's stream open; TextIOWrapper would close it


# An XLSX is a zip of XML: a few kilobytes can unpack to gigabytes, or to millions of shared strings that
# openpyxl would hold in memory before the first row. The archive's own directory tells the unpacked
# sizes, so such a file is refused before anything is parsed. The bounds leave room for the largest sheet
# Excel can hold (1,048,576 rows of a snapshot: about 600 MB of XML, compressed some 10 to 20 times).
XLSX_MAX_UNPACKED = 1536 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
XLSX_MAX_RATIO = 100  # unpacked ÷ packed of any member over 1 MB: real sheets stay far below it
XLSX_TOO_LARGE = "Excel 文件解压后过大或压缩比异常（可能已损坏或被构造），未读取；请另存为 CSV 后再导入"


def check_xlsx_archive(stream: IO[bytes]) -> None:
    """Refuse an XLSX whose members unpack beyond the bounds above (FileProblem), reading only the zip's
    directory; the stream is left at its start."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(XLSX_ERROR) from exc
    finally:
        stream.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        ratio_applies = member.file_size > 1024 * 1024
        if ratio_applies and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise FileProblem(XLSX_TOO_LARGE)
        if member.filename.endswith("sharedStrings.xml") and member.file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
            raise FileProblem(XLSX_TOO_LARGE)
    if total > XLSX_MAX_UNPACKED:
        raise FileProblem(XLSX_TOO_LARGE)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    check_xlsx_archive(stream)

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(XLSX_ERROR) from exc
    try:
        if not book.worksheets:
            raise FileProblem(EMPTY_ERROR)
        sheet = book.worksheets[0]
        # Some exporters write a wrong <dimension>; read-only mode would cut rows to it. Reset: read all.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _open_rows(stream: IO[bytes]) -> tuple[Iterator[Any], str | None]:
    """The rows of an XLSX or CSV stream, told apart by its first bytes, and the CSV's encoding."""
    magic = stream.read(8)
    stream.seek(0)
    if not magic:
        raise FileProblem(EMPTY_ERROR)
    if magic.startswith(_ZIP_MAGIC):
        return _xlsx_rows(stream), None
    if magic.startswith(_OLE_MAGIC):
        raise FileProblem(XLS_ERROR)
    if magic.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(ENCODING_ERROR)
    encoding = detect_encoding(stream)
    return _csv_rows(stream, encoding), encoding


def raw_rows(source: Source) -> Iterator[list[Any]]:
    """Every row of a CSV or XLSX file as it stands — header included, cells untyped — read as
    TableReader reads it (format by first bytes, UTF-8 or GB18030). Raises FileProblem (a message for
    the user) when the file cannot be read."""
    stream, owned = _binary(source)
    try:
        rows, _ = _open_rows(stream)
        for row in rows:
            yield list(row)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileProblem(f"文件格式错误：{exc}") from exc
    finally:
        if owned:
            stream.close()


@dataclass
class _Slot:
    index: int
    column: Column


@dataclass
class TableReader:
    """Reads one file against a spec. Header problems are known once it is built; row problems as
    the rows are iterated — `errors` is complete only after iterating to the end (or `read_all`).
    """

    source: Source
    spec: TableSpec
    limit: int = DEFAULT_LIMIT
    errors: ProblemList = field(init=False)
    warnings: ProblemList = field(init=False)
    encoding: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.errors = ProblemList(self.limit)
        self.warnings = ProblemList(self.limit)
        self._stream, self._owned = _binary(self.source)
        self._raw: Iterator[Any] = iter(())
        self._slots: list[_Slot] = []
        try:
            self._raw = self._open()
            self._read_header()
        except FileProblem as exc:
            self.errors.add(None, "", "", str(exc))
        self._header_ok = not self.errors
        if not self._header_ok:
            self.close()

    def _open(self) -> Iterator[Any]:
        rows, self.encoding = _open_rows(self._stream)
        return rows

    def _read_header(self) -> None:
        header = next(self._raw, None)
        if header is None:
            raise FileProblem(EMPTY_ERROR)
        seen: set[str] = set()
        for index, cell in enumerate(header):
            name = "" if cell is None else str(cell).strip()
            if not name:
                continue
            column = self.spec.by_header.get(name)
            if column is None:
                self.warnings.add(1, name, "", UNKNOWN_COLUMN)
            elif name in seen:
                self.errors.add(1, name, "", DUPLICATE_COLUMN)
            else:
                seen.add(name)
                self._slots.append(_Slot(index, column))
        # Garbage that happens to decode as GB18030 (Shift-JIS, Latin-1 …) shows no header we know:
        # say "encoding" rather than list every column as missing.
        if not seen and self.encoding == "gb18030":
            raise FileProblem(ENCODING_ERROR)
        for column in self.spec.columns:
            if column.header in seen:
                continue
            if column.needs_column:
                self.errors.add(1, column.header, "", MISSING_COLUMN)
            else:
                self.warnings.add(1, column.header, "", MISSING_OPTIONAL_COLUMN)

    @property
    def present_keys(self) -> set[str]:
        """Keys of the spec's columns found in the header: an update touches only these fields."""
        return {slot.column.key for slot in self._slots}

    @property
    def column_positions(self) -> dict[str, int]:
        """Key of each spec column found in the header → its 0-based position in the file's rows."""
        return {slot.column.key: slot.index for slot in self._slots}

    @property
    def header_ok(self) -> bool:
        """False when the file could not be read or a column is missing: its rows are not read."""
        return self._header_ok

    def __iter__(self) -> Iterator[Row]:
        if not self.header_ok:
            self.close()
            return
        # Per-row work is the hot path of a multi-million-row snapshot: resolve everything up front.
        slots = [(s.index, s.column, s.column.key, s.column.header, s.column.required) for s in self._slots]
        present = {s.column.header for s in self._slots}
        absent = {c.key: c.default for c in self.spec.columns if c.header not in present}
        add_error = self.errors.add
        try:
            for number, raw in enumerate(self._raw, start=2):
                # any() is a cheap first test; a row of zeros is data, so look closer before skipping.
                if not any(raw) and all(_is_blank(cell) for cell in raw):
                    continue
                values = absent.copy()
                valid = True
                width = len(raw)
                for index, column, key, header, required in slots:
                    cell = raw[index] if index < width else None
                    if cell is None or (cell.__class__ is str and not cell.strip()):
                        if required:
                            add_error(number, header, "", REQUIRED_VALUE)
                            valid = False
                        values[key] = column.default
                        continue
                    try:
                        values[key] = column.parse(cell)
                    except CellProblem as exc:
                        add_error(number, header, cell, str(exc))
                        values[key] = None
                        valid = False
                yield Row(values, number, valid)
        except FileProblem as exc:
            self.errors.add(None, "", "", str(exc))
        except (csv.Error, UnicodeDecodeError) as exc:
            self.errors.add(None, "", "", f"文件格式错误：{exc}")
        finally:
            self.close()

    def read_all(self) -> list[Row]:
        return list(self)

    def close(self) -> None:
        close_rows = getattr(self._raw, "close", None)
        if close_rows is not None:
            close_rows()  # a generator: lets openpyxl close its workbook now, not at garbage collection
        if self._owned:
            self._stream.close()


def read_table(source: Source, spec: TableSpec, *, limit: int = DEFAULT_LIMIT) -> TableReader:
    """Open `source` (a path, bytes or a binary file) for reading against `spec`.

    Iterate the result for typed rows; its `errors` and `warnings` are ProblemLists.
    """
    return TableReader(source, spec, limit)
